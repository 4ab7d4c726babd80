import { z } from 'zod';
import { Outcome } from './escalations';
import { PUSH_EVENT_TYPES } from '../../push-events';
import { PushState, RouteSchema } from './app';

export const PushEventType = z.enum(PUSH_EVENT_TYPES);

export const NotificationSource = z.enum(['push', 'reminder', 'app']);

/** What happened to a notification when it arrived (it is stored either way). */
export const NotificationDelivery = z.enum(['shown', 'held', 'muted', 'expired', 'collapsed', 'silent']);

export const NotificationItem = z.strictObject({
  id: z.int().positive(),
  source: NotificationSource,
  type: z.string(),
  title: z.string(),
  summary: z.string(),
  topic: z.string().nullable(),
  collapseKey: z.string().nullable(),
  created: z.string(),
  receivedAt: z.string(),
  delivery: NotificationDelivery,
  read: z.boolean(),
  /** What a click opens. */
  route: RouteSchema.nullable(),
  /** A decision's outcome, when File 360 said it, so a rejection does not wear the approval's check. */
  outcome: Outcome.nullable(),
});
export type NotificationItem = z.infer<typeof NotificationItem>;

export const NotificationListInput = z.strictObject({
  filter: z.enum(['all', 'unread']).default('all'),
  type: z.string().max(100).optional(),
  limit: z.int().min(1).max(500).default(100),
  beforeId: z.int().positive().optional(),
});

export const NotificationPage = z.strictObject({
  items: z.array(NotificationItem),
  unread: z.int().min(0),
  /** The Push stream, for the center's header ("Live", "Reconnecting…"). */
  push: PushState,
  /** Set when notifications expired on the server before this computer could fetch them. */
  gap: z.string().nullable(),
});
export type NotificationPage = z.infer<typeof NotificationPage>;

const Ids = z.union([z.array(z.int().positive()).min(1).max(1000), z.literal('all')]);
export const NotificationIdsInput = z.strictObject({ ids: Ids });
export const NotificationIdInput = z.strictObject({ id: z.int().positive() });
export const UnreadCount = z.strictObject({ unread: z.int().min(0) });

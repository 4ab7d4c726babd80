import { z } from 'zod';
import { invalidRequest } from '../file360/errors';
import { checkTopic } from './topics';

/** The `type` values of CONTRACTS §B. */
export const EVENT_TYPES = [
  'batch.assigned',
  'annotation.completed',
  'annotation.rejected',
  'relabel.requested',
  'task.assigned',
  'pipeline.failed',
  'deadline.approaching',
  'review.requested',
  'dataset.ready',
  'decision.made',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const PublishSchema = z.strictObject({
  users: z.array(z.string().min(1)).optional(),
  groups: z.array(z.string().min(1)).optional(),
  topic: z.string().optional(),
  broadcast: z.boolean().optional(),
  type: z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(', ')}` }),
  title: z.string().max(1000).optional(),
  summary: z.string().max(10_000).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  collapse_key: z.string().min(1).max(256).optional(),
  ttl_seconds: z.int().positive().optional(),
});

export type Publish = z.output<typeof PublishSchema>;

/** The contract's rules beyond field shapes, each with its own message. */
export function checkPublish(input: unknown): Publish {
  const checked = PublishSchema.safeParse(input);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw invalidRequest(`Invalid field ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'not accepted'}.`);
  }
  const publish = checked.data;
  if (!publish.title && !publish.summary && (!publish.data || Object.keys(publish.data).length === 0)) {
    throw invalidRequest('A notification needs a title, a summary or data.');
  }
  const named = (publish.users?.length ?? 0) > 0 || (publish.groups?.length ?? 0) > 0 || publish.topic !== undefined;
  if (publish.broadcast && named) throw invalidRequest('broadcast: true goes to everyone; it cannot be combined with users, groups or topic.');
  if (!publish.broadcast && !named) throw invalidRequest('A notification needs recipients: users, groups or a topic (or broadcast: true).');
  if (publish.topic !== undefined) checkTopic(publish.topic);
  return publish;
}

import { z } from 'zod';
import { SECTIONS } from '../../routes';
import { RemoteId } from './common';

export const RouteSchema = z
  .strictObject({
    section: z.enum(SECTIONS),
    id: RemoteId.optional(),
    /** The escalation whose decision an assignment's page brings into view. */
    decision: RemoteId.optional(),
  })
  .refine((route) => route.decision === undefined || (route.section === 'assignments' && route.id !== undefined), 'A decision is shown on its assignment’s page only');

export const Shell = z.enum(['electron', 'browser']);
export type Shell = z.infer<typeof Shell>;

/** A problem found at start that stops the local database from being used. */
export const StartupProblem = z.strictObject({
  code: z.enum(['DB_CORRUPT', 'DB_TOO_NEW', 'DB_UNREADABLE']),
  message: z.string(),
  file: z.string(),
  /** Only a damaged file may be moved aside; a newer one needs a newer app. */
  canMoveAside: z.boolean(),
});
export type StartupProblem = z.infer<typeof StartupProblem>;

export const AppInfo = z.strictObject({
  name: z.string(),
  version: z.string(),
  shell: Shell,
  platform: z.string(),
  dataDir: z.string(),
  databaseFile: z.string(),
  startupProblem: StartupProblem.nullable(),
  /** Running against the local File 360 stand-in with sample data, not a real server. */
  sandboxWorkspace: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const KeychainStatus = z.strictObject({
  /** `memory` means no OS keychain answered: secrets last for this run only. */
  kind: z.enum(['keychain', 'memory']),
  /** In words, for the user. */
  detail: z.string(),
  /** The keychain's own error when it did not answer, for a "Details" disclosure: never the main text. */
  reason: z.string().optional(),
});
export type KeychainStatus = z.infer<typeof KeychainStatus>;

/** The Push stream's state; `off` when signed out or not configured. */
export const PushState = z.enum(['off', 'stopped', 'connecting', 'live', 'backoff', 'catching-up']);
export type PushState = z.infer<typeof PushState>;

export const Status = z.strictObject({
  connection: z.enum(['not-configured', 'signed-out', 'offline', 'online']),
  server: z.string().nullable(),
  user: z
    .strictObject({
      id: z.string(),
      displayName: z.string(),
      /** File 360 may send them escalations to decide (a reviewer or manager): Reviews is theirs. */
      reviews: z.boolean(),
      /** File 360 shares assignments with them to annotate. */
      annotates: z.boolean(),
    })
    .nullable(),
  /** Items waiting in the outbox (queued or being sent). */
  queued: z.int().min(0),
  /** Items that failed for good and wait for the user (Retry or Discard). */
  failed: z.int().min(0),
  keychain: KeychainStatus,
  /** Notifications not yet read (the sidebar, tray and dock badges). */
  unread: z.int().min(0),
  push: PushState,
});
export type Status = z.infer<typeof Status>;

export const RecoverDatabaseInput = z.strictObject({
  action: z.literal('move-aside'),
});

export const NotificationPayload = z.strictObject({
  /** The stored notification this pops up for, so a click on it also marks it read; absent for the app's own one-off messages. */
  id: z.int().positive().optional(),
  title: z.string().min(1).max(200),
  body: z.string().max(1000),
  route: RouteSchema.nullable(),
});
export type NotificationPayload = z.infer<typeof NotificationPayload>;

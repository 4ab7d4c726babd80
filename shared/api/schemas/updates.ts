import { z } from 'zod';

/** `stable` follows electron-builder's `latest` channel; `beta` also gets prereleases (and every stable release). */
export const UpdateChannel = z.enum(['stable', 'beta']);
export type UpdateChannel = z.infer<typeof UpdateChannel>;

export const UpdateState = z.enum(['off', 'idle', 'checking', 'downloading', 'ready', 'failed']);
export type UpdateState = z.infer<typeof UpdateState>;

export const UpdateStatus = z.strictObject({
  state: UpdateState,
  /** Why this app never updates itself (sandbox workspace, browser shell, a development build), in words. */
  offReason: z.string().nullable(),
  channel: UpdateChannel,
  currentVersion: z.string(),
  /** The version offered, being downloaded, or ready to install. */
  version: z.string().nullable(),
  progress: z.strictObject({ transferred: z.number().min(0), total: z.number().min(0), percent: z.number().min(0).max(100) }).nullable(),
  /** What a restart would interrupt, in words ("the Prodigy session for “Support tickets”", "2 uploads"); the restart waits for them. */
  waitingFor: z.array(z.string()),
  /** A downloaded update can be installed now: the status area and the tray offer "Restart to update". */
  canRestart: z.boolean(),
  lastCheckedAt: z.string().nullable(),
  /** The outcome of the last check or download, in words, when it was not plain sailing. */
  message: z.string().nullable(),
});
export type UpdateStatus = z.infer<typeof UpdateStatus>;

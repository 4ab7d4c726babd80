import { z } from 'zod';
import { RemoteId, Sha256Hex } from './common';
import { OutboxState } from './outbox';

/** `before-wipe` is history: packages made after the expiry could never be delivered, so no export runs at a wipe any more. */
export const ExportTrigger = z.enum(['manual', 'session-stopped', 'before-expiry', 'before-wipe']);

export const ExportView = z.strictObject({
  id: z.int().positive(),
  assignmentId: RemoteId,
  dataset: z.string(),
  trigger: ExportTrigger,
  createdAt: z.string(),
  annotations: z.int().min(0),
  counts: z.strictObject({ accept: z.int().min(0), reject: z.int().min(0), ignore: z.int().min(0), flagged: z.int().min(0) }),
  sessions: z.array(z.string()),
  /** Disputed items found in this export. */
  disputes: z.int().min(0),
  /** Of those newly escalated: how many reached File 360, how many wait to be sent, how many could not be sent. */
  escalated: z.strictObject({ sent: z.int().min(0), waiting: z.int().min(0), failed: z.int().min(0) }),
  packageSize: z.int().min(0),
  packageSha256: Sha256Hex,
  upload: z.strictObject({ state: OutboxState, lastError: z.string().nullable() }),
});
export type ExportView = z.infer<typeof ExportView>;

export const ExportResult = z.strictObject({
  exported: ExportView.nullable(),
  /** What happened, in words ("Nothing new since the export at 10:32"). */
  message: z.string(),
});
export type ExportResult = z.infer<typeof ExportResult>;

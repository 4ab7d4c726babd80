import { z } from 'zod';
import { RemoteId } from './common';

export const OutboxKind = z.enum(['package', 'escalation', 'decision', 'audit', 'push']);
export type OutboxKind = z.infer<typeof OutboxKind>;

export const OutboxState = z.enum(['queued', 'sending', 'sent', 'failed', 'discarded']);
export type OutboxState = z.infer<typeof OutboxState>;

export const OutboxItem = z.strictObject({
  id: z.int().positive(),
  kind: OutboxKind,
  label: z.string(),
  assignmentId: RemoteId.nullable(),
  /** Bytes to upload (packages); 0 for small JSON items. */
  size: z.int().min(0),
  state: OutboxState,
  /** Why a queued item is not going right now, in words (sign-in, offline, what it waits for). */
  waiting: z.string().nullable(),
  /** Whether Retry can do anything now (a failed item, or one waiting on a timer; not one waiting for a client the app lacks). */
  canRetry: z.boolean(),
  attempts: z.int().min(0),
  nextAttemptAt: z.string().nullable(),
  /** The last failure, in words. */
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type OutboxItem = z.infer<typeof OutboxItem>;

export const OutboxCounts = z.strictObject({
  queued: z.int().min(0),
  sending: z.int().min(0),
  failed: z.int().min(0),
});
export type OutboxCounts = z.infer<typeof OutboxCounts>;

export const OutboxListInput = z.strictObject({
  /** `pending`: what is still to go (queued, sending, failed); `all` adds the recent history. */
  show: z.enum(['pending', 'all']).default('pending'),
  limit: z.int().min(1).max(1000).default(200),
});

export const OutboxPage = z.strictObject({ items: z.array(OutboxItem), counts: OutboxCounts });
export type OutboxPage = z.infer<typeof OutboxPage>;

export const OutboxItemInput = z.strictObject({ id: z.int().positive() });

import { AppError } from '../../kernel/errors';
import { File360Error } from '../../kernel/http/errors';
import type { Outcome } from './store';

/** A send that cannot succeed by trying again (a file gone from disk, a decision someone else made first). */
export class PermanentError extends Error {
  override name = 'PermanentError';

  constructor(
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
  /** Waiting for the network to come back: kept short, so a return is noticed soon. */
  maxOfflineMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1000, maxMs: 15 * 60_000, maxOfflineMs: 60_000 };

/**
 * Exponential with "equal jitter" from the row's attempt count. It is computed
 * from the stored count rather than held by a retry policy (cockatiel's are in
 * memory), because a row's retries span restarts of the app.
 */
export function retryDelayMs(attempts: number, backoff: Backoff, cap: number, random: () => number = Math.random): number {
  const ceiling = Math.min(cap, backoff.initialMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** What a failed send means for its row: wait and try again, wait for the user, or give up with a reason. */
export function outcomeOf(id: number, attempts: number, error: unknown, nowMs: number, backoff: Backoff): Outcome {
  if (error instanceof PermanentError) return { id, state: 'failed', error: error.message, code: error.code };
  if (error instanceof AppError) {
    // Signed out, or the session ended: nothing is wrong with the item; it goes once someone signs in.
    if (error.code === 'NOT_SIGNED_IN' || error.code === 'SIGNED_OUT') return { id, state: 'queued', nextAttemptMs: nowMs + backoff.initialMs, error: error.message, code: 'signed-out', countAttempt: false };
    return { id, state: 'failed', error: error.message, code: error.code };
  }
  if (error instanceof File360Error) {
    if (!error.retryable) return { id, state: 'failed', error: error.message, code: error.code ?? `http-${error.status ?? 0}` };
    const offline = error.kind === 'network' || error.kind === 'timeout';
    const wait = error.retryAfterMs ?? retryDelayMs(attempts, backoff, offline ? backoff.maxOfflineMs : backoff.maxMs);
    return { id, state: 'queued', nextAttemptMs: nowMs + wait, error: error.message, code: offline ? error.kind : (error.code ?? `http-${error.status ?? 0}`), countAttempt: true };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { id, state: 'queued', nextAttemptMs: nowMs + retryDelayMs(attempts, backoff, backoff.maxMs), error: `Something went wrong while sending (${message}). The app tries again.`, code: 'internal', countAttempt: true };
}

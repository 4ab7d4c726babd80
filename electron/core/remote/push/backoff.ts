import { fullJitterGenerator } from 'cockatiel';

export interface ReconnectOptions {
  /** Until the server sends `retry:`, the first wait grows from this. */
  baseMs: number;
  maxMs: number;
  /** A connection that stayed up this long proves the path works: the next drop starts from the base again. */
  healthyMs: number;
}

export const DEFAULT_RECONNECT: ReconnectOptions = { baseMs: 1000, maxMs: 60_000, healthyMs: 60_000 };

/**
 * Exponential backoff with full jitter (AWS): a wait anywhere in [0, base·2ⁿ),
 * capped, so many clients dropped by one server restart do not return in step.
 * The server's `retry:` hint replaces the base.
 */
export class ReconnectBackoff {
  private attempts = 0;
  private base: number;

  constructor(private readonly options: ReconnectOptions) {
    this.base = options.baseMs;
  }

  hint(retryMs: number): void {
    // Never 0: nothing doubles from 0, and a server that says `retry: 0` and hangs up would be hammered.
    this.base = Math.min(Math.max(1, retryMs), this.options.maxMs);
  }

  /** `atLeastMs`: the server's Retry-After, honoured up to the cap so a bad value cannot park the stream for hours. */
  next(atLeastMs: number | null = null): number {
    const [delay, attempts] = fullJitterGenerator(this.attempts, { initialDelay: this.base, maxDelay: this.options.maxMs, exponent: 2, generator: fullJitterGenerator });
    this.attempts = attempts;
    return Math.min(Math.max(delay, atLeastMs ?? 0), this.options.maxMs);
  }

  /** A live connection ended after `upForMs`. */
  ended(upForMs: number): void {
    if (upForMs >= this.options.healthyMs) this.attempts = 0;
  }
}

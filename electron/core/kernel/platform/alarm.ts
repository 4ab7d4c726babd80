import type { Clock } from '../ports';

/**
 * The longest single wait. Node's setTimeout overflows above 2^31 ms, and the
 * timers of a laptop that slept run late by the time it slept, so a long wait
 * is cut into waits of at most this, each re-checked against the wall clock.
 */
export const MAX_WAIT_MS = 3_600_000;

/** One pending wake-up at a time: setting it again replaces the earlier one. */
export class Alarm {
  private cancel: (() => void) | null = null;

  constructor(private readonly clock: Clock) {}

  set(atMs: number, fire: () => void): void {
    this.clear();
    const wait = Math.max(0, atMs - this.clock.now().getTime());
    this.cancel = this.clock.setTimeout(() => {
      this.cancel = null;
      if (this.clock.now().getTime() >= atMs) fire();
      else this.set(atMs, fire);
    }, Math.min(wait, MAX_WAIT_MS));
  }

  clear(): void {
    this.cancel?.();
    this.cancel = null;
  }
}

/**
 * Work decided by the clock and the database: done now, again whenever its
 * inputs change (`refresh`), and at the moment it names next. `evaluate` does
 * what is due and returns when to look again (ms since the epoch), or null.
 * A failure on the timer, where nobody can be thrown to, goes to `failed`.
 */
export class Recurring {
  private readonly alarm: Alarm;
  private running = false;

  constructor(
    clock: Clock,
    private readonly evaluate: () => number | null,
    private readonly failed: (error: unknown) => void,
  ) {
    this.alarm = new Alarm(clock);
  }

  start(): void {
    this.running = true;
    this.run();
  }

  refresh(): void {
    if (this.running) this.run();
  }

  stop(): void {
    this.running = false;
    this.alarm.clear();
  }

  private run(): void {
    this.alarm.clear();
    const next = this.evaluate();
    if (next !== null && Number.isFinite(next)) this.alarm.set(next, () => this.wake());
  }

  private wake(): void {
    try {
      this.run();
    } catch (error) {
      this.failed(error);
    }
  }
}

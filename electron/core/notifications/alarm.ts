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

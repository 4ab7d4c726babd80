import type { Clock } from '../../kernel/ports';

/** Resolves after `ms` on the given clock, or at once when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      cancel();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const cancel = clock.setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Calls `expired` once nothing has been `fed` for `ms`. One timer re-armed when
 * it fires, not one per chunk: a busy stream feeds it thousands of times a second.
 */
export function watchdog(clock: Clock, ms: number, expired: () => void): { fed(): void; stop(): void } {
  let last = clock.now().getTime();
  let cancel = () => {};
  const check = () => {
    const quiet = clock.now().getTime() - last;
    if (quiet >= ms) expired();
    else cancel = clock.setTimeout(check, ms - quiet);
  };
  cancel = clock.setTimeout(check, ms);
  return {
    fed: () => {
      last = clock.now().getTime();
    },
    stop: () => cancel(),
  };
}

/** Time as the sandbox sees it: real time plus an offset that tests can move. */
export interface SandboxClock {
  now(): Date;
  /** Makes now() return this instant (and keep running from there). */
  set(iso: string): void;
  advance(ms: number): void;
}

/** `onMove` runs after every set and advance: what is due by the new time (token expiry, deadlines) happens then. */
export function createClock(onMove: () => void = () => undefined): SandboxClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    set(iso) {
      const at = Date.parse(iso);
      if (Number.isNaN(at)) throw new Error(`Not an ISO time: ${iso}`);
      offset = at - Date.now();
      onMove();
    },
    advance(ms) {
      offset += ms;
      onMove();
    },
  };
}

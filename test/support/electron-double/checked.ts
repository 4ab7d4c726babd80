/// <reference types="electron" />
/**
 * How the Electron double is held to Electron's own type definitions
 * (node_modules/electron/electron.d.ts), so that a signature that drifts in a
 * new Electron fails to compile here instead of passing silently:
 *
 * - members are typed as the Electron member they stand in for
 *   (`quit: Electron.App['quit'] = …`), so their parameters and results are Electron's;
 * - every event a double fires is listed with its arguments, and each entry is
 *   checked against the overloads of the real class's `on` (`Checked` below).
 */

/** True when Electron's `on` (all its overloads) accepts a listener taking exactly `A` for event `K`. */
type Accepts<On, K extends string, A extends unknown[]> = On extends (event: K, listener: (...args: A) => void) => unknown ? true : false;

type Mismatched<On, Events> = { [K in keyof Events & string]: Events[K] extends unknown[] ? (Accepts<On, K, Events[K]> extends true ? never : K) : K }[keyof Events & string];

/**
 * `Events` itself when each event is fired the way Electron's typings say;
 * otherwise a type naming the events that differ, which no double can be built on.
 */
export type Checked<On, Events extends Record<string, unknown[]>> = [Mismatched<On, Events>] extends [never]
  ? Events
  : { 'fired with arguments Electron’s typings do not pass': Mismatched<On, Events> };

type Listener = (...args: never[]) => unknown;

/**
 * An event emitter whose `fire` takes only the events (and arguments) listed in
 * `Events`. Listeners are called in order and their exceptions propagate, as
 * Node's EventEmitter (which Electron's emitters are) does.
 */
export class Emitter<Events extends Record<string, unknown[]>> {
  private readonly listeners = new Map<string, Array<{ listener: Listener; once: boolean }>>();

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), { listener, once: false }]);
    return this;
  }

  once(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), { listener, once: true }]);
    return this;
  }

  removeListener(event: string, listener: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((entry) => entry.listener !== listener));
    return this;
  }

  off(event: string, listener: Listener): this {
    return this.removeListener(event, listener);
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  /** Calls every listener of `event`; true when there was one (EventEmitter's `emit`). */
  fire<K extends keyof Events & string>(event: K, ...args: Events[K]): boolean {
    const entries = this.listeners.get(event) ?? [];
    this.listeners.set(event, entries.filter((entry) => !entry.once));
    for (const { listener } of entries) (listener as (...a: unknown[]) => unknown)(...args);
    return entries.length > 0;
  }
}

/** Electron's `Event`: what listeners may call `preventDefault()` on. */
export function electronEvent<P extends object>(params: P): Electron.Event<P> {
  let prevented = false;
  return Object.defineProperties(
    { ...params },
    {
      preventDefault: { value: () => (prevented = true), enumerable: true },
      defaultPrevented: { get: () => prevented, enumerable: true },
    },
  ) as Electron.Event<P>;
}

import type { Logger } from './ports';

export type Disposer = () => void;

/**
 * How the core's parts tell each other what happened, in the spirit of VS Code's
 * `onDid…` events: the emitter names the event and its payload, whoever cares
 * subscribes, and neither imports the other. The UI's events are the contract's
 * (api/event-hub); these stay inside the main process and may carry rows.
 */
export interface Bus<Events extends object> {
  /** Calls every listener of `event` in the order they subscribed; a listener that throws or rejects is logged and the others still run. */
  emit<E extends keyof Events>(event: E, payload: Events[E]): void;
  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void | Promise<unknown>): Disposer;
}

export function createBus<Events extends object>(logger: Logger): Bus<Events> {
  const listeners = new Map<keyof Events, Set<(payload: never) => void | Promise<unknown>>>();
  const failed = (event: keyof Events) => (error: unknown) => logger.error('a listener of an event inside the app failed', { event: String(event), error });
  return {
    emit(event, payload) {
      for (const listener of [...(listeners.get(event) ?? [])]) {
        try {
          const result = (listener as (payload: Events[typeof event]) => void | Promise<unknown>)(payload);
          if (result instanceof Promise) result.catch(failed(event));
        } catch (error) {
          failed(event)(error);
        }
      }
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: never) => void | Promise<unknown>);
      return () => set.delete(listener as (payload: never) => void | Promise<unknown>);
    },
  };
}

/**
 * Runs `work`, or, when asked again while it runs, once more after it: a burst
 * of asks (a Push catch-up delivering page after page) costs at most two runs,
 * one at a time. A failure is the caller's to word.
 */
export function coalesced(work: () => Promise<unknown>, failed: (error: unknown) => void): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    void work()
      .catch(failed)
      .finally(() => {
        running = false;
        if (again) run();
      });
  };
  return run;
}

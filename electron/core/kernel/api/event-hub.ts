import { events } from '../../../../shared/api/contract';
import type { EventHub, EventListener, Logger } from '../ports';

export function createEventHub(logger: Logger): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      // An event outside the contract is a bug on this side; stop it here rather than in the UI.
      const checked = events[event].safeParse(payload);
      if (!checked.success) {
        logger.error('event outside the contract was not sent', { event });
        return;
      }
      for (const listener of listeners) {
        try {
          listener(event, checked.data);
        } catch (error) {
          logger.error('event listener failed', { event, error });
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

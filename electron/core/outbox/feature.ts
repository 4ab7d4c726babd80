import { throttle } from '../kernel/platform/throttle';
import type { Core, Feature } from '../services/feature';
import { outboxHandlers } from './outbox-handlers';
import { outboxWipeStep } from './wipe-step';

/** What waits to leave this computer, shown and managed; the queue itself is a shared service. */
export function outboxFeature(core: Core, wipeLastCallMs: number): Feature {
  const { bus, outbox } = core;
  const changed = throttle(() => {
    core.events.emit('outbox.changed', {});
    bus.emit('status.stale', {});
  }, 250);
  bus.on('outbox.moved', () => changed.poke());
  // Back online after being offline: what waited for the network goes now.
  bus.on('connection.back', () => outbox.online());
  bus.on('connection.changed', () => outbox.kick());
  return {
    handlers: outboxHandlers({ outbox, data: core.data, owner: () => core.connection()?.owner ?? null }),
    wipeSteps: [outboxWipeStep(outbox, { canSend: () => core.connection() !== null, clock: core.clock, timeoutMs: wipeLastCallMs })],
    // Rows a crash left half sent go back to the queue; their keys make the resend safe.
    recover: () => outbox.start(),
    async close() {
      await outbox.close();
      changed.cancel();
    },
  };
}

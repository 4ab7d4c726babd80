import type { Core, Feature } from '../services/feature';
import type { RunTimeouts } from './run';
import { ProdigyService } from './service';
import { sessionHandlers } from './session-handlers';

export interface SessionsFeature extends Feature {
  readonly prodigy: ProdigyService;
}

/** Prodigy sessions on the assignments' files, and the answers they hold. */
export function sessionsFeature(core: Core, tuning: { timeouts?: Partial<RunTimeouts>; pickPort?: () => Promise<number> }): SessionsFeature {
  const { bus } = core;
  const prodigy = new ProdigyService({
    dataDir: core.config.dataDir,
    data: core.data,
    store: core.store,
    clock: core.clock,
    logger: core.logger,
    notifier: core.notifier,
    events: core.events,
    prodigyCommand: () => core.settings().prodigyCommand,
    place: core.place,
    viewer: core.ports.viewer,
    env: core.config.env,
    homedir: core.config.homedir,
    timeouts: tuning.timeouts,
    pickPort: tuning.pickPort,
    // Inside the transaction that records the failure: whoever announces it does so in the same one.
    failed: (assignmentId, failure) => bus.emit('session.failed', { assignmentId, ...failure }),
    ended: (assignmentId) => bus.emit('session.ended', { assignmentId }),
  });
  return {
    prodigy,
    handlers: sessionHandlers(prodigy),
    wipeSteps: [prodigy.wipeStep()],
    // A Prodigy left running by a crash of this app is stopped before anything else starts one.
    recover: () => prodigy.stopOrphans(),
    close: () => prodigy.close(),
  };
}

import { coalesced } from '../kernel/bus';
import type { Core, Feature } from '../services/feature';
import { escalationHandlers } from './escalation-handlers';
import { EscalationService } from './service';

export interface EscalationsFeature extends Feature {
  readonly escalations: EscalationService;
}

/** Items this computer asks reviewers about, and the decisions that come back into Prodigy. */
export function escalationsFeature(core: Core, options: { quitWaitMs?: number } = {}): EscalationsFeature {
  const escalations = new EscalationService({
    dataDir: core.config.dataDir,
    data: core.data,
    store: core.store,
    outbox: core.outbox,
    clock: core.clock,
    logger: core.logger,
    env: core.config.env,
    prodigyCommand: () => core.settings().prodigyCommand,
    reviewedDataset: (dataset) => core.settings().reviewedDataset.replaceAll('{dataset}', dataset),
    connection: core.connection,
    changed: () => core.events.emit('escalations.changed', {}),
  });
  const refresh = coalesced(
    () => (core.usableConnection() ? escalations.refreshDecisions() : Promise.resolve()),
    (error) => core.logger.info('decisions were not brought up to date', { error }),
  );
  core.bus.on('file360.due', refresh);
  core.bus.on('push.received', ({ types }) => {
    if (types.has('decision.made')) refresh();
  });
  return {
    escalations,
    handlers: escalationHandlers(escalations),
    outboxKinds: { escalation: escalations.outboxKind() },
    wipeSteps: [escalations.wipeStep()],
    close: () => escalations.close(options.quitWaitMs),
  };
}

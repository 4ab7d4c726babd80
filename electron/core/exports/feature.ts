import type { Owner } from '../kernel/identity';
import { QUIT_WAIT_MS, settleOrStop } from '../kernel/platform/settle';
import type { Core, Feature } from '../services/feature';
import { AheadOfExpiry } from './ahead-of-expiry';
import { exportHandlers } from './export-handlers';
import { ExportService, type ExportDeps } from './service';

/** What an export asks of the escalations and lineage features, as the export service declares it. */
export interface ExportsParts extends Pick<ExportDeps, 'escalations' | 'lineage'> {
  /** Stores a reminder for an account (the notifications feature). */
  tell(owner: Owner, notice: { source: 'reminder'; type: 'deadline.approaching'; title: string; summary: string; assignmentId: string; collapseKey?: string; expires?: string }): void;
}

/** Answers exported into packages with their disputes, queued for File 360, and sent ahead of an assignment's expiry. */
export function exportsFeature(core: Core, parts: ExportsParts, options: { quitWaitMs?: number } = {}): Feature {
  const { bus, data, logger } = core;
  const app = { name: core.config.appName, version: core.config.version };
  const exports = new ExportService({
    dataDir: core.config.dataDir,
    data,
    store: core.store,
    outbox: core.outbox,
    escalations: parts.escalations,
    lineage: parts.lineage,
    clock: core.clock,
    logger,
    env: core.config.env,
    app,
    prodigyCommand: () => core.settings().prodigyCommand,
    changed: (assignmentId) => core.events.emit('exports.changed', { assignmentId }),
    uploaded: (row, remote) => bus.emit('package.uploaded', { row, remote }),
  });
  const ahead = new AheadOfExpiry({
    db: () => data.require().db,
    clock: core.clock,
    logger,
    settings: core.settings,
    exportNow: (id, trigger) => exports.run(id, trigger),
    exportedBefore: (id) => exports.list(id).length > 0,
    tell: (owner, notice) => parts.tell(owner, { source: 'reminder', type: 'deadline.approaching', ...notice }),
  });
  bus.on('session.ended', ({ assignmentId }) =>
    ahead.sessionEnded(assignmentId)?.catch((error: unknown) => logger.warn('answers could not be exported after a session', { assignmentId, error })),
  );
  core.events.subscribe((event) => {
    if (event === 'assignments.changed' && !data.problem()) ahead.refresh();
  });
  bus.on('settings.changed', ({ keys }) => {
    if (keys.includes('sendBeforeExpiryMinutes') || keys.includes('autoExport')) ahead.refresh();
  });
  bus.on('app.resumed', () => ahead.refresh());
  return {
    handlers: exportHandlers(exports),
    outboxKinds: { package: exports.outboxKind() },
    wipeSteps: [exports.wipeStep()],
    start: () => ahead.start(),
    async close() {
      // Sessions stopped on the way out may have started exports of their last answers, and one
      // asked for by hand may be under way: they finish first.
      ahead.stop();
      await settleOrStop(Promise.all([ahead.settled(), exports.settled()]), options.quitWaitMs ?? QUIT_WAIT_MS, exports.quitting);
    },
  };
}

import type { Core, Feature } from '../services/feature';
import { queueAuditBatches } from './audit-batches';
import { auditHandlers } from './audit-handlers';
import { auditSender } from './audit-sender';
import { pullAuditHistory } from './history';

/**
 * The audit log: checked as found at start, sent to File 360 in batches as it
 * grows, pruned by the retention setting, and shown beside File 360's own
 * access history, which is fetched when it is due and when the Audit view opens.
 */
export function auditFeature(core: Core): Feature {
  const { bus, data, integrity, outbox, clock, logger, config, ports } = core;
  const queueBatches = () => {
    const current = core.usableConnection();
    if (!current) return;
    queueAuditBatches(data, outbox, current.owner);
    outbox.kick();
  };
  const pullHistory = async () => {
    const current = core.usableConnection();
    if (!current) return 0;
    const mine = core.store.assignments(current.owner).filter((a) => a.user_id === current.owner.userId);
    const added = await pullAuditHistory({ data, logger, now: () => clock.now().toISOString() }, current.client, current.owner, mine.map((a) => a.id));
    if (added > 0) core.events.emit('audit.changed', {});
    return added;
  };
  // One pull at a time, so two never read the same page; a failed one does not stop the next.
  let pulling: Promise<unknown> = Promise.resolve();
  const pullInTurn = (): Promise<number> => {
    const run = pulling.then(pullHistory);
    pulling = run.catch(() => 0);
    return run;
  };
  // File 360's history is for the Audit view only: a server without it holds up nothing else.
  const historyInBackground = () =>
    void pullInTurn().catch((error: unknown) => logger.info('File 360’s audit history was not brought up to date', { error }));

  // The downloads just recorded go to File 360 now, not one sync later.
  bus.on('assignment.synced', queueBatches);
  bus.on('file360.due', ({ why }) => {
    queueBatches();
    // After a sign-in (a new device, perhaps) the history may be all File 360 keeps: it waits for the Audit view
    // or the schedule rather than share the first sync's time.
    if (why !== 'signed-in') historyInBackground();
    // Batches File 360 acknowledged since may now be old enough to go.
    integrity.prune();
  });
  bus.on('settings.changed', ({ keys }) => {
    if (keys.includes('auditRetentionDays')) integrity.prune();
  });

  return {
    handlers: {
      ...auditHandlers(data, integrity),
      'audit.fetchHistory': async () => ({ added: await pullInTurn() }),
    },
    outboxKinds: { audit: auditSender(() => data.require().db) },
    recover() {
      // The log is checked as found, before this run adds to it, so rows cut off the end are not mistaken for ones replaced.
      integrity.checkAtStart();
      data.transaction(({ audit, installationId }) => {
        audit.append({ type: 'app.started', details: { version: config.version, shell: config.shell, platform: config.platform, installationId } });
        if (ports.secrets.status.kind === 'memory') audit.append({ type: 'keychain.unavailable', details: {} });
      });
      integrity.prune();
    },
  };
}

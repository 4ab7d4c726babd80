import type { AnswerProgress } from '../../../shared/api/schemas/answers';
import type { Owner } from '../kernel/identity';
import { coalesced } from '../kernel/bus';
import type { AssignmentRow } from '../services/assignments/store';
import type { WipeStep } from '../services/assignments/wipe';
import type { Core, DueReason, Feature } from '../services/feature';
import type { FileDeadline } from './downloader';
import { SyncEngine } from './engine';
import type { RetryOptions } from './run';
import { syncHandlers } from './sync-handlers';

/** Push notifications that mean File 360 has new or changed files for this computer. */
const NEW_WORK = ['batch.assigned', 'task.assigned', 'relabel.requested'];

export interface AssignmentsParts {
  /** Stores a notification for an account, signed in or not (the notifications feature). */
  tell(owner: Owner, notice: { type: 'assignment.removed'; title: string; summary: string; assignmentId: string }): void;
  /** How far an assignment's answers are (the sessions feature). */
  answers(row: AssignmentRow): AnswerProgress | null;
  /** Every feature's part in a wipe (registered by the root). */
  wipeSteps(): readonly WipeStep[];
  tuning: { retry?: RetryOptions; fileDeadline?: FileDeadline };
}

/**
 * Assignments and their sync: File 360's list turned into verified files here,
 * synced when asked, on a schedule, at sign-in and when Push announces new work;
 * removed when a share ends.
 */
export function assignmentsFeature(core: Core, parts: AssignmentsParts): Feature {
  const { bus, data, logger } = core;
  // A sync the app starts on its own (sign-in, start, schedule) is also when File 360's other catch-ups are due,
  // once the list has come: a Sync click asks for the assignments only.
  let dueAfterRefresh: DueReason | null = null;
  const engine = new SyncEngine({
    dataDir: core.config.dataDir,
    data,
    clock: core.clock,
    logger,
    notifier: core.notifier,
    events: core.events,
    settings: core.settings,
    connection: core.connection,
    place: core.place,
    reachable: core.reachable,
    store: core.store,
    retry: parts.tuning.retry,
    fileDeadline: parts.tuning.fileDeadline,
    tell: parts.tell,
    answers: parts.answers,
    wipeSteps: parts.wipeSteps,
    scheduled: () => {
      dueAfterRefresh = 'scheduled';
    },
    refreshed: () => {
      bus.emit('assignments.refreshed', {});
      if (!dueAfterRefresh) return;
      const why = dueAfterRefresh;
      dueAfterRefresh = null;
      bus.emit('file360.due', { why });
    },
    synced: (assignmentId) => bus.emit('assignment.synced', { assignmentId }),
  });
  const syncOnItsOwn = (why: DueReason) => {
    dueAfterRefresh = why;
    void engine.sync().catch((error: unknown) => logger.info('sync did not finish', { error }));
  };
  const syncForPush = coalesced(
    () => engine.sync(),
    (error) => logger.info('sync after a push notification did not finish', { error }),
  );

  bus.on('auth.signedIn', () => syncOnItsOwn('signed-in'));
  // Signed out: what was shared with the account and has expired goes by this computer's clock.
  bus.on('auth.signedOut', () => engine.checkExpiry());
  bus.on('push.received', ({ types }) => {
    if (NEW_WORK.some((type) => types.has(type)) && core.usableConnection()) syncForPush();
  });
  bus.on('settings.changed', ({ keys }) => {
    if (keys.includes('syncIntervalMinutes')) engine.schedule();
    // The deadline shown beside each assignment moves with the setting.
    if (keys.includes('sendBeforeExpiryMinutes')) core.events.emit('assignments.changed', {});
  });

  return {
    handlers: syncHandlers(engine, logger),
    // Expired shares are removed at start by this computer's clock, before any network.
    offline: () => engine.checkExpiry(),
    start() {
      engine.schedule();
      if (core.connection()) syncOnItsOwn('started');
    },
    close: () => engine.close(),
  };
}

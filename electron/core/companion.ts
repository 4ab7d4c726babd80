import path from 'node:path';
import type { AnswerProgress } from '../../shared/api/schemas/answers';
import type { AppInfo, Status } from '../../shared/api/schemas/app';
import type { Settings } from '../../shared/api/schemas/settings';
import type { Route } from '../../shared/routes';
import { createEventHub } from './kernel/api/event-hub';
import { createRouter, type Handlers, type Router } from './kernel/api/router';
import { appHandlers } from './app/app-handlers';
import { auditHandlers } from './audit/audit-handlers';
import { pullAuditHistory } from './audit/history';
import { AuditIntegrity } from './kernel/db/integrity';
import type { CompanionConfig } from './kernel/config/config';
import { openLocalData } from './kernel/db/local-data';
import { authHandlers } from './auth/auth-handlers';
import { File360Service } from './remote/file360/service';
import { acquireInstanceLock } from './kernel/platform/instance-lock';
import { redactText } from './kernel/platform/logger';
import type { Ports } from './kernel/ports';
import { settingsHandlers } from './settings/settings-handlers';
import { createSettingsService } from './settings/settings-service';
import { SyncEngine } from './assignments/engine';
import type { FileDeadline } from './assignments/downloader';
import type { RetryOptions } from './assignments/run';
import { syncHandlers } from './assignments/sync-handlers';
import { ProdigyService } from './sessions/service';
import type { RunTimeouts } from './sessions/run';
import { sessionHandlers } from './sessions/session-handlers';
import { escalationHandlers } from './escalations/escalation-handlers';
import { EscalationService } from './escalations/service';
import { exportHandlers } from './exports/export-handlers';
import { AheadOfExpiry } from './exports/ahead-of-expiry';
import { ExportService } from './exports/service';
import { lineageHandlers } from './lineage/lineage-handlers';
import { LineageService } from './lineage/service';
import { Announcer } from './app-events/announce';
import { createHttp, type HttpOptions } from './kernel/http/http';
import { NotificationCenter } from './notifications/center';
import { guardedNotifier } from './notifications/guarded-notifier';
import { localNotification } from './notifications/local';
import { notificationsWipeStep } from './notifications/wipe-step';
import { notificationHandlers } from './notifications/notifications-handlers';
import { notificationRules } from './notifications/rules';
import { DEFAULT_REMINDER_SETTINGS, Reminders } from './reminders/reminders';
import { queueAuditBatches } from './audit/audit-batches';
import { Outbox } from './services/outbox/outbox';
import { outboxHandlers } from './outbox/outbox-handlers';
import { outboxWipeStep } from './outbox/wipe-step';
import type { Backoff } from './services/outbox/outcome';
import { auditSender } from './audit/audit-sender';
import { pushSender } from './services/outbox/push-sender';
import type { PushClientDeps } from './remote/push/client';
import { PushFollower } from './remote/push/follower';
import { topicChoices } from './remote/push/topics';
import { reviewHandlers } from './reviews/review-handlers';
import { ReviewService } from './reviews/service';
import { throttle } from './assignments/progress';
import { readAppState, writeAppState } from './kernel/db/app-state';
import { UpdateService } from './updates/service';
import { updatesHandlers } from './updates/updates-handlers';
import { type EventHub } from './kernel/ports';

export interface Companion {
  readonly router: Router;
  readonly events: EventHub;
  info(): AppInfo;
  status(): Status;
  /** Show a place in the UI: now if a window is listening, else when one asks. */
  navigate(route: Route): void;
  /** The computer woke from sleep: timers may have slept through reminders and the end of quiet hours. */
  resumed(): void;
  /** The process-level last line caught an error (platform/last-line.ts): audit it and tell the user. */
  recordUnexpected(error: unknown, origin: string, fatal: boolean): void;
  /** The settings in force (the desktop shell reads keepInTray when the window closes). */
  settings(): Settings;
  /** True the first time only: the shell then explains that closing the window leaves the app in the tray. */
  explainTrayOnce(): boolean;
  /** The window went away: the next one asks for the pending place again. */
  uiClosed(): void;
  close(): Promise<void>;
}

/** Knobs for tests and benchmarks; the app runs with the defaults. */
export interface CompanionTuning {
  http?: Partial<HttpOptions>;
  syncRetry?: RetryOptions;
  fileDeadline?: FileDeadline;
  prodigy?: Partial<RunTimeouts>;
  /** Hands out ports for Prodigy; tests give a busy one first. */
  pickPort?: () => Promise<number>;
  outbox?: { concurrency?: number; backoff?: Partial<Backoff>; commitDelayMs?: number };
  /** How long a wipe waits for the last call of what the assignment still has in the outbox (default 30 s). */
  wipeLastCallMs?: number;
  push?: Pick<PushClientDeps, 'keepaliveTimeoutMs' | 'reconnect'>;
}

export const DATABASE_NAME = 'companion.db';
const TRAY_EXPLAINED_KEY = 'tray_explained';
export const SETTINGS_NAME = 'settings.json';

/** Builds the whole app from its configuration and the ports a shell provides. */
export async function createCompanion(config: CompanionConfig, ports: Ports, tuning: CompanionTuning = {}): Promise<Companion> {
  const { clock, logger, secrets, opener, viewer } = ports;
  const notifier = guardedNotifier(ports.notifier, logger);
  const releaseLock = acquireInstanceLock(config.dataDir);
  const events = ports.events ?? createEventHub(logger);
  const settings = createSettingsService(path.join(config.dataDir, SETTINGS_NAME), config.overrides);
  // The audit log names the signed-in user, who is only known once File 360 (which needs the database) is up.
  const signedIn = { user: (): Status['user'] => null };
  const actor = () => {
    const user = signedIn.user();
    return user ? `user:${user.id}` : 'local';
  };
  // The Audit view follows the log as entries are written; a burst of them is one re-read.
  const auditChanged = throttle(() => events.emit('audit.changed', {}), 250);
  const data = openLocalData(
    path.join(config.dataDir, DATABASE_NAME),
    clock,
    actor,
    logger,
    (words) => notifier.show({ title: 'The local database is damaged', body: words, route: null }),
    () => auditChanged.poke(),
  );
  const integrity = new AuditIntegrity({ data, clock, notifier, logger, retentionDays: () => settings.values().auditRetentionDays });
  const place = () => {
    const { server, tenant } = settings.values();
    return server && tenant ? { server: server.replace(/\/+$/, ''), tenant } : null;
  };

  const info = (): AppInfo => ({
    name: config.appName,
    version: config.version,
    shell: config.shell,
    platform: config.platform,
    dataDir: config.dataDir,
    databaseFile: data.file,
    startupProblem: data.problem(),
    sandboxWorkspace: config.sandboxWorkspace,
  });

  const status = (): Status => {
    const pending = data.problem() ? { queued: 0, sending: 0, failed: 0 } : outbox.store.pending();
    return {
      connection: file360.connectionState(),
      server: settings.values().server,
      user: file360.user(),
      queued: pending.queued + pending.sending,
      failed: pending.failed,
      keychain: secrets.status,
      unread: data.problem() || !connection() ? 0 : center.unreadCount(),
      push: push.state(),
    };
  };
  const statusChanged = () => events.emit('status.changed', status());
  // Back online after being offline: what waited for the network goes now.
  const reachable = (ok: boolean) => {
    const wasOffline = file360.connectionState() === 'offline';
    file360.reachable(ok);
    if (ok && wasOffline) outbox.online();
  };
  const connection = () => file360.connection();

  const outboxChanged = throttle(() => {
    events.emit('outbox.changed', {});
    statusChanged();
  }, 250);
  const outbox = new Outbox({
    data,
    clock,
    logger,
    dataDir: config.dataDir,
    connection,
    reachable: (ok) => reachable(ok),
    changed: () => outboxChanged.poke(),
    ...tuning.outbox,
  });

  const notificationsChanged = throttle(() => {
    const now = status();
    events.emit('notifications.changed', { unread: now.unread });
    events.emit('status.changed', now);
  }, 250);
  const center = new NotificationCenter({
    db: () => data.require().db,
    owner: () => connection()?.owner ?? null,
    clock,
    notifier,
    logger,
    rules: () => notificationRules(settings.values()),
    onChange: () => notificationsChanged.poke(),
    wipedHere: (id) => {
      const row = engine.store.assignment(id);
      return row?.wiped_at ? row.name : null;
    },
  });
  const reminders = new Reminders({
    db: () => data.require().db,
    owner: () => connection()?.owner ?? null,
    clock,
    logger,
    settings: () => ({ ...DEFAULT_REMINDER_SETTINGS, offsetsHours: settings.values().reminderHours, sendBeforeExpiryMinutes: settings.values().sendBeforeExpiryMinutes }),
    deliver: (batch) => center.receive(batch),
  });

  const pushHttp = createHttp({ userAgent: `AnnotatorCompanion/${config.version}`, ...tuning.http, bodyTimeoutMs: 0 });
  const push = new PushFollower({
    signedIn: () => {
      const session = file360.session();
      const owner = connection()?.owner;
      return session && owner && !data.problem() ? { session, owner } : null;
    },
    client: {
      http: pushHttp,
      db: () => data.require().db,
      clock,
      logger,
      installationId: () => data.require().installationId,
      appVersion: config.version,
      sink: (batch) => {
        const stored = center.receive(batch);
        // After the transaction that stored them: what they announce is fetched at once, not at the next sync.
        // A new device's history is already covered by the sync and refresh that follow sign-in.
        for (const n of batch) if (!n.history) pushed.add(n.type);
        setImmediate(reactToPush);
        return stored;
      },
      onState: () => statusChanged(),
      reachable: (ok) => reachable(ok),
      ...tuning.push,
    },
    logger,
    gapChanged: () => notificationsChanged.poke(),
  });
  const followPush = () => {
    if (!push.follow()) return;
    void syncTopics();
    // Another account: its own held notifications and reminders.
    center.start();
    reminders.refresh();
    statusChanged();
  };
  // A catch-up delivers page after page: what they announce is fetched once per round, one round at a time.
  const pushed = new Set<string>();
  let reacting = false;
  const reactToPush = () => {
    if (reacting || pushed.size === 0) return;
    const types = new Set(pushed);
    pushed.clear();
    if (!connection() || data.problem()) return;
    const quietly = (what: string) => (error: unknown) => logger.info(`${what} after a push notification did not finish`, { error });
    reacting = true;
    void Promise.all([
      types.has('batch.assigned') || types.has('task.assigned') || types.has('relabel.requested') ? engine.sync().catch(quietly('sync')) : null,
      types.has('review.requested') ? reviews.refresh().then(() => reminders.refresh(), quietly('review refresh')) : null,
      types.has('decision.made') ? escalations.refreshDecisions().catch(quietly('decision refresh')) : null,
    ]).finally(() => {
      reacting = false;
      reactToPush();
    });
  };
  /** The signed-in account and its own assignments still on this computer: what Push topics follow. */
  const subscriber = () => {
    const account = file360.session()?.account();
    if (!account || data.problem()) return null;
    return { account, assignments: engine.store.assignments(account).filter((a) => a.user_id === account.userId && a.wiped_at === null) };
  };
  const syncTopics = async () => {
    const found = subscriber();
    if (found) await push.syncTopics(found.assignments, found.account.groups);
  };

  const announcer = new Announcer({ outbox, db: () => data.require().db, assignment: (id) => engine.store.assignment(id) });

  const engine = new SyncEngine({
    dataDir: config.dataDir,
    data,
    clock,
    logger,
    notifier,
    events,
    settings: () => settings.values(),
    connection,
    place,
    reachable: (ok) => reachable(ok),
    retry: tuning.syncRetry,
    fileDeadline: tuning.fileDeadline,
    tell: (owner, notice) => center.record(owner, [localNotification({ source: 'app', ...notice }, clock.now())]),
    refreshed: () => void exchange(),
    // Read when the list is, after the Prodigy feature below exists.
    answers: (row): AnswerProgress | null => prodigy.answerProgress(row),
    // The downloads just recorded go to File 360 now, not one sync later.
    synced: () => {
      const current = connection();
      if (!current || data.problem()) return;
      queueAuditBatches(data, outbox, current.owner);
      outbox.kick();
    },
  });
  const prodigy: ProdigyService = new ProdigyService({
    dataDir: config.dataDir,
    data,
    store: engine.store,
    clock,
    logger,
    notifier,
    events,
    prodigyCommand: () => settings.values().prodigyCommand,
    place,
    viewer,
    env: config.env,
    homedir: config.homedir,
    timeouts: tuning.prodigy,
    pickPort: tuning.pickPort,
    failed: (id, failure) =>
      announcer.pipelineFailed(id, failure.reason === 'crashed' ? 'Prodigy crashed' : 'Task files could not be read', failure.message, { reason: failure.reason }),
    ended: (id) => void ahead.sessionEnded(id)?.catch((error: unknown) => logger.warn('answers could not be exported after a session', { assignmentId: id, error })),
  });
  const sessions = prodigy;

  const escalations = new EscalationService({
    dataDir: config.dataDir,
    data,
    store: engine.store,
    outbox,
    clock,
    logger,
    env: config.env,
    prodigyCommand: () => settings.values().prodigyCommand,
    reviewedDataset: (dataset) => settings.values().reviewedDataset.replaceAll('{dataset}', dataset),
    connection,
    changed: () => events.emit('escalations.changed', {}),
  });
  const lineage = new LineageService({ data, store: engine.store, app: { name: config.appName, version: config.version } });
  const exports = new ExportService({
    dataDir: config.dataDir,
    data,
    store: engine.store,
    outbox,
    escalations,
    prodigy,
    lineage,
    clock,
    logger,
    env: config.env,
    app: { name: config.appName, version: config.version },
    prodigyCommand: () => settings.values().prodigyCommand,
    changed: (assignmentId) => events.emit('exports.changed', { assignmentId }),
    uploaded: (row, remote) => announcer.packageUploaded(row, remote),
  });
  const reviews = new ReviewService({
    data,
    store: engine.store,
    outbox,
    clock,
    logger,
    connection: () => {
      const current = connection();
      const user = file360.user();
      return current && user ? { ...current, displayName: user.displayName } : null;
    },
    changed: () => events.emit('reviews.changed', {}),
  });
  const ahead = new AheadOfExpiry({
    db: () => data.require().db,
    clock,
    logger,
    settings: () => settings.values(),
    exportNow: (id, trigger) => exports.run(id, trigger),
    exportedBefore: (id) => exports.list(id).length > 0,
    tell: (owner, notice) => center.record(owner, [localNotification({ source: 'reminder', type: 'deadline.approaching', ...notice }, clock.now())]),
  });
  events.subscribe((event) => {
    if (event === 'assignments.changed' && !data.problem()) ahead.refresh();
  });
  // Each feature's part in a wipe. The order is the order they settle in: Prodigy stops (every answer is in its
  // database), the outbox gives what waits its last call, the exports count what arrived and what did not;
  // notifications are stripped before the escalations and reviews they name are removed.
  engine.addWipeStep(prodigy.wipeStep());
  engine.addWipeStep(outboxWipeStep(outbox, { canSend: () => connection() !== null, clock, timeoutMs: tuning.wipeLastCallMs ?? 30_000 }));
  engine.addWipeStep(exports.wipeStep());
  engine.addWipeStep(notificationsWipeStep(clock));
  engine.addWipeStep(escalations.wipeStep());
  engine.addWipeStep(reviews.wipeStep());

  outbox.register('package', exports.outboxKind());
  outbox.register('escalation', escalations.outboxKind());
  outbox.register('decision', reviews.outboxKind());
  outbox.register('audit', auditSender(() => data.require().db));
  outbox.register('push', pushSender(push));

  /** After File 360 answered: the audit trail, decisions for the annotator, items for the reviewer, and the queue. */
  const exchange = async () => {
    const current = connection();
    if (!current || data.problem()) return;
    try {
      queueAuditBatches(data, outbox, current.owner);
      outbox.kick();
      const mine = engine.store.assignments(current.owner).filter((a) => a.user_id === current.owner.userId);
      // File 360's history is for the Audit view only: a server without it must not hold up decisions and reminders.
      const history = pullAuditHistory({ data, logger, now: () => clock.now().toISOString() }, current.client, current.owner, mine.map((a) => a.id)).catch((error: unknown) =>
        logger.info('File 360’s audit history was not brought up to date', { error }),
      );
      await Promise.all([escalations.refreshDecisions(), reviews.refresh(), history]);
      // Batches File 360 acknowledged since the last exchange may now be old enough to go.
      integrity.prune();
      // New due dates and review items: the next reminder may have moved.
      reminders.refresh();
      await syncTopics();
    } catch (error) {
      logger.info('exchange with File 360 did not finish', { error });
    }
  };
  const syncInBackground = () => void engine.sync().catch((error: unknown) => logger.info('sync did not finish', { error }));

  const file360: File360Service = new File360Service({
    place,
    data,
    secrets,
    clock,
    logger,
    opener,
    events,
    http: { userAgent: `AnnotatorCompanion/${config.version}`, ...tuning.http },
    signedIn: syncInBackground,
    changed: () => {
      followPush();
      statusChanged();
      outbox.kick();
    },
  });
  signedIn.user = () => file360.user();

  const updates = new UpdateService({
    port: ports.updater ?? null,
    off: config.sandboxWorkspace ? 'This is the sandbox workspace, run from this folder: it never updates itself. Packaged releases do.' : null,
    version: config.version,
    data,
    events,
    clock,
    logger,
    notifier,
    channel: () => settings.values().updateChannel,
    online: () => file360.connectionState() !== 'offline',
    uploadsInFlight: () => outbox.store.pending().sending,
  });
  const applyLoginItem = () =>
    void ports.loginItem?.set(settings.values().openAtLogin).catch((error: unknown) => logger.warn('open at login could not be changed', { error }));

  let uiReady = false;
  let pendingRoute: Route | null = null;

  const handlers: Handlers = {
    ...appHandlers({
      data,
      events,
      info,
      status,
      recovered: () => startWithData(),
      takePendingRoute: () => {
        uiReady = true;
        const route = pendingRoute;
        pendingRoute = null;
        return route;
      },
    }),
    ...settingsHandlers({
      settings,
      data,
      clock,
      topicChoices: () => {
        const found = subscriber();
        return found ? topicChoices(found.assignments, found.account.groups) : [];
      },
      changed: (keys) => {
        if (keys.includes('server') || keys.includes('tenant')) void file360.follow().then(statusChanged);
        if (keys.includes('syncIntervalMinutes')) engine.schedule();
        if (keys.includes('quietHours') || keys.includes('mutedNotificationTypes') || keys.includes('mutedTopics')) center.start();
        if (keys.includes('reminderHours') || keys.includes('sendBeforeExpiryMinutes')) reminders.refresh();
        if (keys.includes('sendBeforeExpiryMinutes') || keys.includes('autoExport')) ahead.refresh();
        if (keys.includes('sendBeforeExpiryMinutes')) events.emit('assignments.changed', {});
        if (keys.includes('auditRetentionDays')) integrity.prune();
        if (keys.includes('updateChannel')) updates.channelChanged();
        if (keys.includes('openAtLogin')) applyLoginItem();
        statusChanged();
      },
    }),
    ...auditHandlers(data, integrity),
    ...authHandlers(file360, status, () => void engine.checkExpiry()),
    ...syncHandlers(engine, logger),
    ...sessionHandlers(sessions),
    ...exportHandlers(exports),
    ...lineageHandlers(lineage),
    ...escalationHandlers(escalations),
    ...reviewHandlers(reviews),
    ...notificationHandlers({ center, push: () => push.state(), gap: () => push.gap() }),
    ...outboxHandlers({
      outbox,
      data,
      owner: () => connection()?.owner ?? null,
    }),
    ...updatesHandlers(updates),
  };

  /** What needs the database: run at start, or once a damaged database has been replaced. */
  const startWithData = async () => {
    // The log is checked as found, before this run adds to it, so rows cut off the end are not mistaken for ones replaced.
    integrity.checkAtStart();
    data.transaction(({ audit, installationId }) => {
      audit.append({
        type: 'app.started',
        details: { version: config.version, shell: config.shell, platform: config.platform, installationId },
      });
      if (secrets.status.kind === 'memory') audit.append({ type: 'keychain.unavailable', details: {} });
    });
    integrity.prune();
    // A Prodigy left running by a crash of this app is stopped before anything else starts one.
    await sessions.stopOrphans();
    // Rows a crash left half sent go back to the queue; their keys make the resend safe.
    outbox.start();
    // Expired shares are removed at start by this computer's clock, before any network.
    await engine.checkExpiry();
    await file360.follow();
    // Both work from the database alone: held notifications and missed reminders come offline too.
    center.start();
    reminders.start();
    ahead.start();
    followPush();
    engine.schedule();
    if (file360.connection()) syncInBackground();
  };
  if (!data.problem()) await startWithData();
  // Also with a damaged database: an update may be what fixes it.
  updates.start();
  applyLoginItem();

  return {
    router: createRouter(handlers, logger),
    events,
    info,
    status,
    navigate(route) {
      if (uiReady) events.emit('navigate', route);
      else pendingRoute = route;
    },
    recordUnexpected(error, origin, fatal) {
      const message = redactText(error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
      notifier.show({
        title: fatal ? 'Annotator Companion has to close' : 'Something went wrong in the background',
        body: fatal
          ? 'An unexpected error stopped the app. Prodigy sessions are stopped and nothing saved is lost; start it again.'
          : 'An unexpected error interrupted work in the background. The app keeps running; the details are in its log.',
        route: null,
      });
      if (!data.problem()) data.transaction(({ audit }) => audit.append({ type: 'app.unexpected_error', details: { origin, fatal, message } }));
    },
    resumed() {
      if (data.problem()) return;
      center.start();
      reminders.refresh();
      ahead.refresh();
    },
    settings: () => settings.values(),
    explainTrayOnce() {
      if (data.problem()) return true;
      return data.transaction(({ db }) => {
        if (readAppState(db, TRAY_EXPLAINED_KEY)) return false;
        writeAppState(db, TRAY_EXPLAINED_KEY, clock.now().toISOString());
        return true;
      });
    },
    uiClosed() {
      uiReady = false;
    },
    async close() {
      updates.close();
      // Both refuse new work before anything is awaited: no Prodigy starts once quitting began, and no
      // sign-out or network change during shutdown starts a Push client on a closing database.
      const sessionsClosed = sessions.close();
      const pushClosed = push.close();
      await sessionsClosed;
      // Stopping sessions may have started exports of their last answers; they finish before the database closes.
      ahead.stop();
      await Promise.race([ahead.settled(), new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
      await outbox.close();
      outboxChanged.cancel();
      await pushClosed;
      await pushHttp.close();
      reminders.stop();
      center.stop();
      notificationsChanged.cancel();
      await engine.close();
      await file360.close();
      await integrity.close();
      data.close();
      auditChanged.cancel();
      releaseLock();
    },
  };
}

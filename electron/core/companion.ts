import path from 'node:path';
import type { AppInfo, Status } from '../../shared/api/schemas/app';
import type { Settings } from '../../shared/api/schemas/settings';
import type { Route } from '../../shared/routes';
import { createEventHub } from './kernel/api/event-hub';
import { collectHandlers, createRouter, type Router } from './kernel/api/router';
import { createBus } from './kernel/bus';
import type { CompanionConfig } from './kernel/config/config';
import { AuditIntegrity } from './kernel/db/integrity';
import { openLocalData } from './kernel/db/local-data';
import { createHttp, type HttpOptions } from './kernel/http/http';
import { acquireInstanceLock } from './kernel/platform/instance-lock';
import { throttle } from './kernel/platform/throttle';
import type { NotificationSink } from './kernel/incoming';
import type { EventHub, Ports } from './kernel/ports';
import { File360Service } from './remote/file360/service';
import type { PushClientDeps } from './remote/push/client';
import { PushFollower } from './remote/push/follower';
import { createSyncStore } from './services/assignments/store';
import type { WipeStep } from './services/assignments/wipe';
import type { Core, CoreEvents, Feature } from './services/feature';
import { Outbox } from './services/outbox/outbox';
import type { Backoff } from './services/outbox/outcome';
import type { OutboxKind } from './services/outbox/store';
import { appFeature } from './app/feature';
import { appEventsFeature } from './app-events/feature';
import { assignmentsFeature } from './assignments/feature';
import type { FileDeadline } from './assignments/downloader';
import type { RetryOptions } from './assignments/run';
import { auditFeature } from './audit/feature';
import { authFeature } from './auth/feature';
import { escalationsFeature } from './escalations/feature';
import { exportsFeature } from './exports/feature';
import { lineageFeature } from './lineage/feature';
import { guardedNotifier } from './notifications/guarded-notifier';
import { notificationsFeature } from './notifications/feature';
import { outboxFeature } from './outbox/feature';
import { remindersFeature } from './reminders/feature';
import { reviewsFeature } from './reviews/feature';
import { sessionsFeature } from './sessions/feature';
import type { RunTimeouts } from './sessions/run';
import { settingsFeature } from './settings/feature';
import { createSettingsService } from './settings/settings-service';
import { updatesFeature } from './updates/feature';

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
  /** How long quitting waits for a Prodigy command under way (a decision's db-in, an export's db-out) before stopping it (default 15 s). */
  quitWaitMs?: number;
  /** How long a wipe waits for the last call of what the assignment still has in the outbox (default 30 s). */
  wipeLastCallMs?: number;
  push?: Pick<PushClientDeps, 'keepaliveTimeoutMs' | 'reconnect'>;
}

export const DATABASE_NAME = 'companion.db';
export const SETTINGS_NAME = 'settings.json';

/** The kernel: the instance lock, the events, the settings, the database and its audit chain. */
function openKernel(config: CompanionConfig, ports: Ports) {
  const { clock, logger } = ports;
  const notifier = guardedNotifier(ports.notifier, logger);
  const releaseLock = acquireInstanceLock(config.dataDir);
  const events = ports.events ?? createEventHub(logger);
  const settings = createSettingsService(path.join(config.dataDir, SETTINGS_NAME), config.overrides);
  // The audit log names the signed-in user, who is only known once File 360 (which needs the database) is up.
  const signedIn = { user: (): Status['user'] => null };
  // The Audit view follows the log as entries are written; a burst of them is one re-read.
  const auditChanged = throttle(() => events.emit('audit.changed', {}), 250);
  const data = openLocalData(
    path.join(config.dataDir, DATABASE_NAME),
    clock,
    () => {
      const user = signedIn.user();
      return user ? `user:${user.id}` : 'local';
    },
    logger,
    (words) => notifier.show({ title: 'The local database is damaged', body: words, route: null }),
    () => auditChanged.poke(),
  );
  const integrity = new AuditIntegrity({ data, clock, notifier, logger, retentionDays: () => settings.values().auditRetentionDays });
  return {
    notifier,
    events,
    bus: createBus<CoreEvents>(logger),
    settings,
    signedIn,
    data,
    integrity,
    async close() {
      await integrity.close();
      data.close();
      auditChanged.cancel();
      releaseLock();
    },
  };
}

/** The remote clients (File 360, Push) and the outbox that sends through them, on the kernel. */
function connectRemote(config: CompanionConfig, ports: Ports, tuning: CompanionTuning, kernel: ReturnType<typeof openKernel>, pushSink: NotificationSink) {
  const { clock, logger } = ports;
  const { bus, data, settings, events } = kernel;
  const place = () => {
    const { server, tenant } = settings.values();
    return server && tenant ? { server: server.replace(/\/+$/, ''), tenant } : null;
  };
  const file360 = new File360Service({
    place,
    data,
    secrets: ports.secrets,
    clock,
    logger,
    opener: ports.opener,
    events,
    http: { userAgent: `AnnotatorCompanion/${config.version}`, ...tuning.http },
    signedIn: () => bus.emit('auth.signedIn', {}),
    changed: () => bus.emit('connection.changed', {}),
    back: () => bus.emit('connection.back', {}),
  });
  kernel.signedIn.user = () => file360.user();
  const reachable = (ok: boolean) => file360.reachable(ok);
  const connection = () => file360.connection();
  const outbox = new Outbox({ data, clock, logger, dataDir: config.dataDir, connection, reachable, changed: () => bus.emit('outbox.moved', {}), ...tuning.outbox });
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
      sink: pushSink,
      onState: () => bus.emit('status.stale', {}),
      reachable,
      ...tuning.push,
    },
    logger,
    gapChanged: () => bus.emit('push.gapChanged', {}),
  });
  const core: Core = {
    config,
    ports,
    clock,
    logger,
    notifier: kernel.notifier,
    events,
    bus,
    data,
    integrity: kernel.integrity,
    settings: () => settings.values(),
    place,
    file360,
    connection,
    usableConnection: () => (data.problem() ? null : connection()),
    reachable,
    push,
    outbox,
    store: createSyncStore(() => data.require().db),
  };
  return {
    core,
    /** Push refuses new work at once (no client starts on a closing database); the rest once the features are closed. */
    closing() {
      const pushClosed = push.close();
      return async () => {
        await pushClosed;
        await pushHttp.close();
        await file360.close();
      };
    },
  };
}

/**
 * Builds the whole app from its configuration and the ports a shell provides:
 * the kernel, the remote clients and the shared services, then the features,
 * which register their handlers, outbox kinds and wipe steps, and react to one
 * another through the bus.
 */
export async function createCompanion(config: CompanionConfig, ports: Ports, tuning: CompanionTuning = {}): Promise<Companion> {
  const kernel = openKernel(config, ports);
  const remote = connectRemote(config, ports, tuning, kernel, (batch) => notifications.fromPush(batch));
  const { core } = remote;
  const { bus, data } = core;

  const notifications = notificationsFeature(core);
  const sessions = sessionsFeature(core, { timeouts: tuning.prodigy, pickPort: tuning.pickPort });
  const escalations = escalationsFeature(core, { quitWaitMs: tuning.quitWaitMs });
  const lineage = lineageFeature(core);
  const app = appFeature(core, { unread: notifications.unread, recovered: () => startWithData() });
  const wipeSteps: WipeStep[] = [];
  // Started in this order; closed in the reverse, so what feeds another stops first: Prodigy's last answers go
  // into exports, exports into the outbox, the outbox's results into notifications, all of them into assignments.
  const features: Feature[] = [
    app,
    settingsFeature(core, kernel.settings, notifications.topicChoices),
    auditFeature(core),
    authFeature(core, app.status),
    assignmentsFeature(core, {
      tell: (owner, notice) => notifications.tell(owner, { source: 'app', ...notice }),
      answers: (row) => sessions.prodigy.answerProgress(row),
      wipeSteps: () => wipeSteps,
      tuning: { retry: tuning.syncRetry, fileDeadline: tuning.fileDeadline },
    }),
    notifications,
    remindersFeature(core, notifications.deliver),
    outboxFeature(core, tuning.wipeLastCallMs ?? 30_000),
    exportsFeature(core, { escalations: escalations.escalations, lineage: lineage.lineage, tell: notifications.tell }, { quitWaitMs: tuning.quitWaitMs }),
    escalations,
    reviewsFeature(core),
    lineage,
    appEventsFeature(core),
    sessions,
    updatesFeature(core),
  ];
  for (const feature of features) {
    wipeSteps.push(...(feature.wipeSteps ?? []));
    for (const [kind, handler] of Object.entries(feature.outboxKinds ?? {})) core.outbox.register(kind as OutboxKind, handler);
  }
  const router = createRouter(collectHandlers(features.map((feature) => feature.handlers ?? {})), core.logger);

  /** What needs the database: run at start, or once a damaged database has been replaced. */
  async function startWithData() {
    for (const feature of features) await feature.recover?.();
    for (const feature of features) await feature.offline?.();
    await core.file360.follow();
    for (const feature of features) feature.start?.();
  }
  if (!data.problem()) await startWithData();
  for (const feature of features) feature.launch?.();

  return {
    router,
    events: core.events,
    info: app.info,
    status: app.status,
    navigate: app.navigate,
    recordUnexpected: app.recordUnexpected,
    resumed() {
      if (!data.problem()) bus.emit('app.resumed', {});
    },
    settings: core.settings,
    explainTrayOnce: app.explainTrayOnce,
    uiClosed: app.uiClosed,
    async close() {
      const remoteClosed = remote.closing();
      for (const feature of [...features].reverse()) await feature.close?.();
      await remoteClosed();
      await kernel.close();
    },
  };
}

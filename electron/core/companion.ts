import path from 'node:path';
import type { AppInfo, Status } from '../../shared/api/schemas/app';
import type { Route } from '../../shared/routes';
import { createEventHub, type EventHub } from './api/event-hub';
import { createRouter, type Handlers, type Router } from './api/router';
import { appHandlers } from './app/app-handlers';
import { auditHandlers } from './audit/audit-handlers';
import type { CompanionConfig } from './config/config';
import { openLocalData } from './db/local-data';
import { authHandlers } from './file360/auth-handlers';
import type { HttpOptions } from './file360/http';
import { File360Service } from './file360/service';
import { acquireInstanceLock } from './platform/instance-lock';
import type { Ports } from './ports';
import { settingsHandlers } from './settings/settings-handlers';
import { createSettingsService } from './settings/settings-service';
import { SyncEngine } from './sync/engine';
import type { RetryOptions } from './sync/run';
import { syncHandlers } from './sync/sync-handlers';
import { ProdigyService } from './prodigy/service';
import type { RunTimeouts } from './prodigy/run';
import { sessionHandlers } from './prodigy/session-handlers';

export interface Companion {
  readonly router: Router;
  readonly events: EventHub;
  info(): AppInfo;
  status(): Status;
  /** Show a place in the UI: now if a window is listening, else when one asks. */
  navigate(route: Route): void;
  close(): Promise<void>;
}

/** Knobs for tests and benchmarks; the app runs with the defaults. */
export interface CompanionTuning {
  http?: Partial<HttpOptions>;
  syncRetry?: RetryOptions;
  prodigy?: Partial<RunTimeouts>;
  /** Hands out ports for Prodigy; tests give a busy one first. */
  pickPort?: () => Promise<number>;
}

export const DATABASE_NAME = 'companion.db';
export const SETTINGS_NAME = 'settings.json';

/** Builds the whole app from its configuration and the ports a shell provides. */
export async function createCompanion(config: CompanionConfig, ports: Ports, tuning: CompanionTuning = {}): Promise<Companion> {
  const { clock, logger, secrets, notifier, opener, viewer } = ports;
  const releaseLock = acquireInstanceLock(config.dataDir);
  const events = createEventHub(logger);
  const settings = createSettingsService(path.join(config.dataDir, SETTINGS_NAME), config.overrides);
  // The audit log names the signed-in user, who is only known once File 360 (which needs the database) is up.
  const signedIn = { user: (): Status['user'] => null };
  const actor = () => {
    const user = signedIn.user();
    return user ? `user:${user.id}` : 'local';
  };
  const data = openLocalData(path.join(config.dataDir, DATABASE_NAME), clock, actor, logger);
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

  const status = (): Status => ({
    connection: file360.connectionState(),
    server: settings.values().server,
    user: file360.user(),
    queued: 0,
    keychain: secrets.status,
  });
  const statusChanged = () => events.emit('status.changed', status());

  // Declared before the engine, which stops an assignment's session before wiping it.
  let prodigy: ProdigyService | null = null;
  const engine = new SyncEngine({
    dataDir: config.dataDir,
    data,
    clock,
    logger,
    notifier,
    events,
    settings: () => settings.values(),
    connection: () => file360.connection(),
    place,
    reachable: (ok) => file360.reachable(ok),
    retry: tuning.syncRetry,
    beforeWipe: (id) => prodigy?.forget(id) ?? Promise.resolve(),
  });
  prodigy = new ProdigyService({
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
    timeouts: tuning.prodigy,
    pickPort: tuning.pickPort,
  });
  const sessions = prodigy;
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
    changed: statusChanged,
  });
  signedIn.user = () => file360.user();

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
      changed: (keys) => {
        if (keys.includes('server') || keys.includes('tenant')) void file360.follow().then(statusChanged);
        if (keys.includes('syncIntervalMinutes')) engine.schedule();
        statusChanged();
      },
    }),
    ...auditHandlers(data),
    ...authHandlers(file360, status, () => engine.checkExpiry()),
    ...syncHandlers(engine, logger),
    ...sessionHandlers(sessions),
  };

  /** What needs the database: run at start, or once a damaged database has been replaced. */
  const startWithData = async () => {
    data.transaction(({ audit, installationId }) => {
      audit.append({
        type: 'app.started',
        details: { version: config.version, shell: config.shell, platform: config.platform, installationId },
      });
      if (secrets.status.kind === 'memory') audit.append({ type: 'keychain.unavailable', details: {} });
    });
    // A Prodigy left running by a crash of this app is stopped before anything else starts one.
    await sessions.stopOrphans();
    // Expired shares are removed at start by this computer's clock, before any network.
    engine.checkExpiry();
    await file360.follow();
    engine.schedule();
    if (file360.connection()) syncInBackground();
  };
  if (!data.problem()) await startWithData();

  return {
    router: createRouter(handlers, logger),
    events,
    info,
    status,
    navigate(route) {
      if (uiReady) events.emit('navigate', route);
      else pendingRoute = route;
    },
    async close() {
      await sessions.close();
      await engine.close();
      await file360.close();
      data.close();
      releaseLock();
    },
  };
}

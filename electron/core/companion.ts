import path from 'node:path';
import type { AppInfo, Status } from '../../shared/api/schemas/app';
import type { Route } from '../../shared/routes';
import { createEventHub, type EventHub } from './api/event-hub';
import { createRouter, type Handlers, type Router } from './api/router';
import { appHandlers } from './app/app-handlers';
import { auditHandlers } from './audit/audit-handlers';
import type { CompanionConfig } from './config/config';
import { openLocalData } from './db/local-data';
import { acquireInstanceLock } from './platform/instance-lock';
import type { Ports } from './ports';
import { settingsHandlers } from './settings/settings-handlers';
import { createSettingsService } from './settings/settings-service';

export interface Companion {
  readonly router: Router;
  readonly events: EventHub;
  info(): AppInfo;
  status(): Status;
  /** Show a place in the UI: now if a window is listening, else when one asks. */
  navigate(route: Route): void;
  close(): Promise<void>;
}

export const DATABASE_NAME = 'companion.db';
export const SETTINGS_NAME = 'settings.json';

/** Builds the whole app from its configuration and the ports a shell provides. */
export async function createCompanion(config: CompanionConfig, ports: Ports): Promise<Companion> {
  const { clock, logger, secrets } = ports;
  const releaseLock = acquireInstanceLock(config.dataDir);
  const events = createEventHub(logger);
  const settings = createSettingsService(path.join(config.dataDir, SETTINGS_NAME), config.overrides);
  // Until File 360 sign-in exists every entry is made by the app on this device.
  const data = openLocalData(path.join(config.dataDir, DATABASE_NAME), clock, () => 'local', logger);

  const info = (): AppInfo => ({
    name: config.appName,
    version: config.version,
    shell: config.shell,
    platform: config.platform,
    dataDir: config.dataDir,
    databaseFile: data.file,
    startupProblem: data.problem(),
  });

  const status = (): Status => {
    const server = settings.values().server;
    return {
      connection: server ? 'offline' : 'not-configured',
      server,
      user: null,
      queued: 0,
      keychain: secrets.status,
    };
  };

  let uiReady = false;
  let pendingRoute: Route | null = null;

  const handlers: Handlers = {
    ...appHandlers({
      data,
      events,
      info,
      status,
      takePendingRoute: () => {
        uiReady = true;
        const route = pendingRoute;
        pendingRoute = null;
        return route;
      },
    }),
    ...settingsHandlers({ settings, data, clock, changed: () => events.emit('status.changed', status()) }),
    ...auditHandlers(data),
  };

  if (!data.problem()) {
    data.transaction(({ audit, installationId }) => {
      audit.append({
        type: 'app.started',
        details: { version: config.version, shell: config.shell, platform: config.platform, installationId },
      });
      if (secrets.status.kind === 'memory') audit.append({ type: 'keychain.unavailable', details: {} });
    });
  }

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
      data.close();
      releaseLock();
    },
  };
}

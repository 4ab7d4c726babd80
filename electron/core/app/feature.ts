import type { AppInfo, Status } from '../../../shared/api/schemas/app';
import type { Route } from '../../../shared/routes';
import { readAppState, writeAppState } from '../kernel/db/app-state';
import { redactText } from '../kernel/platform/logger';
import type { Core, Feature } from '../services/feature';
import { appHandlers } from './app-handlers';

const TRAY_EXPLAINED_KEY = 'tray_explained';

/** The app as a whole: what it is, its status line, where the window should go, and its last line of reporting. */
export interface AppFeature extends Feature {
  info(): AppInfo;
  status(): Status;
  navigate(route: Route): void;
  uiClosed(): void;
  recordUnexpected(error: unknown, origin: string, fatal: boolean): void;
  explainTrayOnce(): boolean;
}

/** The process-level last line caught an error: the user is told in words, and the audit log keeps it. */
function recordUnexpected({ notifier, data }: Core, error: unknown, origin: string, fatal: boolean): void {
  const message = redactText(error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
  notifier.show({
    title: fatal ? 'Annotator Companion has to close' : 'Something went wrong in the background',
    body: fatal
      ? 'An unexpected error stopped the app. Prodigy sessions are stopped and nothing saved is lost; start it again.'
      : 'An unexpected error interrupted work in the background. The app keeps running; the details are in its log.',
    route: null,
  });
  if (!data.problem()) data.transaction(({ audit }) => audit.append({ type: 'app.unexpected_error', details: { origin, fatal, message } }));
}

/** True the first time only (and while the database is damaged, when nothing can be remembered). */
function explainTrayOnce({ data, clock }: Core): boolean {
  if (data.problem()) return true;
  return data.transaction(({ db }) => {
    if (readAppState(db, TRAY_EXPLAINED_KEY)) return false;
    writeAppState(db, TRAY_EXPLAINED_KEY, clock.now().toISOString());
    return true;
  });
}

export function appFeature(core: Core, parts: { unread(): number; recovered(): Promise<void> }): AppFeature {
  const { config, data, file360, outbox, push, bus, events, logger, ports } = core;
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
      server: core.settings().server,
      user: file360.user(),
      queued: pending.queued + pending.sending,
      failed: pending.failed,
      keychain: ports.secrets.status,
      unread: parts.unread(),
      push: push.state(),
    };
  };
  const statusChanged = () => events.emit('status.changed', status());
  const applyLoginItem = () =>
    void ports.loginItem?.set(core.settings().openAtLogin).catch((error: unknown) => logger.warn('open at login could not be changed', { error }));
  bus.on('status.stale', statusChanged);
  bus.on('connection.changed', statusChanged);
  bus.on('settings.changed', ({ keys }) => {
    if (keys.includes('openAtLogin')) applyLoginItem();
    statusChanged();
  });

  let uiReady = false;
  let pendingRoute: Route | null = null;
  return {
    handlers: appHandlers({
      data,
      events,
      info,
      status,
      recovered: parts.recovered,
      takePendingRoute: () => {
        uiReady = true;
        const route = pendingRoute;
        pendingRoute = null;
        return route;
      },
    }),
    launch: applyLoginItem,
    info,
    status,
    navigate(route) {
      if (uiReady) events.emit('navigate', route);
      else pendingRoute = route;
    },
    uiClosed() {
      uiReady = false;
    },
    recordUnexpected: (error, origin, fatal) => recordUnexpected(core, error, origin, fatal),
    explainTrayOnce: () => explainTrayOnce(core),
  };
}

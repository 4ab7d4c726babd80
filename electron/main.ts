/**
 * The Electron shell: windows, tray, menu, deep links and the security policy.
 * Everything the app does lives in ./core; this file only wires it to Electron.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, dialog, nativeTheme, powerMonitor, protocol, session, shell } from 'electron';
import type { NotificationPayload, Status } from '../shared/api/schemas/app';
import type { UpdateStatus } from '../shared/api/schemas/updates';
import { DEEP_LINK_SCHEME, parseDeepLink, type Route } from '../shared/routes';
import { createCompanion, type Companion } from './core/companion';
import { ConfigError, resolveConfig } from './core/kernel/config/config';
import { openSecretStore } from './core/kernel/credentials/open-secret-store';
import { createFileSink, createLogger, stderrSink } from './core/kernel/platform/logger';
import { safeExternalUrl } from './core/kernel/platform/opener';
import { SECURITY_HEADERS, contentType, defaultRendererDir, rendererCsp, resolveRendererFile } from './core/kernel/platform/renderer-files';
import { systemClock, type Opener } from './core/kernel/ports';
import { bindIpc } from './ipc';
import { HIDDEN_FLAG, createLoginItem } from './login-item';
import { installMenu } from './menu';
import { createElectronNotifier } from './notifier';
import { installLastLine } from './core/kernel/platform/last-line';
import { APP_ENTRY, APP_HOST, APP_SCHEME, deepLinkFromArgv, externalLinkDecision, isAllowedFrameNavigation, isAllowedNavigation, isPermissionGranted, type ExternalLinkDecision } from './policy';
import { createProdigyWindows } from './prodigy-window';
import { createTray } from './tray';
import { createElectronUpdater } from './updater';

const APP_ID = 'com.opentext.annotator-companion';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

let config: ReturnType<typeof resolveConfig>;
try {
  config = resolveConfig({
    argv: process.argv.slice(1),
    env: process.env,
    platform: process.platform,
    homedir: os.homedir(),
    // The packaged app's own package.json, which electron-updater compares with the feed too.
    version: app.getVersion(),
    shell: 'electron',
  });
} catch (error) {
  const message = error instanceof ConfigError ? error.message : String(error);
  dialog.showErrorBox('Annotator Companion could not start', message);
  process.exit(2);
}
// Chromium's own profile lives with the app's data, wherever the user pointed it.
app.setPath('userData', config.dataDir);

const logFile = createFileSink(path.join(config.dataDir, 'logs'));
const logger = createLogger({ sinks: app.isPackaged ? [logFile.sink] : [logFile.sink, stderrSink] });
const rendererDir = defaultRendererDir(__dirname);

let mainWindow: BrowserWindow | null = null;
let companion: Companion | null = null;
let pendingLink: string | null = deepLinkFromArgv(process.argv, DEEP_LINK_SCHEME);
/** Set once quitting began: from then on closing the window closes it, instead of leaving the app in the tray. */
let quitting = false;
const updater = createElectronUpdater({ env: process.env, logger, quit: () => app.quit() });

function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    createWindow();
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function show(route: Route | null): void {
  showWindow();
  if (route) companion?.navigate(route);
}

/** A click on a native notification: marks that one read, then shows what it is about. */
function notificationClicked(payload: NotificationPayload): void {
  if (!companion || payload.id === undefined) {
    show(payload.route);
    return;
  }
  void companion.router.call('notifications.open', { id: payload.id }).then((result) => show(result.ok && result.value ? (result.value as Route) : payload.route));
}

function openDeepLink(link: string): void {
  if (!companion) {
    pendingLink = link;
    return;
  }
  const route = parseDeepLink(link);
  if (!route) {
    logger.warn('ignored a malformed deep link');
    return;
  }
  show(route);
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 760,
    minHeight: 520,
    show: false,
    title: 'Annotator Companion',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#f6f7f9',
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  // Closing leaves the app in the tray (a setting), so notifications, reminders, sync and uploads go on.
  mainWindow.on('close', (event) => {
    if (quitting || !companion?.settings().keepInTray) return;
    event.preventDefault();
    mainWindow?.hide();
    if (companion.explainTrayOnce()) {
      notifier.show({
        title: 'Annotator Companion is still running',
        body: 'Closing the window leaves it in the tray, so notifications, reminders, sync and uploads go on. Quit from the tray menu; Settings → Desktop changes this.',
        route: { section: 'settings' },
      });
    }
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
    companion?.uiClosed();
  });
  void mainWindow.loadURL(APP_ENTRY);
}

function registerAppProtocol(): void {
  const csp = rendererCsp();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === APP_HOST ? resolveRendererFile(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404 });
    const body = await fs.promises.readFile(file);
    return new Response(body, {
      headers: { ...SECURITY_HEADERS, 'Content-Type': contentType(file), 'Content-Security-Policy': csp },
    });
  });
}

function lockDownSessions(): void {
  const fromAppWindow = (contents: Electron.WebContents | null) => contents !== null && contents === mainWindow?.webContents;
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(
      isPermissionGranted(permission, {
        fromAppWindow: fromAppWindow(contents),
        requestingUrl: details.requestingUrl,
        isMainFrame: details.isMainFrame,
      }),
    );
  });
  session.defaultSession.setPermissionCheckHandler((contents, permission, requestingOrigin, details) =>
    isPermissionGranted(permission, {
      fromAppWindow: fromAppWindow(contents),
      requestingUrl: details.requestingUrl ?? requestingOrigin,
      isMainFrame: details.isMainFrame ?? false,
    }),
  );
}

let prodigyWindows: ReturnType<typeof createProdigyWindows> | null = null;
const notifier = createElectronNotifier(notificationClicked, logger);

/** Carries out policy.ts's decision about a link that would leave the app; asking waits for the user. */
async function followExternalLink(contents: Electron.WebContents, decision: ExternalLinkDecision): Promise<void> {
  if (decision.action === 'deny') return;
  if (decision.action === 'ask') {
    const owner = BrowserWindow.fromWebContents(contents);
    const options = { type: 'question' as const, message: decision.message, detail: decision.detail, buttons: decision.buttons, defaultId: 1, cancelId: 1, noLink: true };
    const { response } = owner ? await dialog.showMessageBox(owner, options) : await dialog.showMessageBox(options);
    if (response !== 0) return;
  }
  await shell.openExternal(decision.url);
}

// Every web contents, including any the app never meant to create, gets the same rules.
app.on('web-contents-created', (_event, contents) => {
  const ownOrigin = () => prodigyWindows?.allowedOrigin(contents) ?? null;
  const allowed = (url: string) => isAllowedNavigation(url, ownOrigin());
  const leave = (url: string) =>
    void followExternalLink(contents, externalLinkDecision(url, ownOrigin() !== null)).catch((error: unknown) => logger.warn('a link could not be opened', { error }));
  contents.on('will-navigate', (event) => {
    if (allowed(event.url)) return;
    event.preventDefault();
    // A Prodigy page's link to elsewhere goes to the browser, after asking; the app's own page never leaves app://.
    if (ownOrigin() !== null) leave(event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !isAllowedFrameNavigation(event.url, ownOrigin())) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!(event.isMainFrame ? allowed(event.url) : isAllowedFrameNavigation(event.url, ownOrigin()))) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    leave(url);
    return { action: 'deny' };
  });
});

// Prodigy's Basic auth, answered from memory for its own windows only.
app.on('login', (event, contents, details, authInfo, callback) => {
  const credentials = authInfo.isProxy ? null : (prodigyWindows?.credentials(contents, details.url) ?? null);
  if (!credentials) return;
  event.preventDefault();
  callback(credentials.user, credentials.pass);
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => {
    const link = deepLinkFromArgv(argv, DEEP_LINK_SCHEME);
    if (link) openDeepLink(link);
    else showWindow();
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    openDeepLink(url);
  });

  app.whenReady().then(async () => {
    registerAppProtocol();
    lockDownSessions();
    if (process.defaultApp && process.argv[1]) {
      app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [path.resolve(process.argv[1])]);
    } else {
      app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
    }

    const opener: Opener = {
      openExternal: async (url) => {
        const safe = safeExternalUrl(url);
        if (!safe) throw new Error('Only http and https links can be opened.');
        await shell.openExternal(safe);
      },
    };
    const secrets = await openSecretStore(logger);
    prodigyWindows = createProdigyWindows();
    const started = await createCompanion(config, {
      viewer: prodigyWindows,
      clock: systemClock,
      logger,
      opener,
      secrets,
      notifier,
      updater: updater.port,
      loginItem: createLoginItem({ env: process.env, homedir: os.homedir() }),
    });
    companion = started;
    // Only for what no handler where it happens knows about; tests fail when the browser shell's twin fires.
    installLastLine({
      process,
      logger,
      record: (error, origin, fatal) => started.recordUnexpected(error, origin, fatal),
      tellFatal: (words) => dialog.showErrorBox('Annotator Companion has to close', words),
      stop: () => started.close(),
      exit: (code) => app.exit(code),
    });
    bindIpc(started.router, started.events, () => mainWindow?.webContents ?? null, logger);
    let menuFor: string | null = null;
    const menuShown = (user: Status['user']) => {
      const key = user ? `${user.reviews}:${user.annotates}` : '';
      if (key === menuFor) return;
      menuFor = key;
      installMenu({
        show,
        checkForUpdates: () => {
          show({ section: 'settings' });
          void started.router.call('updates.check', {});
        },
        dataDir: config.dataDir,
        devTools: !app.isPackaged,
        user,
      });
    };
    const tray = createTray({
      iconFile: path.join(__dirname, '..', 'assets', 'tray.png'),
      open: showWindow,
      show,
      restart: () => void started.router.call('updates.restart', {}),
      quit: () => app.quit(),
    });
    let updates: UpdateStatus | null = null;
    const statusShown = (status: Status) => {
      menuShown(status.user);
      tray.update(status, updates);
      // The dock (macOS) and Unity-style launchers (Linux) show the unread count.
      app.setBadgeCount(status.unread);
    };
    statusShown(started.status());
    powerMonitor.on('resume', () => started.resumed());
    started.events.subscribe((event, payload) => {
      if (event === 'updates.changed') updates = payload as UpdateStatus;
      if (event === 'status.changed' || event === 'updates.changed') statusShown(started.status());
    });
    // Started at login: in the tray until the user opens it, unless a link asked for a place.
    if (!process.argv.includes(HIDDEN_FLAG) || pendingLink) createWindow();
    if (pendingLink) openDeepLink(pendingLink);
    pendingLink = null;
  }).catch((error: unknown) => {
    logger.error('start failed', { error });
    dialog.showErrorBox('Annotator Companion could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', showWindow);
  // Quitting waits for every Prodigy session to stop: they run in process groups of their own and would outlive the app.
  let closing = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (closing || !companion) return;
    event.preventDefault();
    closing = true;
    void companion.close().finally(() => {
      logFile.close();
      // "Restart to update": the installer replaces the app only once every session has stopped.
      if (updater.installRequested()) updater.finishInstall();
      else app.quit();
    });
  });
}

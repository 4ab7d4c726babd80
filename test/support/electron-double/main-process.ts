/// <reference types="electron" />
/**
 * A test double of Electron's main-process API, for running the real bundled
 * shell (dist/electron/main.cjs) in plain Node where no Electron binary exists.
 *
 * It follows Electron's documented behaviour (https://www.electronjs.org/docs/latest/api/…,
 * cited per class), not the app's; every member is typed as the Electron member
 * it stands in for, and every event it fires is checked against electron.d.ts
 * (see ./checked.ts). It records what the glue asked for in `asked`, and the
 * test drives it the way the OS and Chromium would (`secondInstance`, `navigate`,
 * `clickMenuItem`, `notification.click()`…).
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { Emitter, electronEvent, type Checked } from './checked';
import { ClientRequestDouble } from './net';

export interface Asked {
  what: string;
  args: unknown[];
}

/** Where a window's pages really run: Chromium, through the real preload (./chromium.ts), or nowhere. */
export interface RendererHost {
  load(window: BrowserWindowDouble, url: string): Promise<void>;
  send(window: BrowserWindowDouble, channel: string, args: unknown[]): void;
  close(window: BrowserWindowDouble): Promise<void>;
}

export interface DoubleOptions {
  version: string;
  appPath: string;
  userData: string;
  isPackaged?: boolean;
  /** Another instance holds the single-instance lock. */
  lockTaken?: boolean;
  renderer?: RendererHost;
}

type AppEvents = Checked<
  Electron.App['on'],
  {
    ready: [event: Electron.Event, launchInfo: Record<string, unknown> | Electron.NotificationResponse];
    'before-quit': [event: Electron.Event];
    'will-quit': [event: Electron.Event];
    quit: [event: Electron.Event, exitCode: number];
    'window-all-closed': [];
    activate: [event: Electron.Event, hasVisibleWindows: boolean];
    'web-contents-created': [event: Electron.Event, webContents: Electron.WebContents];
    'second-instance': [event: Electron.Event, argv: string[], workingDirectory: string, additionalData: unknown];
    'open-url': [event: Electron.Event, url: string];
    login: [
      event: Electron.Event,
      webContents: Electron.WebContents | null,
      authenticationResponseDetails: Electron.AuthenticationResponseDetails,
      authInfo: Electron.AuthInfo,
      callback: (username?: string, password?: string) => void,
    ];
  }
>;

type WindowEvents = Checked<Electron.BrowserWindow['on'], { 'ready-to-show': []; close: [event: Electron.Event]; closed: []; show: []; hide: [] }>;

type WebContentsEvents = Checked<
  Electron.WebContents['on'],
  {
    'will-navigate': [
      details: Electron.Event<Electron.WebContentsWillNavigateEventParams>,
      url: string,
      isInPlace: boolean,
      isMainFrame: boolean,
      frameProcessId: number,
      frameRoutingId: number,
    ];
    'will-redirect': [
      details: Electron.Event<Electron.WebContentsWillRedirectEventParams>,
      url: string,
      isInPlace: boolean,
      isMainFrame: boolean,
      frameProcessId: number,
      frameRoutingId: number,
    ];
    'will-frame-navigate': [details: Electron.Event<Electron.WebContentsWillFrameNavigateEventParams>];
    'will-attach-webview': [event: Electron.Event, webPreferences: Electron.WebPreferences, params: Record<string, string>];
    'did-finish-load': [];
  }
>;

type TrayEvents = Checked<Electron.Tray['on'], { click: [event: Electron.KeyboardEvent, bounds: Electron.Rectangle, position: Electron.Point] }>;
type NotificationEvents = Checked<
  Electron.Notification['on'],
  { show: [event: Electron.Event]; click: [event: Electron.Event]; close: [details: Electron.Event<Electron.NotificationCloseEventParams>]; failed: [event: Electron.Event, error: string] }
>;
type PowerMonitorEvents = Checked<Electron.PowerMonitor['on'], { resume: []; suspend: [] }>;

type PermissionRequestHandler = Parameters<Electron.Session['setPermissionRequestHandler']>[0];
type PermissionCheckHandler = Parameters<Electron.Session['setPermissionCheckHandler']>[0];
type Permission = Parameters<NonNullable<PermissionCheckHandler>>[1];
type ProtocolHandler = Parameters<Electron.Protocol['handle']>[1];
type InvokeListener = Parameters<Electron.IpcMain['handle']>[1];

/** One frame of a page: what `event.senderFrame` is for IPC (Electron's WebFrameMain). */
export interface FrameDouble {
  url: string;
  parent: FrameDouble | null;
}

/** https://www.electronjs.org/docs/latest/api/web-contents */
export class WebContentsDouble extends Emitter<WebContentsEvents> implements Pick<Electron.WebContents, 'id' | 'isDestroyed' | 'getURL'> {
  private static nextId = 1;
  readonly id = WebContentsDouble.nextId++;
  url = '';
  windowOpenHandler: Parameters<Electron.WebContents['setWindowOpenHandler']>[0] | null = null;
  /** What `send` delivered, in order: [channel, ...args]. */
  readonly sent: unknown[][] = [];
  destroyed = false;

  constructor(
    private readonly electron: ElectronDouble,
    readonly owner: BrowserWindowDouble,
  ) {
    super();
  }

  get mainFrame(): FrameDouble {
    return { url: this.url, parent: null };
  }

  isDestroyed: Electron.WebContents['isDestroyed'] = () => this.destroyed;
  getURL: Electron.WebContents['getURL'] = () => this.url;

  send: Electron.WebContents['send'] = (channel, ...args) => {
    this.electron.record('webContents.send', channel, ...args);
    this.sent.push([channel, ...args]);
    this.electron.sent.push([channel, ...args]);
    this.electron.options.renderer?.send(this.owner, channel, args);
  };

  setWindowOpenHandler: Electron.WebContents['setWindowOpenHandler'] = (handler) => {
    this.windowOpenHandler = handler;
  };

  /** A link or script in the page asks to navigate: Electron fires will-navigate first. True when it was allowed. */
  navigate(url: string): boolean {
    const details = electronEvent({ url, isSameDocument: false, isMainFrame: true, frame: null, initiator: null });
    this.fire('will-navigate', details, url, false, true, 1, 1);
    return !details.defaultPrevented;
  }

  /**
   * Any frame starts a navigation: Electron fires will-frame-navigate for every
   * frame (the main one too, before will-navigate). True when it was allowed.
   */
  navigateFrame(url: string, isMainFrame: boolean): boolean {
    const details = electronEvent({ url, isSameDocument: false, isMainFrame, frame: null, initiator: null });
    this.fire('will-frame-navigate', details as unknown as Electron.Event<Electron.WebContentsWillFrameNavigateEventParams>);
    return !details.defaultPrevented;
  }

  /** A redirect during a navigation: will-redirect. True when it was allowed. */
  redirect(url: string): boolean {
    const details = electronEvent({ url, isSameDocument: false, isMainFrame: true, frame: null, initiator: null });
    this.fire('will-redirect', details, url, false, true, 1, 1);
    return !details.defaultPrevented;
  }

  /** `window.open` or a target=_blank link: what the handler answered. */
  openWindow(url: string): Electron.WindowOpenHandlerResponse {
    if (!this.windowOpenHandler) return { action: 'allow' };
    return this.windowOpenHandler({ url, frameName: '', features: '', disposition: 'new-window', referrer: { url: this.url, policy: 'default' } });
  }

  /** A `<webview>` in the page: true when it may attach. */
  attachWebview(src: string): boolean {
    const event = electronEvent({});
    this.fire('will-attach-webview', event, {}, { src });
    return !event.defaultPrevented;
  }
}

/** https://www.electronjs.org/docs/latest/api/browser-window */
export class BrowserWindowDouble
  extends Emitter<WindowEvents>
  implements Pick<Electron.BrowserWindow, 'isDestroyed' | 'isMinimized' | 'isVisible' | 'restore' | 'show' | 'hide' | 'focus' | 'close' | 'destroy' | 'loadURL'>
{
  readonly webContents: WebContentsDouble;
  visible = false;
  minimized = false;
  destroyed = false;
  /** Set while Chromium hosts the page: the Playwright page. */
  page: unknown = null;

  constructor(
    private readonly electron: ElectronDouble,
    readonly options: Electron.BrowserWindowConstructorOptions = {},
  ) {
    super();
    electron.record('new BrowserWindow', options);
    this.webContents = new WebContentsDouble(electron, this);
    electron.windows.add(this);
    electron.app.fire('web-contents-created', electronEvent({}), this.webContents as unknown as Electron.WebContents);
  }

  isDestroyed: Electron.BrowserWindow['isDestroyed'] = () => this.destroyed;
  isMinimized: Electron.BrowserWindow['isMinimized'] = () => this.minimized;
  isVisible: Electron.BrowserWindow['isVisible'] = () => this.visible;
  restore: Electron.BrowserWindow['restore'] = () => {
    this.minimized = false;
  };
  show: Electron.BrowserWindow['show'] = () => {
    this.electron.record('window.show', this.webContents.id);
    this.visible = true;
    this.fire('show');
  };
  hide: Electron.BrowserWindow['hide'] = () => {
    this.electron.record('window.hide', this.webContents.id);
    this.visible = false;
    this.fire('hide');
  };
  focus: Electron.BrowserWindow['focus'] = () => {
    this.electron.record('window.focus', this.webContents.id);
  };

  loadURL: Electron.BrowserWindow['loadURL'] = async (url) => {
    this.electron.record('window.loadURL', url);
    this.webContents.url = url;
    await this.electron.options.renderer?.load(this, url);
    this.webContents.fire('did-finish-load');
    // Electron: ready-to-show once the renderer has painted for the first time.
    setImmediate(() => !this.destroyed && this.fire('ready-to-show'));
  };

  /** The user (or app.quit) closes it: `close` may be prevented; otherwise it is destroyed. */
  close: Electron.BrowserWindow['close'] = () => {
    if (this.destroyed) return;
    const event = electronEvent({});
    this.fire('close', event);
    if (event.defaultPrevented) return;
    this.destroy();
  };

  destroy: Electron.BrowserWindow['destroy'] = () => {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroyed = true;
    this.electron.windows.delete(this);
    void this.electron.options.renderer?.close(this);
    this.fire('closed');
    this.electron.windowGone();
  };
}

/** https://www.electronjs.org/docs/latest/api/session */
type HeadersReceivedListener = Parameters<Electron.WebRequest['onHeadersReceived']>[0];

/** https://www.electronjs.org/docs/latest/api/web-request : one listener per event; a new one replaces the old. */
export class WebRequestDouble implements Pick<Electron.WebRequest, 'onHeadersReceived'> {
  headersListener: HeadersReceivedListener = null;

  onHeadersReceived(filter: Electron.WebRequestFilter, listener: HeadersReceivedListener): void;
  onHeadersReceived(listener: HeadersReceivedListener): void;
  onHeadersReceived(first: Electron.WebRequestFilter | HeadersReceivedListener, second?: HeadersReceivedListener): void {
    this.headersListener = typeof first === 'function' || first === null ? first : (second ?? null);
  }

  /** A response arrives for `url`: the headers the page gets (unchanged with no listener, as in Electron). */
  headersReceived(url: string, responseHeaders: Record<string, string[]>): Promise<Record<string, string | string[]>> {
    const listener = this.headersListener;
    if (!listener) return Promise.resolve(responseHeaders);
    return new Promise((resolve) => {
      const details = { id: 1, url, method: 'GET', timestamp: Date.now(), statusLine: 'HTTP/1.1 200 OK', statusCode: 200, responseHeaders, resourceType: 'mainFrame', referrer: '' };
      listener(details as unknown as Electron.OnHeadersReceivedListenerDetails, (answer) => resolve(answer.responseHeaders ?? responseHeaders));
    });
  }
}

export class SessionDouble implements Pick<Electron.Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> {
  requestHandler: PermissionRequestHandler = null;
  checkHandler: PermissionCheckHandler = null;
  readonly webRequest = new WebRequestDouble();

  constructor(readonly partition: string) {}

  setPermissionRequestHandler: Electron.Session['setPermissionRequestHandler'] = (handler) => {
    this.requestHandler = handler;
  };

  setPermissionCheckHandler: Electron.Session['setPermissionCheckHandler'] = (handler) => {
    this.checkHandler = handler;
  };

  /** A page asks for a permission; with no handler Electron grants it (security checklist, item 5). */
  request(contents: WebContentsDouble, permission: Permission, details: { requestingUrl: string; isMainFrame: boolean }): Promise<boolean> {
    if (!this.requestHandler) return Promise.resolve(true);
    const handler = this.requestHandler;
    return new Promise((resolve) => handler(contents as unknown as Electron.WebContents, permission, resolve, details as Electron.PermissionRequest));
  }

  check(contents: WebContentsDouble | null, permission: Permission, requestingOrigin: string, details: { requestingUrl?: string; isMainFrame: boolean }): boolean {
    return this.checkHandler ? this.checkHandler(contents as unknown as Electron.WebContents | null, permission, requestingOrigin, details) : true;
  }
}

/** https://www.electronjs.org/docs/latest/api/menu : a built menu keeps its template; roles act as Electron's do. */
export class MenuDouble {
  constructor(
    readonly template: Array<Electron.MenuItemConstructorOptions | Electron.MenuItem>,
    private readonly electron: ElectronDouble,
  ) {}

  private find(label: string, items = this.template as Electron.MenuItemConstructorOptions[]): Electron.MenuItemConstructorOptions | null {
    for (const item of items) {
      if (item.label === label) return item;
      const inner = Array.isArray(item.submenu) ? this.find(label, item.submenu as Electron.MenuItemConstructorOptions[]) : null;
      if (inner) return inner;
    }
    return null;
  }

  labels(): string[] {
    return (this.template as Electron.MenuItemConstructorOptions[]).map((item) => item.label ?? item.role ?? item.type ?? '');
  }

  item(label: string): Electron.MenuItemConstructorOptions | null {
    return this.find(label);
  }

  /** The user picks an item. */
  click(label: string): void {
    const item = this.find(label);
    if (!item) throw new Error(`no menu item "${label}" in ${JSON.stringify(this.labels())}`);
    if (item.enabled === false) throw new Error(`menu item "${label}" is disabled`);
    if (!item.click) throw new Error(`menu item "${label}" does nothing here`);
    item.click(item as unknown as Electron.MenuItem, undefined, electronEvent({}) as unknown as Electron.KeyboardEvent);
  }

  /** The user picks the item with this role; Electron's own roles act as Electron's do (`quit` quits). */
  clickRole(role: string): void {
    const item = this.role(role);
    if (!item) throw new Error(`no menu item with role ${role}`);
    if (role !== 'quit') throw new Error(`role ${role} does nothing here`);
    this.electron.app.quit();
  }

  /** The item with a role (File → Quit is `{ role: 'quit' }`). */
  role(role: string, items = this.template as Electron.MenuItemConstructorOptions[]): Electron.MenuItemConstructorOptions | null {
    for (const item of items) {
      if (item.role === role) return item;
      const inner = Array.isArray(item.submenu) ? this.role(role, item.submenu as Electron.MenuItemConstructorOptions[]) : null;
      if (inner) return inner;
    }
    return null;
  }
}

/** https://www.electronjs.org/docs/latest/api/tray */
export class TrayDouble extends Emitter<TrayEvents> implements Pick<Electron.Tray, 'setToolTip' | 'setTitle' | 'setContextMenu' | 'destroy'> {
  toolTip = '';
  title = '';
  menu: MenuDouble | null = null;
  destroyed = false;

  constructor(
    private readonly electron: ElectronDouble,
    readonly image: unknown,
  ) {
    super();
    electron.trays.push(this);
  }

  setToolTip: Electron.Tray['setToolTip'] = (toolTip) => {
    this.electron.record('tray.setToolTip', toolTip);
    this.toolTip = toolTip;
  };
  setTitle: Electron.Tray['setTitle'] = (title) => {
    this.title = title;
  };
  setContextMenu: Electron.Tray['setContextMenu'] = (menu) => {
    this.menu = menu as unknown as MenuDouble | null;
  };
  destroy: Electron.Tray['destroy'] = () => {
    this.destroyed = true;
  };

  click(): void {
    this.fire('click', electronEvent({}) as unknown as Electron.KeyboardEvent, { x: 0, y: 0, width: 16, height: 16 }, { x: 0, y: 0 });
  }
}

/** https://www.electronjs.org/docs/latest/api/notification */
export class NotificationDouble extends Emitter<NotificationEvents> implements Pick<Electron.Notification, 'show' | 'close'> {
  shown = false;
  closed = false;

  constructor(
    private readonly electron: ElectronDouble,
    readonly options: Electron.NotificationConstructorOptions = {},
  ) {
    super();
    electron.notifications.push(this);
  }

  show: Electron.Notification['show'] = () => {
    this.electron.record('notification.show', this.options.title);
    this.shown = true;
    this.fire('show', electronEvent({}));
  };

  close: Electron.Notification['close'] = () => {
    this.closed = true;
    this.fire('close', electronEvent({}));
  };

  /** The user clicks it (on Linux, where the notification daemon reports a default action). */
  click(): void {
    this.fire('click', electronEvent({}));
  }
}

/** https://www.electronjs.org/docs/latest/api/app */
export class AppDouble
  extends Emitter<AppEvents>
  implements
    Pick<
      Electron.App,
      | 'isPackaged'
      | 'whenReady'
      | 'quit'
      | 'exit'
      | 'getVersion'
      | 'getName'
      | 'getAppPath'
      | 'getPath'
      | 'setPath'
      | 'requestSingleInstanceLock'
      | 'setAsDefaultProtocolClient'
      | 'setBadgeCount'
      | 'getBadgeCount'
      | 'enableSandbox'
      | 'setAppUserModelId'
      | 'setLoginItemSettings'
      | 'getLoginItemSettings'
      | 'relaunch'
    >
{
  readonly isPackaged: boolean;
  private readyResolve: () => void = () => undefined;
  private readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
  readonly paths = new Map<string, string>();
  badgeCount = 0;
  loginItem: Electron.Settings = { openAtLogin: false };
  /** The exit code once the app ended (quit or exit), else null. */
  exitCode: number | null = null;
  private exitedResolve: (code: number) => void = () => undefined;
  /** Resolves with the exit code when the app ends. */
  readonly exited = new Promise<number>((resolve) => (this.exitedResolve = resolve));
  quitting = false;

  constructor(private readonly electron: ElectronDouble) {
    super();
    this.isPackaged = electron.options.isPackaged ?? false;
    this.paths.set('userData', electron.options.userData);
    this.paths.set('home', path.dirname(electron.options.userData));
  }

  /** What Electron does once its own start-up is done: `ready`, and whenReady resolves. */
  becomeReady(): void {
    this.fire('ready', electronEvent({}), {});
    this.readyResolve();
  }

  whenReady: Electron.App['whenReady'] = () => this.ready;

  /** Docs: before-quit, then every window is closed (any may refuse), then will-quit and quit. */
  quit: Electron.App['quit'] = () => {
    this.electron.record('app.quit');
    if (this.exitCode !== null) return;
    const beforeQuit = electronEvent({});
    this.fire('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    this.quitting = true;
    for (const window of [...this.electron.windows]) window.close();
    if (this.electron.windows.size > 0) {
      this.quitting = false;
      return;
    }
    const willQuit = electronEvent({});
    this.fire('will-quit', willQuit);
    if (willQuit.defaultPrevented) {
      this.quitting = false;
      return;
    }
    this.fire('quit', electronEvent({}), 0);
    this.ended(0);
  };

  /** Docs: windows close at once, before-quit and will-quit are not emitted. */
  exit: Electron.App['exit'] = (exitCode = 0) => {
    this.electron.record('app.exit', exitCode);
    for (const window of [...this.electron.windows]) window.destroy();
    this.ended(exitCode);
  };

  private ended(code: number): void {
    if (this.exitCode !== null) return;
    this.exitCode = code;
    this.exitedResolve(code);
  }

  getVersion: Electron.App['getVersion'] = () => this.electron.options.version;
  getName: Electron.App['getName'] = () => 'Annotator Companion';
  getAppPath: Electron.App['getAppPath'] = () => this.electron.options.appPath;
  getPath: Electron.App['getPath'] = (name) => {
    const value = this.paths.get(name);
    if (!value) throw new Error(`Failed to get '${name}' path`);
    return value;
  };
  setPath: Electron.App['setPath'] = (name, value) => {
    this.electron.record('app.setPath', name, value);
    this.paths.set(name, value);
  };
  requestSingleInstanceLock: Electron.App['requestSingleInstanceLock'] = () => !this.electron.options.lockTaken;
  setAsDefaultProtocolClient: Electron.App['setAsDefaultProtocolClient'] = (protocol, ...rest) => {
    this.electron.record('app.setAsDefaultProtocolClient', protocol, ...rest);
    return true;
  };
  setBadgeCount: Electron.App['setBadgeCount'] = (count = 0) => {
    this.electron.record('app.setBadgeCount', count);
    this.badgeCount = count;
    return true;
  };
  getBadgeCount: Electron.App['getBadgeCount'] = () => this.badgeCount;
  enableSandbox: Electron.App['enableSandbox'] = () => {
    this.electron.record('app.enableSandbox');
  };
  setAppUserModelId: Electron.App['setAppUserModelId'] = (id) => {
    this.electron.record('app.setAppUserModelId', id);
  };
  setLoginItemSettings: Electron.App['setLoginItemSettings'] = (settings) => {
    this.electron.record('app.setLoginItemSettings', settings);
    this.loginItem = settings;
  };
  getLoginItemSettings: Electron.App['getLoginItemSettings'] = () => ({
    openAtLogin: this.loginItem.openAtLogin ?? false,
    wasOpenedAtLogin: false,
    status: 'not-registered',
    executableWillLaunchAtLogin: false,
    launchItems: [],
  });
  relaunch: Electron.App['relaunch'] = () => {
    this.electron.record('app.relaunch');
  };
}

/** The whole `require('electron')` the glue sees, plus what a test drives it with. */
export class ElectronDouble {
  readonly asked: Asked[] = [];
  /** Everything any window's webContents was sent, in order: [channel, ...args]. */
  readonly sent: unknown[][] = [];
  readonly windows = new Set<BrowserWindowDouble>();
  readonly trays: TrayDouble[] = [];
  readonly notifications: NotificationDouble[] = [];
  readonly sessions = new Map<string, SessionDouble>();
  readonly schemes: Electron.CustomScheme[] = [];
  readonly protocolHandlers = new Map<string, ProtocolHandler>();
  readonly invokeHandlers = new Map<string, InvokeListener>();
  readonly errorBoxes: Array<{ title: string; content: string }> = [];
  /** Message boxes the app showed, and the buttons the "user" will press next (by index; else the cancel button). */
  readonly messageBoxes: Electron.MessageBoxOptions[] = [];
  readonly messageBoxAnswers: number[] = [];
  readonly opened: string[] = [];
  applicationMenu: MenuDouble | null = null;
  readonly app: AppDouble;
  readonly defaultSession = new SessionDouble('');

  constructor(readonly options: DoubleOptions) {
    this.app = new AppDouble(this);
  }

  record(what: string, ...args: unknown[]): void {
    this.asked.push({ what, args });
  }

  /** What the glue asked for under `what`, each call's arguments. */
  calls(what: string): unknown[][] {
    return this.asked.filter((entry) => entry.what === what).map((entry) => entry.args);
  }

  /** Docs: with every window closed and no quit under way, window-all-closed; with no listener the app quits. */
  windowGone(): void {
    if (this.windows.size > 0 || this.app.quitting || this.app.exitCode !== null) return;
    if (!this.app.fire('window-all-closed')) this.app.quit();
  }

  mainWindow(): BrowserWindowDouble | null {
    return [...this.windows].find((window) => window.options.webPreferences?.preload) ?? null;
  }

  tray(): TrayDouble {
    const tray = this.trays.at(-1);
    if (!tray) throw new Error('the app made no tray icon');
    return tray;
  }

  /** The OS starts the app again while it runs (Windows and Linux deep links arrive this way). */
  secondInstance(argv: string[]): void {
    this.app.fire('second-instance', electronEvent({}), argv, process.cwd(), {});
  }

  /** macOS hands over a `companion://` link. True when the app took it (preventDefault). */
  openUrl(url: string): boolean {
    const event = electronEvent({});
    this.app.fire('open-url', event, url);
    return event.defaultPrevented;
  }

  /** A server asks for credentials (HTTP 401) in `contents`: what the app answered, or null when it left it to Chromium. */
  login(contents: WebContentsDouble | null, url: string, isProxy = false): Promise<{ username?: string; password?: string } | null> {
    return new Promise((resolve) => {
      const event = electronEvent({});
      const target = new URL(url);
      const authInfo: Electron.AuthInfo = { isProxy, scheme: 'basic', host: target.hostname, port: Number(target.port), realm: 'Prodigy' };
      this.app.fire(
        'login',
        event,
        contents as unknown as Electron.WebContents | null,
        { url, pid: process.pid, isRequestForNavigation: true, firstAuthAttempt: true },
        authInfo,
        (username, password) => resolve({ username, password }),
      );
      if (!event.defaultPrevented) resolve(null);
    });
  }

  /** A request to a custom scheme the app registered with `protocol.handle`. */
  async fetch(url: string): Promise<Response> {
    const handler = this.protocolHandlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`no handler for ${url}`);
    return handler(new Request(url));
  }

  /** `ipcRenderer.invoke` from `frame` of `contents`, as ipcMain receives it. */
  async invoke(contents: WebContentsDouble | null, frame: FrameDouble | null, channel: string, ...args: unknown[]): Promise<unknown> {
    const listener = this.invokeHandlers.get(channel);
    if (!listener) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    const event = {
      ...electronEvent({}),
      processId: 1,
      frameId: 1,
      sender: contents as unknown as Electron.WebContents,
      senderFrame: frame as unknown as Electron.WebFrameMain | null,
    } satisfies Pick<Electron.IpcMainInvokeEvent, 'processId' | 'frameId' | 'sender' | 'senderFrame' | 'preventDefault'>;
    return listener(event as unknown as Electron.IpcMainInvokeEvent, ...args);
  }

  session(partition: string): SessionDouble {
    let found = this.sessions.get(partition);
    if (!found) {
      found = new SessionDouble(partition);
      this.sessions.set(partition, found);
    }
    return found;
  }

  private built: Record<string, unknown> | null = null;

  /** The module object `require('electron')` returns in the main process (the preload's is in ./renderer.ts). */
  get module(): Record<string, unknown> {
    this.built ??= electronModule(this);
    return this.built;
  }

  powerMonitor: Emitter<PowerMonitorEvents> | null = null;
}

function electronModule(electron: ElectronDouble): Record<string, unknown> {
  const app = electron.app;
  class BrowserWindow extends BrowserWindowDouble {
    constructor(options?: Electron.BrowserWindowConstructorOptions) {
      super(electron, options);
    }
    static getAllWindows: (typeof Electron.BrowserWindow)['getAllWindows'] = () => [...electron.windows] as unknown as Electron.BrowserWindow[];
    static fromWebContents: (typeof Electron.BrowserWindow)['fromWebContents'] = (contents) =>
      ([...electron.windows].find((window) => (window.webContents as unknown) === contents) ?? null) as unknown as Electron.BrowserWindow | null;
  }
  class Tray extends TrayDouble {
    constructor(image: Electron.NativeImage | string) {
      super(electron, image);
    }
  }
  class Notification extends NotificationDouble {
    constructor(options?: Electron.NotificationConstructorOptions) {
      super(electron, options);
    }
    static isSupported: (typeof Electron.Notification)['isSupported'] = () => true;
  }
  const Menu = {
    buildFromTemplate: (template: Parameters<(typeof Electron.Menu)['buildFromTemplate']>[0]) => new MenuDouble(template, electron),
    setApplicationMenu: (menu: MenuDouble | null) => {
      electron.record('Menu.setApplicationMenu');
      electron.applicationMenu = menu;
    },
  };
  const protocol = {
    registerSchemesAsPrivileged: ((customSchemes) => {
      electron.record('protocol.registerSchemesAsPrivileged', customSchemes);
      electron.schemes.push(...customSchemes);
    }) satisfies Electron.Protocol['registerSchemesAsPrivileged'],
    handle: ((scheme, handler) => {
      electron.record('protocol.handle', scheme);
      electron.protocolHandlers.set(scheme, handler);
    }) satisfies Electron.Protocol['handle'],
  };
  const ipcMain = {
    handle: ((channel, listener) => {
      electron.record('ipcMain.handle', channel);
      electron.invokeHandlers.set(channel, listener);
    }) satisfies Electron.IpcMain['handle'],
    removeHandler: ((channel) => {
      electron.record('ipcMain.removeHandler', channel);
      electron.invokeHandlers.delete(channel);
    }) satisfies Electron.IpcMain['removeHandler'],
  };
  const session = {
    defaultSession: electron.defaultSession,
    fromPartition: ((partition: string, options?: Electron.FromPartitionOptions) => {
      electron.record('session.fromPartition', partition, options);
      return electron.session(partition);
    }) satisfies (...args: Parameters<(typeof Electron.Session)['fromPartition']>) => unknown,
  };
  const dialog = {
    showErrorBox: ((title, content) => {
      electron.record('dialog.showErrorBox', title, content);
      electron.errorBoxes.push({ title, content });
    }) satisfies Electron.Dialog['showErrorBox'],
    showMessageBox: (async (first: Electron.BaseWindow | Electron.MessageBoxOptions, second?: Electron.MessageBoxOptions) => {
      const options = second ?? (first as Electron.MessageBoxOptions);
      electron.record('dialog.showMessageBox', options.message);
      electron.messageBoxes.push(options);
      return { response: electron.messageBoxAnswers.shift() ?? options.cancelId ?? 0, checkboxChecked: false };
    }) satisfies (...args: Parameters<Electron.Dialog['showMessageBox']>) => Promise<Electron.MessageBoxReturnValue>,
  };
  const shell = {
    openExternal: (async (url) => {
      electron.record('shell.openExternal', url);
      electron.opened.push(url);
    }) satisfies Electron.Shell['openExternal'],
    openPath: (async (target) => {
      electron.record('shell.openPath', target);
      return '';
    }) satisfies Electron.Shell['openPath'],
  };
  const nativeImage = {
    createFromPath: ((file: string) => ({ path: file })) satisfies (...args: Parameters<(typeof Electron.nativeImage)['createFromPath']>) => unknown,
  };
  const nativeTheme = { shouldUseDarkColors: false } satisfies Pick<Electron.NativeTheme, 'shouldUseDarkColors'>;
  const powerMonitor = new Emitter<PowerMonitorEvents>();
  const net = {
    request: ((options: Electron.ClientRequestConstructorOptions | string) => {
      electron.record('net.request', typeof options === 'string' ? options : `${options.protocol ?? 'http:'}//${options.hostname}:${options.port ?? ''}${options.path ?? ''}`);
      return new ClientRequestDouble(options);
    }) satisfies (...args: Parameters<Electron.Net['request']>) => unknown,
  };
  // electron-updater emits Electron's `before-quit-for-update` on it before quitting to install.
  const autoUpdater = new EventEmitter();
  electron.powerMonitor = powerMonitor;
  return { app, BrowserWindow, Tray, Notification, Menu, protocol, ipcMain, session, dialog, shell, nativeImage, nativeTheme, powerMonitor, net, autoUpdater };
}

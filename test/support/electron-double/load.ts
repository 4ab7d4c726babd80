import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/api/contract';
import { IPC_EVENT, IPC_INVOKE, type CallResult } from '../../../shared/api/wire';
import type { File360Sandbox } from '../../../sandbox/file360';
import { submitApprovePage } from '../sandbox-oauth';
import { tempDir } from '../tmp';
import { ElectronDouble, type DoubleOptions, type FrameDouble, type RendererHost } from './main-process';

export const MAIN_BUNDLE = path.resolve('dist/electron/main.cjs');
export const PRELOAD_BUNDLE = path.resolve('dist/electron/preload.cjs');

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Loader };
const originalLoad = loader._load;
let active: ElectronDouble | null = null;
let preloadElectron: unknown = null;
/**
 * Every load of the bundles stays reachable: V8 drops the coverage of a script
 * it collects, and each test loads main.cjs afresh (coverage:shell counts them all).
 */
const loadedOnce: unknown[] = [];

/**
 * `require('electron')` from the bundled shell (and from electron-updater inside
 * it, which requires it lazily) returns the double of the shell now running.
 * Without one, it stays Electron's own module, which would try to download a binary.
 */
loader._load = function load(request, parent, isMain) {
  if (request === 'electron' && preloadElectron) return preloadElectron;
  if (request === 'electron' && active) return active.module;
  return originalLoad.call(this, request, parent, isMain);
};

/** Runs the bundled preload in this process with `electron` (the renderer side of the double) as its `require('electron')`. */
export function runPreload(electron: unknown, require: (name: string) => unknown = createRequire(import.meta.url)): void {
  const resolved = PRELOAD_BUNDLE;
  const node = require as NodeJS.Require;
  loadedOnce.push(node.cache?.[resolved]);
  delete node.cache?.[resolved];
  preloadElectron = electron;
  try {
    node(resolved);
  } finally {
    preloadElectron = null;
  }
}

export interface ShellOptions {
  /** Command-line arguments after the app path, as Electron passes them. */
  args?: string[];
  /** Environment variables for this run (the rest of process.env stays). */
  env?: Record<string, string | undefined>;
  isPackaged?: boolean;
  lockTaken?: boolean;
  renderer?: (electron: () => ElectronDouble) => RendererHost;
  /** Files in process.resourcesPath (app-update.yml, package-type), as electron-builder writes them. */
  resources?: Record<string, string>;
  version?: string;
  /** The data folder of an earlier run, to start again on it. */
  dataDir?: string;
}

/** The app's own page in its window's top frame: what the preload's IPC comes from. */
export const APP_FRAME: FrameDouble = { url: 'app://bundle/index.html#/assignments', parent: null };

export interface RunningShell {
  electron: ElectronDouble;
  dataDir: string;
  resourcesPath: string;
  /** An IPC call as the window's page makes it (through ipcMain and the sender check), success or failure. */
  raw(method: string, input?: unknown, frame?: FrameDouble | null): Promise<CallResult>;
  /** A call that must succeed. */
  call<M extends MethodName>(method: M, input?: MethodInput<M>): Promise<MethodOutput<M>>;
  /** Payloads of `event` the app sent to its window so far. */
  events<E extends EventName>(event: E): Array<EventPayload<E>>;
  /** Resolves once the app made its window (or ended without one). */
  windowShown(): Promise<void>;
  /** Quits as the user does (File → Quit, the tray) and resolves with the exit code once the app ended. */
  quit(): Promise<number>;
}

/** Polls `read` until `accept` holds. */
export async function waitFor<T>(read: () => T | Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)?.slice(0, 800)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Runs the real dist/electron/main.cjs in this process against an Electron
 * double, the way Electron would: argv, `process.resourcesPath`, then `ready`.
 * One shell at a time; it is quit (and the environment put back) when the test ends.
 */
export function runShell(options: ShellOptions = {}): RunningShell & { loaded: Promise<void> } {
  if (active) throw new Error('another shell is still running in this test file');
  if (!fs.existsSync(MAIN_BUNDLE)) throw new Error('dist/electron/main.cjs is missing: run `npm run build` first (npm test does).');
  const root = tempDir();
  const dataDir = options.dataDir ?? path.join(root, 'data');
  const resourcesPath = path.join(root, 'resources');
  fs.mkdirSync(resourcesPath, { recursive: true });
  for (const [name, text] of Object.entries(options.resources ?? {})) fs.writeFileSync(path.join(resourcesPath, name), text);

  let electron: ElectronDouble | null = null;
  const current = () => electron as ElectronDouble;
  const doubleOptions: DoubleOptions = {
    version: options.version ?? '0.1.0',
    appPath: process.cwd(),
    userData: dataDir,
    isPackaged: options.isPackaged ?? true,
    lockTaken: options.lockTaken,
    renderer: options.renderer?.(current),
  };
  electron = new ElectronDouble(doubleOptions);
  active = electron;

  const saved = { argv: process.argv, env: { ...process.env }, resourcesPath: process.resourcesPath, defaultApp: process.defaultApp, execPath: process.execPath };
  const env: Record<string, string | undefined> = {
    XDG_CONFIG_HOME: path.join(root, 'config'),
    XDG_CACHE_HOME: path.join(root, 'cache'),
    COMPANION_UPDATE_URL: undefined,
    APPIMAGE: undefined,
    ...options.env,
  };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const executable = path.join(root, 'electron');
  // Unpackaged, as npm start runs it: `electron <project folder>`.
  process.argv = [executable, ...(doubleOptions.isPackaged ? [] : [process.cwd()]), '--data-dir', dataDir, ...(options.args ?? [])];
  // Electron's process: its own binary, the resources folder next to it, defaultApp when run as `electron main.cjs`.
  Object.assign(process, { resourcesPath, execPath: executable, defaultApp: doubleOptions.isPackaged ? undefined : true });

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.argv = saved.argv;
    for (const key of Object.keys(process.env)) if (!(key in saved.env)) delete process.env[key];
    Object.assign(process.env, saved.env);
    Object.assign(process, { resourcesPath: saved.resourcesPath, execPath: saved.execPath, defaultApp: saved.defaultApp });
    if (active === electron) active = null;
  };

  const require = createRequire(import.meta.url);
  loadedOnce.push(require.cache[MAIN_BUNDLE], electron);
  delete require.cache[MAIN_BUNDLE];
  try {
    require(MAIN_BUNDLE);
  } catch (error) {
    restore();
    // What the shell asked for before it failed (a dialog, an exit) stays readable.
    throw Object.assign(error as Error, { electron });
  }
  const loaded = new Promise<void>((resolve) => setImmediate(resolve)).then(() => current().app.becomeReady());

  const raw = (method: string, input: unknown = {}, frame: FrameDouble | null = APP_FRAME) =>
    current().invoke(current().mainWindow()?.webContents ?? null, frame, IPC_INVOKE, method, input) as Promise<CallResult>;
  const shell: RunningShell & { loaded: Promise<void> } = {
    electron,
    dataDir,
    resourcesPath,
    loaded,
    raw,
    async call(method, input) {
      const result = await raw(method, input ?? {});
      if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
      return result.value as never;
    },
    events(event) {
      return current().sent.filter(([channel, name]) => channel === IPC_EVENT && name === event).map(([, , payload]) => payload as never);
    },
    async windowShown() {
      await loaded;
      await waitFor(() => current().mainWindow()?.isVisible() === true || current().app.exitCode !== null, Boolean, 30_000, 'the window to show');
    },
    async quit() {
      if (current().app.exitCode === null) current().app.quit();
      const code = await current().app.exited;
      restore();
      return code;
    },
  };
  // An app that ended on its own (a lost lock, a failed start) gives the environment back too.
  void electron.app.exited.then(() => setTimeout(restore, 0));
  onTestFinished(async () => {
    if (current().app.exitCode === null) {
      current().app.quit();
      await Promise.race([current().app.exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    }
    restore();
  });
  return shell;
}

/** A shell pointed at the File 360 sandbox, signed in the way a person does it: the browser the app opened, the approve page. */
export async function signedInShell(sb: File360Sandbox, options: ShellOptions & { username?: string } = {}): Promise<RunningShell & { loaded: Promise<void> }> {
  const username = options.username ?? 'ana';
  const user = sb.users.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`no sandbox user ${username}`);
  const shell = runShell({ ...options, args: ['--server', sb.url, '--tenant', sb.tenant, ...(options.args ?? [])] });
  await shell.windowShown();
  await shell.call('auth.signIn');
  const authorize = await waitFor(() => shell.electron.opened.find((url) => url.includes('/oauth2/auth')), Boolean, 20_000, 'the sign-in page to open');
  const answer = await submitApprovePage(authorize ?? '', { username, password: user.password, action: 'allow' });
  const location = answer.headers.get('location');
  if (location) await fetch(location);
  await waitFor(() => shell.call('app.status'), (status) => status.user !== null, 20_000, 'sign-in');
  return shell;
}

/// <reference types="electron" />
/**
 * The renderer side of the Electron double: what the sandboxed preload's
 * `require('electron')` returns (contextBridge, ipcRenderer), running in the
 * Chromium page before any of the page's scripts. Bundled for the page by
 * ./chromium.ts; `invoke` crosses to the main-process double through a
 * Playwright binding, and main's `webContents.send` arrives through `DELIVER`.
 *
 * Not reproduced: Electron's separate JavaScript world for the preload
 * (contextIsolation). The preload's objects stay in this closure, and the page
 * sees only what `exposeInMainWorld` copied; the isolation itself is
 * Electron's, and the `_electron.launch` test checks it where a binary exists.
 */

export const INVOKE_BINDING = '__electronDoubleInvoke';
export const DELIVER = 'electron-double:deliver';

type Listener = (event: Electron.IpcRendererEvent, ...args: unknown[]) => void;

declare global {
  interface Window {
    [INVOKE_BINDING]?: (channel: string, args: unknown[]) => Promise<unknown>;
  }
}

/** Structured-clone-like copy of what the preload exposes: data is copied, functions are passed as such, the result is frozen. */
function copyForMainWorld(value: unknown): unknown {
  if (typeof value === 'function' || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return Object.freeze(value.map(copyForMainWorld));
  return Object.freeze(Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, copyForMainWorld(inner)])));
}

/** `page` is the page's window; tests in Node pass an object standing for it. */
export function electronForPreload(page: Window = window): {
  contextBridge: Pick<Electron.ContextBridge, 'exposeInMainWorld'>;
  ipcRenderer: Pick<Electron.IpcRenderer, 'invoke' | 'on' | 'removeListener'>;
} {
  const invokeBinding = page[INVOKE_BINDING];
  if (!invokeBinding) throw new Error('the Electron double’s IPC binding is missing');
  const listeners = new Map<string, Set<Listener>>();

  const ipcRenderer: Pick<Electron.IpcRenderer, 'invoke' | 'on' | 'removeListener'> = {
    invoke: (channel, ...args) => invokeBinding(channel, args),
    on(channel, listener) {
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener));
      return ipcRenderer as Electron.IpcRenderer;
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener as Listener);
      return ipcRenderer as Electron.IpcRenderer;
    },
  };

  // Main's webContents.send(channel, ...args) lands here; listeners get an IpcRendererEvent first, as in Electron.
  Object.defineProperty(page, Symbol.for(DELIVER), {
    value: (channel: string, args: unknown[]) => {
      const event = { sender: ipcRenderer, senderId: 0, ports: [] } as unknown as Electron.IpcRendererEvent;
      for (const listener of listeners.get(channel) ?? []) listener(event, ...args);
    },
  });

  const contextBridge = {
    exposeInMainWorld: ((apiKey, api) => {
      Object.defineProperty(page, apiKey, { value: copyForMainWorld(api), enumerable: true, writable: false, configurable: false });
    }) satisfies Electron.ContextBridge['exposeInMainWorld'],
  };
  return { contextBridge, ipcRenderer };
}

/**
 * Electron's sandboxed preload `require`: only 'electron' here (the preload must
 * be one bundled file). Electron also polyfills events, timers and url; anything
 * else is "module not found", as there.
 */
export function sandboxedRequire(electron: ReturnType<typeof electronForPreload>): (name: string) => unknown {
  return (name) => {
    if (name === 'electron') return electron;
    throw new Error(`module not found: ${name}`);
  };
}

import { BrowserWindow, session, type WebContents } from 'electron';
import { parseUrl } from '../shared/url';
import { withProdigyPageHeaders } from './core/kernel/platform/prodigy-page';
import type { SessionViewer } from './core/kernel/ports';

/** In memory only: nothing Prodigy's page stores outlives the app. */
export const PRODIGY_PARTITION = 'prodigy';

interface Open {
  window: BrowserWindow;
  origin: string;
  user: string;
  pass: string;
}

/**
 * Prodigy in windows of its own: a separate session partition, no preload, no
 * permissions; Basic auth answered from memory through the `login` event, and
 * navigation kept to that session's origin (main.ts asks `allowedOrigin`).
 */
export function createProdigyWindows(): SessionViewer & {
  allowedOrigin(contents: WebContents): string | null;
  credentials(contents: WebContents | null, url: string): { user: string; pass: string } | null;
} {
  const open = new Map<string, Open>();
  const prodigySession = session.fromPartition(PRODIGY_PARTITION);
  prodigySession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  prodigySession.setPermissionCheckHandler(() => false);
  // The same CSP and frame-ancestors the browser shell's proxy adds: Prodigy sends none of its own.
  prodigySession.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withProdigyPageHeaders(details.responseHeaders ?? {}) }));

  const byContents = (contents: WebContents | null) => [...open.values()].find((entry) => !entry.window.isDestroyed() && entry.window.webContents === contents);

  return {
    async open({ assignmentId, name, url, user, pass }) {
      const existing = open.get(assignmentId);
      if (existing && !existing.window.isDestroyed() && existing.origin === new URL(url).origin) {
        existing.window.show();
        existing.window.focus();
        return null;
      }
      existing?.window.destroy();
      const window = new BrowserWindow({
        width: 1200,
        height: 900,
        title: `${name} — Prodigy`,
        webPreferences: { partition: PRODIGY_PARTITION, contextIsolation: true, sandbox: true, nodeIntegration: false },
      });
      open.set(assignmentId, { window, origin: new URL(url).origin, user, pass });
      window.on('closed', () => open.get(assignmentId)?.window === window && open.delete(assignmentId));
      await window.loadURL(url);
      return null;
    },
    close(assignmentId) {
      open.get(assignmentId)?.window.destroy();
      open.delete(assignmentId);
    },
    allowedOrigin: (contents) => byContents(contents)?.origin ?? null,
    credentials(contents, url) {
      const entry = byContents(contents);
      return entry && parseUrl(url)?.origin === entry.origin ? { user: entry.user, pass: entry.pass } : null;
    },
  };
}

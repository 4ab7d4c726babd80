import { safeExternalUrl } from './core/kernel/platform/opener';
import { parseUrl } from '../shared/url';

/**
 * The Electron shell's trust decisions as plain functions, so they are tested
 * in Node without a binary. main.ts and ipc.ts apply them.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/**
 * Node's URL gives custom schemes an opaque origin ("null"), so compare the
 * parsed scheme and host instead of `.origin`, and never a string prefix.
 */
export function isAppUrl(raw: string | undefined | null): boolean {
  const url = raw ? parseUrl(raw) : null;
  return url !== null && url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && !url.username && !url.password;
}

export interface SenderFrame {
  url: string;
  isTopFrame: boolean;
}

/** IPC is only answered for the app's own page in a top-level frame. */
export function isTrustedSender(frame: SenderFrame | null): boolean {
  return frame !== null && frame.isTopFrame && isAppUrl(frame.url);
}

/** The app's window may navigate within the app; a Prodigy window only within its own session's origin. */
export function isAllowedNavigation(url: string, ownOrigin: string | null = null): boolean {
  if (ownOrigin === null) return isAppUrl(url);
  return parseUrl(url)?.origin === ownOrigin;
}

/**
 * Sub-frames (`will-frame-navigate` with isMainFrame false) are held tighter
 * than the window: the app's page has none, so none may load; in a Prodigy
 * window an iframe may show only Prodigy's own pages or an empty document
 * (about:blank, about:srcdoc), so a task's HTML cannot pull another site into
 * the window that holds the session.
 */
export function isAllowedFrameNavigation(url: string, ownOrigin: string | null = null): boolean {
  if (ownOrigin === null) return false;
  if (url === 'about:blank' || url === 'about:srcdoc') return true;
  return parseUrl(url)?.origin === ownOrigin;
}

/** What to do with a link that would leave the app: a new window is never opened in Electron. */
export type ExternalLinkDecision =
  | { action: 'deny' }
  | { action: 'open'; url: string }
  | { action: 'ask'; url: string; message: string; detail: string; buttons: [open: string, cancel: string] };

/**
 * The app's own page opens web links in the browser as asked. A Prodigy
 * window shows task content that came from File 360, so its links are
 * untrusted: the user is asked first, and shown the address that would open.
 */
export function externalLinkDecision(raw: string, fromProdigyWindow: boolean): ExternalLinkDecision {
  const url = safeExternalUrl(raw);
  if (!url) return { action: 'deny' };
  if (!fromProdigyWindow) return { action: 'open', url };
  const host = parseUrl(url)?.host ?? url;
  return {
    action: 'ask',
    url,
    message: `Open ${host} in your browser?`,
    detail: `The Prodigy page wants to open this address outside Annotator Companion:\n\n${url.length > 500 ? `${url.slice(0, 500)}…` : url}\n\nOpen it only if you expected this link.`,
    buttons: ['Open in browser', 'Cancel'],
  };
}

export interface PermissionContext {
  fromAppWindow: boolean;
  requestingUrl: string;
  isMainFrame: boolean;
}

/** Deny by default: only the app's own window may show notifications. */
export function isPermissionGranted(permission: string, context: PermissionContext): boolean {
  return permission === 'notifications' && context.fromAppWindow && context.isMainFrame && isAppUrl(context.requestingUrl);
}

/** Pull a `companion://` link out of a command line (Windows and Linux deliver deep links as argv). */
export function deepLinkFromArgv(argv: readonly string[], scheme: string): string | null {
  return [...argv].reverse().find((arg) => arg.startsWith(`${scheme}://`)) ?? null;
}

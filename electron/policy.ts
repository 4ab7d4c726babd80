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

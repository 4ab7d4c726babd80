/** Phrases the main process and the renderer both show, kept in one place so they never disagree. */

export type WipeReason = 'expired' | 'revoked' | 'removed';

/** Completes "“Name” …": why an assignment's files left this computer. */
export const WIPE_REASON_WORDS: Record<WipeReason, string> = {
  expired: 'expired',
  revoked: 'was withdrawn',
  removed: 'is no longer shared with you',
};

export const CONNECTION_WORDS = {
  'not-configured': 'No server set',
  'signed-out': 'Not signed in',
  offline: 'Offline',
  online: 'Online',
} as const;

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** The tray's one line: connection, what waits to upload, what is unread. */
export function trayStatusLine(status: { connection: keyof typeof CONNECTION_WORDS; queued: number; failed: number; unread: number }): string {
  const parts: string[] = [CONNECTION_WORDS[status.connection], count(status.queued, 'item waiting to upload', 'items waiting to upload')];
  if (status.failed > 0) parts.push(`${status.failed.toLocaleString('en')} failed`);
  if (status.unread > 0) parts.push(count(status.unread, 'unread notification', 'unread notifications'));
  return parts.join(' · ');
}

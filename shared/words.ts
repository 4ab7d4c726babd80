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

/** A moment as a person reads it: "14:45" today, "Tue, 3 Dec, 14:45" on another day (the computer's zone and language). */
export function atTime(ms: number, nowMs: number, timeZone?: string): string {
  const dayOf = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(t);
  const sameDay = dayOf(ms) === dayOf(nowMs);
  return new Intl.DateTimeFormat(undefined, { timeZone, hour: 'numeric', minute: '2-digit', ...(sameDay ? {} : { weekday: 'short', day: 'numeric', month: 'short' }) }).format(ms);
}

/**
 * What happens to an annotator's work as access ends, said the same way in
 * reminders and on the assignment's page: when it is sent, what becomes of
 * answers given after that, and what is deleted at the end. `sent` once the
 * sending time has passed.
 */
export function deliveryRuleWords(sendAt: string, endsAt: string, sent = false): string {
  const first = sent ? `Your work was sent at ${sendAt}, or is sent as soon as File 360 can be reached.` : `Your work will be sent at ${sendAt}.`;
  return `${first} ${afterSendingWords(endsAt)}`;
}

/** The rule's second half: answers given after the last export, and the end. */
export function afterSendingWords(endsAt: string): string {
  return (
    `Answers you give after that are sent when you stop the session, if you stop it before ${endsAt}. ` +
    `At ${endsAt} access ends: the files, and any answer not sent by then, are deleted from this computer. Sending needs the app running and File 360 reachable.`
  );
}

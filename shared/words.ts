import type { PushState } from './api/schemas/app';

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

type Connection = keyof typeof CONNECTION_WORDS;

export interface Reachability {
  /** The first word is always CONNECTION_WORDS' word for the connection, wherever it is shown. */
  text: string;
  tone: 'ok' | 'busy' | 'warn' | 'off';
  detail: string;
}

/**
 * One answer to "does File 360 answer?" for the sidebar, the tray and the
 * notification center: the connection (fed by sync, uploads and the Push
 * stream alike), and what Push adds only while File 360 itself answers.
 */
export function reachability(connection: Connection, push: PushState): Reachability {
  if (connection === 'not-configured') return { text: CONNECTION_WORDS[connection], tone: 'off', detail: 'Set the File 360 server address in Settings.' };
  if (connection === 'signed-out') return { text: CONNECTION_WORDS[connection], tone: 'off', detail: 'Sign in to File 360 to sync and get notifications. Reminders about due dates still work.' };
  if (connection === 'offline')
    return {
      text: `${CONNECTION_WORDS.offline} — reconnecting`,
      tone: 'warn',
      detail: 'File 360 does not answer. The app tries again on its own; what waits to upload goes, and missed notifications are fetched, once it answers.',
    };
  if (push === 'backoff') return { text: `${CONNECTION_WORDS.online} · notifications reconnecting`, tone: 'warn', detail: 'File 360 answers, but its notification stream dropped; the app reconnects on its own and fetches what was missed.' };
  if (push === 'connecting' || push === 'catching-up')
    return { text: `${CONNECTION_WORDS.online} · ${push === 'connecting' ? 'connecting for notifications' : 'catching up on notifications'}`, tone: 'busy', detail: 'Fetching what arrived while this computer was away.' };
  return { text: CONNECTION_WORDS.online, tone: 'ok', detail: 'File 360 answers; new notifications arrive as they happen.' };
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** The tray's one line: connection, what waits to upload, what is unread. */
export function trayStatusLine(status: { connection: Connection; queued: number; failed: number; unread: number }): string {
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

/** Text cut to at most `max` characters, at a word boundary, with an ellipsis when anything was cut. */
export function clipWords(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  // One long word (a URL, an id) is cut where it must be, rather than dropped whole.
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, '')}…`;
}

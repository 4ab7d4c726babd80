import { WireNotification } from './wire';
import type { IncomingNotification } from '../../kernel/incoming';

/**
 * One event or catch-up item as read: the notification, or why it could not be
 * used. `seq` is kept either way, so an unreadable event still moves the cursor
 * past itself instead of being asked for again forever.
 */
export type Received =
  | { seq: number; notification: IncomingNotification }
  | { seq: number | null; notification: null; problem: string }
  /** Older than a new device's history reaches: passed over, not a problem. */
  | { seq: number; notification: null; problem: null };

function seqOf(raw: unknown, id: string | undefined): number | null {
  const claimed = raw && typeof raw === 'object' && 'seq' in raw ? raw.seq : id;
  const seq = typeof claimed === 'string' && /^\d+$/.test(claimed) ? Number(claimed) : claimed;
  return Number.isSafeInteger(seq) && (seq as number) > 0 ? (seq as number) : null;
}

/** Checks one notification from Push; `id` is the SSE event id, the fallback seq when the data itself is unreadable. */
export function receive(raw: unknown, id?: string): Received {
  const checked = WireNotification.safeParse(raw);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { seq: seqOf(raw, id), notification: null, problem: `${issue?.path.join('.') || 'data'}: ${issue?.message ?? 'invalid'}` };
  }
  const n = checked.data;
  return {
    seq: n.seq,
    notification: {
      source: 'push',
      seq: n.seq,
      remoteId: n.id,
      type: n.type,
      title: n.title,
      summary: n.summary,
      topic: n.topic ?? null,
      collapseKey: n.collapse_key ?? null,
      created: n.created,
      expires: n.expires ?? null,
      data: n.data,
    },
  };
}

/** An SSE `data:` field: JSON text, or a problem if it is not. */
export function receiveEventData(data: string, id: string | undefined): Received {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return { seq: seqOf(undefined, id), notification: null, problem: 'data is not JSON' };
  }
  return receive(raw, id);
}

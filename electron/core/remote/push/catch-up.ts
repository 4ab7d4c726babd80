import type Database from 'better-sqlite3';
import { File360Error } from '../../kernel/http/errors';
import type { Logger } from '../../kernel/ports';
import type { PushApi } from './api';
import { deliver, moveCursor, readCursor } from './cursor';
import { receive, type Received } from './events';
import type { PushGap } from './types';
import type { Owner } from '../../kernel/identity';
import type { NotificationSink } from '../../kernel/incoming';

const PAGE_SIZE = 500;
/** A `next` chain longer than any retained history is a server bug; stop rather than loop. */
const MAX_PAGES = 10_000;

export interface CatchUpDeps {
  api: PushApi;
  db: () => Database.Database;
  owner: Owner;
  sink: NotificationSink;
  logger: Logger;
  now: () => Date;
  onGap: (gap: PushGap) => void;
}

/**
 * After a `reset`: fetches what Push still holds past the cursor, one page per
 * transaction, and leaves the cursor where the stream can resume without
 * another reset. What expired before this device fetched it is reported, not hidden.
 */
export async function catchUp(deps: CatchUpDeps, signal: AbortSignal): Promise<void> {
  const { api, owner, logger } = deps;
  const bounds = await api.seqBounds(signal);
  let cursor = readCursor(deps.db(), owner);
  if (cursor !== null && cursor > bounds.current_max_seq) {
    logger.warn('push numbers its notifications anew (its data was reset); fetching what it holds', { cursor, ...bounds });
    cursor = null;
    moveCursor(deps.db(), owner, Math.max(0, bounds.current_min_seq - 1), deps.now(), true);
  }
  // After a renumbering there is no telling what was missed; otherwise a cursor short of the retained history lost something.
  if (cursor !== null && cursor + 1 < bounds.current_min_seq) {
    const gap = { afterSeq: cursor, firstRetainedSeq: bounds.current_min_seq };
    logger.warn('push notifications expired before this device fetched them', { ...gap });
    deps.onGap(gap);
  }
  await fetchPages(deps, Math.max(cursor ?? 0, bounds.current_min_seq - 1), (item) => item, signal);
  // Nothing below the retained history can be fetched any more: resuming from just before it cannot ask for a reset again.
  if (bounds.current_min_seq > 1) moveCursor(deps.db(), owner, bounds.current_min_seq - 1, deps.now());
}

/** How far back a device's first connection looks, so a reviewer on a new laptop does not start with an empty center. */
export const HISTORY_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * A device's first connection for an account (no cursor yet): what Push still
 * holds from the last 14 days, listed but never popped up, and the cursor at
 * Push's present so the stream goes on from there. Older items are passed over.
 */
export async function fetchHistory(deps: CatchUpDeps, signal: AbortSignal): Promise<void> {
  const bounds = await deps.api.seqBounds(signal);
  const since = deps.now().getTime() - HISTORY_MS;
  // Nothing retained (a new tenant, or all of it expired): no list to ask for.
  if (bounds.current_max_seq >= bounds.current_min_seq) await fetchPages(
    deps,
    Math.max(0, bounds.current_min_seq - 1),
    (item) => {
      if (!item.notification) return item;
      if (Date.parse(item.notification.created) < since) return { seq: item.seq, notification: null, problem: null };
      return { ...item, notification: { ...item.notification, history: true } };
    },
    signal,
  );
  moveCursor(deps.db(), deps.owner, bounds.current_max_seq, deps.now());
}

/** Pages through Push's list after `afterSeq`, one transaction per page, each item as `take` makes it. */
async function fetchPages(deps: CatchUpDeps, afterSeq: number, take: (item: Received) => Received, signal: AbortSignal): Promise<void> {
  let url: string | null = deps.api.notificationsUrl(afterSeq, PAGE_SIZE);
  for (let page = 0; url; page += 1) {
    if (page >= MAX_PAGES) throw new File360Error('invalid-response', 'Push kept sending more catch-up pages than it can hold.');
    const { items, next } = await deps.api.notifications(url, signal);
    deliver(deps.db(), deps.owner, deps.sink, items.map((item) => take(receive(item))), deps.now(), deps.logger);
    url = next;
  }
}

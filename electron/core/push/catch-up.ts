import type Database from 'better-sqlite3';
import { File360Error } from '../file360/errors';
import type { Logger } from '../ports';
import type { Owner } from '../sync/store';
import type { PushApi } from './api';
import { deliver, moveCursor, readCursor } from './cursor';
import { receive } from './events';
import type { NotificationSink, PushGap } from './types';

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
  let url: string | null = api.notificationsUrl(Math.max(cursor ?? 0, bounds.current_min_seq - 1), PAGE_SIZE);
  for (let page = 0; url; page += 1) {
    if (page >= MAX_PAGES) throw new File360Error('invalid-response', 'Push kept sending more catch-up pages than it can hold.');
    const { items, next } = await api.notifications(url, signal);
    deliver(deps.db(), owner, deps.sink, items.map((item) => receive(item)), deps.now(), logger);
    url = next;
  }
  // Nothing below the retained history can be fetched any more: resuming from just before it cannot ask for a reset again.
  if (bounds.current_min_seq > 1) moveCursor(deps.db(), owner, bounds.current_min_seq - 1, deps.now());
}

import type Database from 'better-sqlite3';
import { prepared } from '../../kernel/platform/statements';
import type { Logger } from '../../kernel/ports';
import type { Received } from './events';
import type { Owner } from '../../kernel/identity';
import type { IncomingNotification } from '../../kernel/incoming';
import type { NotificationSink } from '../../kernel/incoming';

/** The highest seq this account has taken in (stored or skipped), or null before the first. */
export function readCursor(db: Database.Database, owner: Owner): number | null {
  const row = prepared<[string, string, string], { last_seq: number }>(db, 'SELECT last_seq FROM push_cursor WHERE server = ? AND tenant = ? AND user_id = ?').get(
    owner.server,
    owner.tenant,
    owner.userId,
  );
  return row?.last_seq ?? null;
}

/** Forward only, so a late, smaller seq cannot make the stream replay what is stored; `back` is for a Push that numbers anew. */
export function moveCursor(db: Database.Database, owner: Owner, seq: number, now: Date, back = false): void {
  prepared<Record<string, unknown>>(
    db,
    `INSERT INTO push_cursor (server, tenant, user_id, last_seq, updated_at) VALUES (@server, @tenant, @userId, @seq, @now)
     ON CONFLICT (server, tenant, user_id) DO UPDATE SET
       last_seq = CASE WHEN @back THEN excluded.last_seq ELSE MAX(last_seq, excluded.last_seq) END, updated_at = excluded.updated_at`,
  ).run({ ...owner, seq, now: now.toISOString(), back: back ? 1 : 0 });
}

/**
 * Hands the batch's new notifications to the sink and moves the cursor past the
 * whole batch in one transaction: a crash keeps both or neither, so an event is
 * neither skipped nor stored twice.
 */
export function deliver(db: Database.Database, owner: Owner, sink: NotificationSink, batch: Received[], now: Date, logger: Logger): void {
  db.transaction(() => {
    const before = readCursor(db, owner);
    let through = before ?? 0;
    const fresh: IncomingNotification[] = [];
    for (const item of batch) {
      if (!item.notification && item.problem) logger.warn('push notification skipped: not understood', { seq: item.seq, problem: item.problem });
      // In order, against the cursor as it moves: a repeat within the batch is a repeat too.
      if (item.seq === null || item.seq <= through) continue;
      through = item.seq;
      if (item.notification) fresh.push(item.notification);
    }
    if (fresh.length > 0) sink(fresh);
    if (through > (before ?? 0)) moveCursor(db, owner, through, now);
  })();
}

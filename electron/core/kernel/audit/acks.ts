import type Database from 'better-sqlite3';
import { prepared } from '../platform/statements';

/** A row as it was sent: its id and the hash File 360 was given for it. */
export type SentHash = readonly [id: number, hash: string];

/**
 * Remembers what File 360 acknowledged for one audit batch. Runs in the
 * transaction that marks the outbox row sent, so the acknowledgement is
 * recorded exactly when the app stops resending the batch.
 */
export function recordAck(db: Database.Database, outboxId: number, sent: readonly SentHash[], accepted: number): void {
  const ids = sent.map(([id]) => id);
  if (ids.length === 0) return;
  prepared(
    db,
    `INSERT OR REPLACE INTO audit_acks (outbox_id, first_id, last_id, count, accepted, hashes, acked_at)
     SELECT @outbox, @first, @last, @count, @accepted, @hashes, sent_at FROM outbox WHERE id = @outbox`,
  ).run({ outbox: outboxId, first: Math.min(...ids), last: Math.max(...ids), count: sent.length, accepted, hashes: JSON.stringify(sent) });
}

/**
 * The hash File 360 acknowledged for each row from `fromId` to `toId`. A row
 * sent to two servers (entries about no assignment go to each) keeps the first
 * acknowledgement: the earliest copy that left the machine is the one to match.
 * Only the batches that overlap the range are read, so a walk over a page of
 * the chain reads that page's acknowledgements, not a year of them.
 */
export function acknowledgedHashes(db: Database.Database, fromId: number, toId: number = Number.MAX_SAFE_INTEGER): Map<number, string> {
  const acked = new Map<number, string>();
  // Sorted here, not by the query: ORDER BY outbox_id would make SQLite walk every batch in that order.
  const rows = prepared<[number, number], { outbox_id: number; hashes: string }>(db, 'SELECT outbox_id, hashes FROM audit_acks WHERE last_id >= ? AND first_id <= ?')
    .all(fromId, toId)
    .sort((a, b) => a.outbox_id - b.outbox_id);
  for (const row of rows) {
    for (const [id, hash] of JSON.parse(row.hashes) as SentHash[]) if (id >= fromId && id <= toId && !acked.has(id)) acked.set(id, hash);
  }
  return acked;
}

/**
 * How many rows after `afterId` File 360 has acknowledged. Each server is sent
 * a row once, so its batches add up; with two servers, the larger count. Reads
 * one small row per batch, not the hashes.
 */
export function acknowledgedCount(db: Database.Database, afterId: number): number {
  return (
    prepared<{ after: number }, { n: number | null }>(
      db,
      // A batch the retention cut through counts only the rows after the cut.
      `SELECT MAX(n) AS n FROM (SELECT SUM(MIN(a.count, a.last_id - @after)) AS n FROM audit_acks a JOIN outbox o ON o.id = a.outbox_id WHERE a.last_id > @after GROUP BY o.server, o.tenant)`,
    ).get({ after: afterId })?.n ?? 0
  );
}

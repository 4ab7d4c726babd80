import type Database from 'better-sqlite3';
import { prepared } from '../db/statements';

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
 * The hash File 360 acknowledged for each row from `fromId` on. A row sent to
 * two servers (entries about no assignment go to each) keeps the first
 * acknowledgement: the earliest copy that left the machine is the one to match.
 */
export function acknowledgedHashes(db: Database.Database, fromId: number): Map<number, string> {
  const acked = new Map<number, string>();
  const rows = prepared<[number], { hashes: string }>(db, 'SELECT hashes FROM audit_acks WHERE last_id >= ? ORDER BY outbox_id').all(fromId);
  for (const row of rows) {
    for (const [id, hash] of JSON.parse(row.hashes) as SentHash[]) if (id >= fromId && !acked.has(id)) acked.set(id, hash);
  }
  return acked;
}

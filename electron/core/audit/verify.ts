import type Database from 'better-sqlite3';
import type { AuditBreak, AuditProblem, AuditVerification } from '../../../shared/api/schemas/audit';
import { prepared } from '../db/statements';
import { acknowledgedHashes } from './acks';
import { readAnchor } from './anchor';
import { GENESIS_HASH, holds, type AuditRow } from './chain';

const at = (row: AuditRow, problem: AuditProblem, reason: string): AuditBreak => ({ id: row.id, ts: row.ts, type: row.type, problem, reason });
/** A row that is not there any more: only its id is known. */
const missing = (id: number, problem: AuditProblem, reason: string): AuditBreak => ({ id, ts: null, type: null, problem, reason });
const span = (from: number, to: number) => (from === to ? `Entry ${from} was` : `Entries ${from}–${to} were`);

/** Where a row whose hash fails was written: the position after the row its prev_hash names. */
function writtenAs(db: Database.Database, row: AuditRow, start: { id: number; hash: string }): number | null {
  if (row.prev_hash === start.hash) return start.id + 1;
  const before = prepared<[string], { id: number }>(db, 'SELECT id FROM audit WHERE hash = ?').get(row.prev_hash);
  return before ? before.id + 1 : null;
}

/**
 * Checks one row against the chain so far. A row whose content is intact but
 * which does not link to its predecessor means the predecessor was rewritten
 * with a recomputed hash, so that predecessor is the first bad row.
 */
function checkRow(db: Database.Database, row: AuditRow, expected: { id: number; hash: string }, previous: AuditRow | null, start: { id: number; hash: string }): AuditBreak | null {
  if (row.id > expected.id) return missing(expected.id, 'deleted', `${span(expected.id, row.id - 1)} deleted from before entry ${row.id}.`);
  if (!holds(row)) {
    const origin = writtenAs(db, row, start);
    if (origin !== null && origin !== row.id && holds(row, origin)) {
      return at(row, 'reordered', `Entry ${row.id} holds what was written as entry ${origin}: entries were moved.`);
    }
    return at(row, 'edited', `Entry ${row.id} was changed after it was written.`);
  }
  if (row.prev_hash === expected.hash) return null;
  if (previous) return at(previous, 'edited', `Entry ${previous.id} was rewritten and its hash recomputed; entry ${row.id} still links to the original.`);
  return at(row, 'edited', `Entry ${row.id} does not link to the entry before it.`);
}

/**
 * Walks the chain from the retention anchor (or the genesis hash) to the
 * newest row, and checks every row File 360 acknowledged against the hash it
 * was sent with. The acknowledgements catch what the chain alone cannot: a
 * rewrite of the whole chain after an edit, or rows cut off the end together
 * with the id sequence.
 */
export function verifyAudit(db: Database.Database, verifiedAt: string): AuditVerification {
  const anchor = readAnchor(db);
  const start = anchor ?? { id: 0, hash: GENESIS_HASH };
  const acked = acknowledgedHashes(db, start.id);
  let checked = 0;
  let matched = 0;
  const result = (firstBad: AuditBreak | null): AuditVerification => ({ ok: firstBad === null, checked, acknowledged: matched, verifiedAt, prunedThrough: start.id, firstBad });

  if (anchor && acked.get(anchor.id) !== anchor.hash) {
    return result(missing(anchor.id, 'differs-from-file360', `Entries up to ${anchor.id} were removed as expired, but the last of them does not match what File 360 acknowledged.`));
  }
  acked.delete(start.id);

  let expected = { id: start.id + 1, hash: start.hash };
  let previous: AuditRow | null = null;
  for (const row of prepared<[number], AuditRow>(db, 'SELECT * FROM audit WHERE id > ? ORDER BY id').iterate(start.id)) {
    const bad = checkRow(db, row, expected, previous, start);
    if (bad) return result(bad);
    const sent = acked.get(row.id);
    if (sent !== undefined && sent !== row.hash) {
      return result(at(row, 'differs-from-file360', `Entry ${row.id} is not what File 360 acknowledged under that id: after upload it was changed (and the chain after it rewritten), or removed and its id reused.`));
    }
    if (sent !== undefined) matched += 1;
    acked.delete(row.id);
    checked += 1;
    expected = { id: row.id + 1, hash: row.hash };
    previous = row;
  }

  const lastId = expected.id - 1;
  // What File 360 acknowledged and is no longer here can only be past the last row: a gap would have stopped the walk.
  let lostAcked: number | null = null;
  for (const id of acked.keys()) lostAcked = Math.min(lostAcked ?? id, id);
  if (lostAcked !== null) return result(missing(lostAcked, 'truncated', `Entries from ${lostAcked} on were cut off the end of the log after File 360 acknowledged them.`));
  const sequence = prepared<[], { seq: number }>(db, "SELECT seq FROM sqlite_sequence WHERE name = 'audit'").get()?.seq ?? 0;
  if (sequence > lastId) return result(missing(lastId + 1, 'truncated', `${span(lastId + 1, sequence)} cut off the end of the log.`));
  return result(null);
}

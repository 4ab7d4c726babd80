import type Database from 'better-sqlite3';
import type { OpenData } from './local-data';
import { prepared } from '../platform/statements';
import { acknowledgedHashes } from '../audit/acks';
import { readAnchor, writeAnchor } from '../audit/anchor';
import { GENESIS_HASH, holds, type AuditRow } from '../audit/chain';

const DAY_MS = 86_400_000;
const PAGE = 2000;

/**
 * The oldest rows that may go: a run from the start of the chain, each older
 * than the cutoff, intact, linked, and acknowledged by File 360 with the hash it
 * has now. The run stops at the first row that is not, so nothing unsent or
 * suspicious is ever removed.
 */
function prunable(db: Database.Database, cutoff: string): { last: AuditRow; count: number } | null {
  const start = readAnchor(db) ?? { id: 0, hash: GENESIS_HASH };
  let expected = start;
  let count = 0;
  let last: AuditRow | null = null;
  // A page at a time, with that page's acknowledgements; the first page is short, since most starts stop at its first row.
  for (let limit = 16; ; limit = PAGE) {
    const rows = prepared<[number, number], AuditRow>(db, 'SELECT * FROM audit WHERE id > ? ORDER BY id LIMIT ?').all(expected.id, limit);
    if (rows.length === 0) break;
    const acked = acknowledgedHashes(db, rows[0]?.id ?? 0, rows.at(-1)?.id ?? 0);
    for (const row of rows) {
      const keep = row.ts >= cutoff || row.id !== expected.id + 1 || row.prev_hash !== expected.hash || acked.get(row.id) !== row.hash || !holds(row);
      if (keep) return last ? { last, count } : null;
      last = row;
      count += 1;
      expected = { id: row.id, hash: row.hash };
    }
  }
  return last ? { last, count } : null;
}

/**
 * Applies the retention setting: audit rows File 360 has acknowledged,
 * notifications, and the copy of File 360's history, once older than `days`.
 * The last removed row becomes the anchor the chain is verified from, and the
 * removal is itself an audit entry. Returns how many audit rows went.
 */
export function pruneExpired({ db, audit }: OpenData, now: Date, days: number): number {
  if (days === 0) return 0;
  const cutoffMs = now.getTime() - days * DAY_MS;
  const cutoff = new Date(cutoffMs).toISOString();
  const run = prunable(db, cutoff);
  if (run) {
    prepared<[number, number]>(db, 'DELETE FROM audit WHERE id > ? AND id <= ?').run(run.last.id - run.count, run.last.id);
    writeAnchor(db, { id: run.last.id, hash: run.last.hash });
    // Acknowledgements wholly before the anchor have nothing left to check; the one holding it stays.
    prepared<[number]>(db, 'DELETE FROM audit_acks WHERE last_id < ?').run(run.last.id);
  }
  // A notification held for the end of quiet hours has not been shown yet, however old it is.
  const notifications = prepared<[number]>(db, "DELETE FROM notifications WHERE received_ms < ? AND delivery <> 'held'").run(cutoffMs).changes;
  const history = prepared<[string]>(db, 'DELETE FROM audit_remote WHERE audit_date < ?').run(cutoff).changes;
  const entries = run?.count ?? 0;
  if (entries + notifications + history > 0) {
    audit.append({ type: 'audit.pruned', details: { days, olderThan: cutoff, entries, prunedThrough: run?.last.id ?? null, notifications, fileHistory: history } });
  }
  return entries;
}

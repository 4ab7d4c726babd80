import type Database from 'better-sqlite3';
import type { AuditBreak, AuditProblem, AuditVerification } from '../../../../shared/api/schemas/audit';
import { prepared } from '../platform/statements';
import { acknowledgedHashes } from './acks';
import { readAnchor } from './anchor';
import { GENESIS_HASH, holds, type AuditRow } from './chain';

const at = (row: AuditRow, problem: AuditProblem, reason: string): AuditBreak => ({ id: row.id, ts: row.ts, type: row.type, problem, reason });
/** A row that is not there any more: only its id is known. */
const missing = (id: number, problem: AuditProblem, reason: string): AuditBreak => ({ id, ts: null, type: null, problem, reason });
const span = (from: number, to: number) => (from === to ? `Entry ${from} was` : `Entries ${from}–${to} were`);

/** Rows read per step of a walk: a few milliseconds of hashing, so a long check can yield between steps. */
const PAGE = 2000;

interface Link {
  id: number;
  hash: string;
}

/**
 * The last row a passing check reached, and when the whole chain was last
 * checked. The next check at start walks only what came after it.
 */
export interface Checkpoint extends Link {
  at: string;
  fullAt: string | null;
  /** False once a check found the log broken: the next one walks it all again. */
  ok: boolean;
  /** The entry the check wrote about itself, in the transaction that wrote this checkpoint. */
  recordedAs?: number;
}

const CHECKPOINT = 'audit_checked_through';

export function readCheckpoint(db: Database.Database): Checkpoint | null {
  const value = prepared<[string], { value: string }>(db, 'SELECT value FROM app_state WHERE key = ?').get(CHECKPOINT)?.value;
  return value ? (JSON.parse(value) as Checkpoint) : null;
}

export function writeCheckpoint(db: Database.Database, checkpoint: Checkpoint): void {
  prepared<[string, string]>(db, 'INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(CHECKPOINT, JSON.stringify(checkpoint));
}

/** Where a row whose hash fails was written: the position after the row its prev_hash names. */
function writtenAs(db: Database.Database, row: AuditRow, start: Link): number | null {
  if (row.prev_hash === start.hash) return start.id + 1;
  const before = prepared<[string], { id: number }>(db, 'SELECT id FROM audit WHERE hash = ?').get(row.prev_hash);
  return before ? before.id + 1 : null;
}

/**
 * Checks one row against the chain so far. A row whose content is intact but
 * which does not link to its predecessor means the predecessor was rewritten
 * with a recomputed hash, so that predecessor is the first bad row.
 */
function checkRow(db: Database.Database, row: AuditRow, expected: Link, previous: AuditRow | null, start: Link): AuditBreak | null {
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

/** The end of the chain as the check began: rows appended while a long check runs are the next check's. */
function endOfChain(db: Database.Database): { sequence: number; last: number } {
  const sequence = prepared<[], { seq: number }>(db, "SELECT seq FROM sqlite_sequence WHERE name = 'audit'").get()?.seq ?? 0;
  const last = prepared<[], { id: number | null }>(db, 'SELECT MAX(id) AS id FROM audit').get()?.id ?? 0;
  return { sequence, last };
}

/**
 * One check of the chain, a page at a time: from the retention anchor (or the
 * genesis hash) for a full check, or from the checkpoint for the check at
 * start. Each page's rows are checked against the chain so far and against
 * the hashes File 360 acknowledged for them; the acknowledgements catch what
 * the chain alone cannot (a rewrite of the whole chain after an edit, rows cut
 * off the end together with the id sequence).
 */
export class ChainCheck {
  private checked = 0;
  private matched = 0;
  private expected: Link;
  private previous: AuditRow | null = null;
  private outcome: AuditBreak | null | undefined;
  private readonly end: { sequence: number; last: number };

  private constructor(
    private readonly db: Database.Database,
    readonly scope: 'full' | 'since-last-check',
    private readonly start: Link,
    private readonly prunedThrough: number,
    private readonly verifiedAt: string,
    private readonly lastFullAt: string | null,
    preset: AuditBreak | null | undefined,
  ) {
    this.expected = { id: start.id + 1, hash: start.hash };
    this.end = endOfChain(db);
    this.outcome = preset;
  }

  /**
   * A check from the checkpoint when there is one a passing check left, else
   * a full one. A checkpoint row that is gone or changed means the log was
   * tampered with before it: then the whole chain is walked, to name the first bad row.
   */
  static begin(db: Database.Database, wanted: 'full' | 'since-last-check', verifiedAt: string): ChainCheck {
    const anchor = readAnchor(db);
    const prunedThrough = anchor?.id ?? 0;
    const checkpoint = readCheckpoint(db);
    const lastFullAt = checkpoint?.fullAt ?? null;
    // A check that found the log empty leaves the genesis as its checkpoint: the next one walks from there.
    if (wanted === 'since-last-check' && checkpoint?.ok && checkpoint.id === 0 && prunedThrough === 0 && checkpoint.hash === GENESIS_HASH) {
      return new ChainCheck(db, 'since-last-check', checkpoint, 0, verifiedAt, lastFullAt, undefined);
    }
    if (wanted === 'since-last-check' && checkpoint?.ok && checkpoint.id > prunedThrough) {
      const row = prepared<[number], AuditRow>(db, 'SELECT * FROM audit WHERE id = ?').get(checkpoint.id);
      const sent = acknowledgedHashes(db, checkpoint.id, checkpoint.id).get(checkpoint.id);
      if (row && row.hash === checkpoint.hash && holds(row) && (sent === undefined || sent === row.hash)) {
        return new ChainCheck(db, 'since-last-check', checkpoint, prunedThrough, verifiedAt, lastFullAt, undefined);
      }
    }
    const start = anchor ?? { id: 0, hash: GENESIS_HASH };
    const anchorSent = anchor ? acknowledgedHashes(db, anchor.id, anchor.id).get(anchor.id) : undefined;
    const broken =
      anchor && anchorSent !== anchor.hash
        ? missing(anchor.id, 'differs-from-file360', `Entries up to ${anchor.id} were removed as expired, but the last of them does not match what File 360 acknowledged.`)
        : undefined;
    return new ChainCheck(db, 'full', start, prunedThrough, verifiedAt, lastFullAt, broken);
  }

  /** Rows between the start and the end of the chain as the check began: how long it will take. */
  get remaining(): number {
    return this.outcome === undefined ? Math.max(0, Math.max(this.end.sequence, this.end.last) - this.expected.id + 1) : 0;
  }

  /** Checks the next page; true once the check has its answer. */
  step(): boolean {
    if (this.outcome !== undefined) return true;
    const until = Math.max(this.end.sequence, this.end.last);
    const rows = prepared<[number, number, number], AuditRow>(this.db, 'SELECT * FROM audit WHERE id >= ? AND id <= ? ORDER BY id LIMIT ?').all(this.expected.id, until, PAGE);
    if (rows.length === 0) {
      this.outcome = this.ending();
      return true;
    }
    const acked = acknowledgedHashes(this.db, rows[0]?.id ?? 0, rows.at(-1)?.id ?? 0);
    for (const row of rows) {
      const bad = checkRow(this.db, row, this.expected, this.previous, this.start);
      if (bad) {
        this.outcome = bad;
        return true;
      }
      const sent = acked.get(row.id);
      if (sent !== undefined && sent !== row.hash) {
        this.outcome = at(row, 'differs-from-file360', `Entry ${row.id} is not what File 360 acknowledged under that id: after upload it was changed (and the chain after it rewritten), or removed and its id reused.`);
        return true;
      }
      if (sent !== undefined) this.matched += 1;
      this.checked += 1;
      this.expected = { id: row.id + 1, hash: row.hash };
      this.previous = row;
    }
    return false;
  }

  /** Past the last row: anything File 360 acknowledged beyond it, or ids the sequence handed out, was cut off the end. */
  private ending(): AuditBreak | null {
    const lastId = this.expected.id - 1;
    // A gap would have stopped the walk, so what File 360 acknowledged and is missing can only be past the end.
    // Rows appended while a long check ran are there, and are the next check's.
    const exists = (id: number) => prepared<[number], { id: number }>(this.db, 'SELECT id FROM audit WHERE id = ?').get(id) !== undefined;
    const lost = [...acknowledgedHashes(this.db, lastId + 1).keys()].sort((a, b) => a - b).find((id) => !exists(id));
    if (lost !== undefined) return missing(lost, 'truncated', `Entries from ${lost} on were cut off the end of the log after File 360 acknowledged them.`);
    if (this.end.sequence > lastId) return missing(lastId + 1, 'truncated', `${span(lastId + 1, this.end.sequence)} cut off the end of the log.`);
    return null;
  }

  /** Runs the check to its end at once. */
  finish(): AuditVerification {
    while (!this.step());
    return this.result();
  }

  /** Where a passing check leaves the next one to begin. */
  checkpoint(): Checkpoint {
    const ok = this.outcome === null;
    const last = this.previous ? { id: this.previous.id, hash: this.previous.hash } : this.start;
    return { ...last, at: this.verifiedAt, fullAt: ok && this.scope === 'full' ? this.verifiedAt : this.lastFullAt, ok };
  }

  result(): AuditVerification {
    const firstBad = this.outcome ?? null;
    return {
      ok: firstBad === null,
      checked: this.checked,
      acknowledged: this.matched,
      verifiedAt: this.verifiedAt,
      prunedThrough: this.prunedThrough,
      scope: this.scope,
      from: this.start.id,
      lastFullAt: firstBad === null && this.scope === 'full' ? this.verifiedAt : this.lastFullAt,
      firstBad,
    };
  }
}

/** The whole chain, checked at once (tests, small logs). */
export function verifyAudit(db: Database.Database, verifiedAt: string): AuditVerification {
  return ChainCheck.begin(db, 'full', verifiedAt).finish();
}

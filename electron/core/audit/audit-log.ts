import type Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import type {
  AuditEntry,
  AuditFacets,
  AuditListInput,
  AuditPage,
  AuditType,
  AuditVerification,
} from '../../../shared/api/schemas/audit';
import type { Clock } from '../ports';
import { GENESIS_HASH, rowHash, type ChainedFields } from './chain';

export interface AuditEvent {
  type: AuditType;
  assignmentId?: string | null;
  fileId?: string | null;
  /** Facts about the event; never a secret. */
  details?: Record<string, unknown>;
}

/** A stored row: the chained fields, with details as canonical JSON text, and the row's hash. */
type Row = Omit<ChainedFields, 'details'> & { details: string; hash: string };

export interface AuditLog {
  /**
   * Writes one chained row. Call it inside the transaction that makes the change
   * it records, so the two land together or not at all.
   */
  append(event: AuditEvent): AuditEntry;
  list(filter: Required<Pick<AuditListInput, 'limit'>> & Omit<AuditListInput, 'limit'>): AuditPage;
  facets(): AuditFacets;
  /** Walks the whole chain and names the first row that does not hold. */
  verify(): AuditVerification;
}

function toEntry(row: Row): AuditEntry {
  return {
    id: row.id,
    ts: row.ts,
    type: row.type as AuditType,
    actor: row.actor,
    assignmentId: row.assignment_id,
    fileId: row.file_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function checkRow(row: Row, expectedId: number, expectedPrev: string): string | null {
  if (row.id !== expectedId) {
    if (row.id < expectedId) return `Entry ${row.id} is out of order (expected entry ${expectedId} here).`;
    return row.id - 1 > expectedId
      ? `Entries ${expectedId}–${row.id - 1} are missing before entry ${row.id}.`
      : `Entry ${expectedId} is missing before entry ${row.id}.`;
  }
  if (row.prev_hash !== expectedPrev) return `Entry ${row.id} does not link to the entry before it.`;
  let details: unknown;
  try {
    details = JSON.parse(row.details);
  } catch {
    return `Entry ${row.id} has unreadable details.`;
  }
  const { hash, details: _raw, ...rest } = row;
  if (rowHash({ ...rest, details }) !== hash) return `Entry ${row.id} was changed after it was written.`;
  return null;
}

export function createAuditLog(db: Database.Database, clock: Clock, actor: () => string): AuditLog {
  const lastRow = db.prepare<[], { id: number; hash: string }>('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1');
  const sequence = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'audit'");
  const insert = db.prepare(
    `INSERT INTO audit (id, ts, type, actor, assignment_id, file_id, details, prev_hash, hash)
     VALUES (@id, @ts, @type, @actor, @assignment_id, @file_id, @details, @prev_hash, @hash)`,
  );
  const allRows = db.prepare<[], Row>('SELECT * FROM audit ORDER BY id');

  const append = db.transaction((event: AuditEvent): AuditEntry => {
    const last = lastRow.get();
    // Ids are never reused, so a deleted newest entry shows up as a gap.
    const id = Math.max(sequence.get()?.seq ?? 0, last?.id ?? 0) + 1;
    // Canonical once: what is hashed, stored and returned is the same text.
    const detailsText = canonicalize(event.details ?? {}) ?? '{}';
    const details = JSON.parse(detailsText) as Record<string, unknown>;
    const fields = {
      id,
      ts: clock.now().toISOString(),
      type: event.type,
      actor: actor(),
      assignment_id: event.assignmentId ?? null,
      file_id: event.fileId ?? null,
      details,
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    const hash = rowHash(fields);
    insert.run({ ...fields, details: detailsText, hash });
    return toEntry({ ...fields, details: detailsText, hash });
  });

  return {
    append,

    list({ type, assignmentId, from, to, beforeId, limit }) {
      const conditions: Array<[string, unknown]> = [
        ['type = @type', type],
        ['assignment_id = @assignmentId', assignmentId],
        ['ts >= @from', from],
        ['ts <= @to', to],
        ['id < @beforeId', beforeId],
      ];
      const where = conditions.filter(([, value]) => value !== undefined).map(([clause]) => clause);
      const params = { type, assignmentId, from, to, beforeId, limit: limit + 1 };
      const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`;
      const rows = db.prepare<Record<string, unknown>, Row>(sql).all(params);
      const page = rows.slice(0, limit);
      return {
        entries: page.map(toEntry),
        nextBeforeId: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },

    facets() {
      const types = db.prepare<[], { type: AuditType }>('SELECT DISTINCT type FROM audit ORDER BY type').all();
      const assignments = db
        .prepare<[], { id: string }>('SELECT DISTINCT assignment_id AS id FROM audit WHERE assignment_id IS NOT NULL ORDER BY id')
        .all();
      return { types: types.map((r) => r.type), assignments: assignments.map((r) => r.id) };
    },

    verify() {
      let expectedId = 1;
      let expectedPrev = GENESIS_HASH;
      let checked = 0;
      for (const row of allRows.iterate()) {
        const reason = checkRow(row, expectedId, expectedPrev);
        if (reason) {
          return { ok: false, checked, verifiedAt: clock.now().toISOString(), firstBad: { id: row.id, reason } };
        }
        checked += 1;
        expectedId = row.id + 1;
        expectedPrev = row.hash;
      }
      return { ok: true, checked, verifiedAt: clock.now().toISOString(), firstBad: null };
    },
  };
}

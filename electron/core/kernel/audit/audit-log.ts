import type Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import type { AuditEntry, AuditListInput, AuditPage, AuditType } from '../../../../shared/api/schemas/audit';
import type { Clock } from '../ports';
import { readAnchor } from './anchor';
import { GENESIS_HASH, rowHash, type AuditRow } from './chain';

export interface AuditEvent {
  type: AuditType;
  assignmentId?: string | null;
  fileId?: string | null;
  /** Facts about the event; never a secret. */
  details?: Record<string, unknown>;
}

export interface AuditLog {
  /**
   * Writes one chained row. Call it inside the transaction that makes the change
   * it records, so the two land together or not at all.
   */
  append(event: AuditEvent): AuditEntry;
  list(filter: Required<Pick<AuditListInput, 'limit'>> & Omit<AuditListInput, 'limit'>): AuditPage;
}

function toEntry(row: AuditRow): AuditEntry {
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

/** `appended` hears of each entry as it is written (inside its transaction), so views of the log can follow it. */
export function createAuditLog(db: Database.Database, clock: Clock, actor: () => string, appended?: () => void): AuditLog {
  const lastRow = db.prepare<[], { id: number; hash: string }>('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1');
  const sequence = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'audit'");
  const insert = db.prepare(
    `INSERT INTO audit (id, ts, type, actor, assignment_id, file_id, details, prev_hash, hash)
     VALUES (@id, @ts, @type, @actor, @assignment_id, @file_id, @details, @prev_hash, @hash)`,
  );

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
      // With every row pruned, the chain goes on from the last one removed.
      prev_hash: last?.hash ?? readAnchor(db)?.hash ?? GENESIS_HASH,
    };
    const hash = rowHash(fields);
    insert.run({ ...fields, details: detailsText, hash });
    appended?.();
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
      const rows = db.prepare<Record<string, unknown>, AuditRow>(sql).all(params);
      const page = rows.slice(0, limit);
      return {
        entries: page.map(toEntry),
        nextBeforeId: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  };
}

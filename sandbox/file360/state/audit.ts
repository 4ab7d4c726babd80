import { randomUUID } from 'node:crypto';
import type { SandboxClock } from '../clock';
import { sql, type Db } from './db';

/** An audit entry shaped like Content Server's node audit (CONTRACTS §A.9). */
export interface AuditEvent {
  id: string;
  event_type: string;
  audit_name: string;
  audit_date: string;
  user_id: string;
  target_user_id?: string;
  agent_id?: string;
  assignment_id?: string;
  file_id?: string;
  details: Record<string, unknown>;
}

/** What the app sends: its own hash-chained log entries. */
export interface ClientEvent {
  id: string;
  event_type: string;
  audit_date: string;
  user_id: string;
  assignment_id?: string;
  file_id?: string;
  details: Record<string, unknown>;
  hash: string;
  prev_hash: string | null;
}

export type StoredAuditEvent = AuditEvent & { source: 'server' | 'client'; hash?: string; prev_hash?: string };

/** Content Server names for the events it knows; the app's own types read as words. */
const AUDIT_NAMES: Record<string, string> = { login: 'Login', logout: 'Logout', download: 'Fetch', upload: 'Create' };
const auditName = (type: string) => AUDIT_NAMES[type] ?? type.replace(/[_.-]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());

interface Row {
  seq: number;
  id: string;
  event_type: string;
  audit_name: string;
  audit_date: string;
  user_id: string;
  target_user_id: string | null;
  agent_id: string | null;
  assignment_id: string | null;
  file_id: string | null;
  details: string;
  hash: string | null;
  prev_hash: string | null;
  source: 'server' | 'client';
}

function fromRow(row: Row): StoredAuditEvent {
  const event: StoredAuditEvent = {
    id: row.id,
    event_type: row.event_type,
    audit_name: row.audit_name,
    audit_date: row.audit_date,
    user_id: row.user_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
    source: row.source,
  };
  for (const key of ['target_user_id', 'agent_id', 'assignment_id', 'file_id', 'hash', 'prev_hash'] as const) {
    const value = row[key];
    if (value !== null) event[key] = value;
  }
  return event;
}

export interface AuditQuery {
  /** Events by this user or about assignments shared with them. */
  visibleTo: string;
  assignmentId?: string;
  afterSeq?: number;
}

export class AuditTrail {
  constructor(
    private readonly db: Db,
    private readonly clock: SandboxClock,
  ) {}

  /** An access the server itself saw (sign-in, download, upload, decisions). */
  record(event: Omit<AuditEvent, 'id' | 'audit_name' | 'audit_date'>): void {
    this.insert({ ...event, id: `evt-${randomUUID()}`, audit_name: auditName(event.event_type), audit_date: this.clock.now().toISOString() }, 'server');
  }

  /** Stores the app's events once each by id, so a resent batch adds nothing; returns how many the batch held. */
  accept(events: ClientEvent[], agentId: string): number {
    this.db.transaction(() => {
      for (const event of events) this.insert({ ...event, audit_name: auditName(event.event_type), agent_id: agentId }, 'client');
    })();
    return events.length;
  }

  seqOf(id: string): number | undefined {
    return (sql(this.db, 'SELECT seq FROM audit WHERE id = ?').get(id) as { seq: number } | undefined)?.seq;
  }

  page(query: AuditQuery, offset: number, limit: number): { items: StoredAuditEvent[]; total: number } {
    const where = `(user_id = @user OR assignment_id IN (SELECT assignment_id FROM assignment_users WHERE user_id = @user))
      AND (@assignment IS NULL OR assignment_id = @assignment) AND seq > @after`;
    const args = { user: query.visibleTo, assignment: query.assignmentId ?? null, after: query.afterSeq ?? 0 };
    const rows = sql(this.db, `SELECT * FROM audit WHERE ${where} ORDER BY seq LIMIT @limit OFFSET @offset`).all({ ...args, limit, offset }) as Row[];
    const total = (sql(this.db, `SELECT count(*) AS n FROM audit WHERE ${where}`).get(args) as { n: number }).n;
    return { items: rows.map(fromRow), total };
  }

  all(): StoredAuditEvent[] {
    return (sql(this.db, 'SELECT * FROM audit ORDER BY seq').all() as Row[]).map(fromRow);
  }

  private insert(event: AuditEvent & { hash?: string; prev_hash?: string | null }, source: 'server' | 'client'): void {
    sql(
      this.db,
      `INSERT OR IGNORE INTO audit (id, event_type, audit_name, audit_date, user_id, target_user_id, agent_id, assignment_id, file_id, details, hash, prev_hash, source)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      event.id,
      event.event_type,
      event.audit_name,
      event.audit_date,
      event.user_id,
      event.target_user_id ?? null,
      event.agent_id ?? null,
      event.assignment_id ?? null,
      event.file_id ?? null,
      JSON.stringify(event.details),
      event.hash ?? null,
      event.prev_hash ?? null,
      source,
    );
  }
}

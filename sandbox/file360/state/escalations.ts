import { randomUUID } from 'node:crypto';
import type { SandboxClock } from '../clock';
import { notFound } from '../errors';
import { sql, type Db } from './db';

export interface NewEscalation {
  reason: 'flagged' | 'ignored' | 'low_confidence' | 'disagreement' | 'question';
  note: string;
  priority: 'normal' | 'high';
  item: Record<string, unknown>;
  upload_id?: string;
}

export interface Decision {
  outcome: 'approved' | 'corrected' | 'rejected';
  corrected_task?: Record<string, unknown>;
  comment?: string;
  /** User id of the reviewer. */
  actor: string;
  time: string;
}

export interface EscalationRecord extends NewEscalation {
  id: string;
  assignment_id: string;
  created_by: string;
  state: 'open' | 'claimed' | 'completed';
  assignee: string | null;
  decision: Decision | null;
  created: string;
  updated: string;
}

interface Row {
  seq: number;
  id: string;
  assignment_id: string;
  created_by: string;
  reason: NewEscalation['reason'];
  note: string;
  priority: NewEscalation['priority'];
  item: string;
  upload_id: string | null;
  state: EscalationRecord['state'];
  assignee: string | null;
  decision: string | null;
  created: string;
  updated: string;
}

function fromRow(row: Row): EscalationRecord {
  const { seq: _seq, upload_id, item, decision, ...rest } = row;
  return {
    ...rest,
    ...(upload_id !== null ? { upload_id } : {}),
    item: JSON.parse(item) as Record<string, unknown>,
    decision: decision === null ? null : (JSON.parse(decision) as Decision),
  };
}

export class Escalations {
  constructor(
    private readonly db: Db,
    private readonly clock: SandboxClock,
  ) {}

  create(assignmentId: string, userId: string, escalation: NewEscalation): EscalationRecord {
    const id = `esc-${randomUUID()}`;
    const now = this.clock.now().toISOString();
    sql(
      this.db,
      `INSERT INTO escalations (id, assignment_id, created_by, reason, note, priority, item, upload_id, state, created, updated)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
    ).run(id, assignmentId, userId, escalation.reason, escalation.note, escalation.priority, JSON.stringify(escalation.item), escalation.upload_id ?? null, now, now);
    return this.get(id);
  }

  get(id: string): EscalationRecord {
    const row = sql(this.db, 'SELECT * FROM escalations WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw notFound(`Escalation ${id}`);
    return fromRow(row);
  }

  /** Oldest change first, so `updated_after` works as a cursor. */
  all(): EscalationRecord[] {
    return (sql(this.db, 'SELECT * FROM escalations ORDER BY updated, seq').all() as Row[]).map(fromRow);
  }

  claim(id: string, userId: string): EscalationRecord {
    sql(this.db, "UPDATE escalations SET state = 'claimed', assignee = ?, updated = ? WHERE id = ?").run(userId, this.clock.now().toISOString(), id);
    return this.get(id);
  }

  complete(id: string, decision: Omit<Decision, 'time'>): EscalationRecord {
    const time = this.clock.now().toISOString();
    const update = sql(this.db, "UPDATE escalations SET state = 'completed', assignee = ?, decision = ?, updated = ? WHERE id = ?");
    update.run(decision.actor, JSON.stringify({ ...decision, time }), time, id);
    return this.get(id);
  }
}

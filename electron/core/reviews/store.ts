import type Database from 'better-sqlite3';
import { prepared } from '../kernel/platform/statements';
import type { Escalation } from '../remote/file360/wire';
import type { Owner } from '../kernel/identity';

export interface ReviewRow {
  id: string;
  server: string;
  tenant: string;
  user_id: string;
  assignment_id: string;
  state: 'open' | 'claimed' | 'completed';
  reason: string;
  priority: 'normal' | 'high';
  note: string;
  item: string;
  created_by: string;
  assignee: string | null;
  decision: string | null;
  due: string | null;
  created: string;
  updated: string;
  /** A decision made here: `{outcome, corrected_task?, comment?, decided_at}`. */
  local_decision: string | null;
  outbox_id: number | null;
}

/** A review SLA when File 360 gives no due date: a day for high priority, three otherwise. */
const SLA_HOURS = { high: 24, normal: 72 } as const;

export function dueOf(escalation: Escalation): string {
  if (escalation.due_date) return escalation.due_date;
  const created = Date.parse(escalation.created);
  return new Date((Number.isNaN(created) ? Date.now() : created) + SLA_HOURS[escalation.priority] * 3_600_000).toISOString();
}

/** The escalations a reviewer may decide, as last fetched, with decisions made here and not yet confirmed. */
export function createReviewStore(db: () => Database.Database) {
  const q = <P extends unknown[] | Record<string, unknown> = unknown[], R = unknown>(sql: string) => prepared<P, R>(db(), sql);
  return {
    /** Stores what File 360 says; a decision made here and still on its way is kept. */
    upsert(owner: Owner, escalation: Escalation): void {
      q(
        `INSERT INTO reviews (id, server, tenant, user_id, assignment_id, state, reason, priority, note, item, created_by, assignee, decision, due, created, updated)
         VALUES (@id, @server, @tenant, @user_id, @assignment_id, @state, @reason, @priority, @note, @item, @created_by, @assignee, @decision, @due, @created, @updated)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, reason = excluded.reason, priority = excluded.priority, note = excluded.note,
           item = excluded.item, assignee = excluded.assignee, decision = excluded.decision, due = excluded.due, updated = excluded.updated`,
      ).run({
        id: escalation.id,
        server: owner.server,
        tenant: owner.tenant,
        user_id: owner.userId,
        assignment_id: escalation.assignment_id,
        state: escalation.state,
        reason: escalation.reason,
        priority: escalation.priority,
        note: escalation.note,
        item: JSON.stringify(escalation.item),
        created_by: JSON.stringify(escalation.created_by ?? { id: 'unknown' }),
        assignee: escalation.assignee ? JSON.stringify(escalation.assignee) : null,
        decision: escalation.decision ? JSON.stringify(escalation.decision) : null,
        due: dueOf(escalation),
        created: escalation.created,
        updated: escalation.updated,
      });
    },

    /** Items File 360 no longer shows this reviewer go, unless a decision made here is still to be sent. */
    prune(owner: Owner, keep: readonly string[]): void {
      q(
        `DELETE FROM reviews WHERE server = @server AND tenant = @tenant AND user_id = @user AND id NOT IN (SELECT value FROM json_each(@keep))
           AND (outbox_id IS NULL OR outbox_id IN (SELECT id FROM outbox WHERE state IN ('sent', 'discarded')))`,
      ).run({ server: owner.server, tenant: owner.tenant, user: owner.userId, keep: JSON.stringify(keep) });
    },

    get(owner: Owner, id: string): ReviewRow | undefined {
      return q<[string, string, string, string], ReviewRow>('SELECT * FROM reviews WHERE server = ? AND tenant = ? AND user_id = ? AND id = ?').get(owner.server, owner.tenant, owner.userId, id);
    },

    all(owner: Owner): ReviewRow[] {
      return q<[string, string, string], ReviewRow>(
        `SELECT * FROM reviews WHERE server = ? AND tenant = ? AND user_id = ?
          ORDER BY CASE priority WHEN 'high' THEN 0 ELSE 1 END, due, created`,
      ).all(owner.server, owner.tenant, owner.userId);
    },

    claimed(id: string, assignee: unknown, state: ReviewRow['state'], updated: string): void {
      q<[string, string, string, string]>('UPDATE reviews SET assignee = ?, state = ?, updated = ? WHERE id = ?').run(JSON.stringify(assignee), state, updated, id);
    },

    decideLocally(id: string, decision: unknown, outboxId: number): void {
      q<[string, number, string]>('UPDATE reviews SET local_decision = ?, outbox_id = ? WHERE id = ?').run(JSON.stringify(decision), outboxId, id);
    },

    /** File 360 took the decision made here. */
    completed(id: string, decision: unknown, updated: string): void {
      q<[string, string, string]>("UPDATE reviews SET state = 'completed', decision = ?, updated = ? WHERE id = ?").run(JSON.stringify(decision), updated, id);
    },
  };
}

export type ReviewStore = ReturnType<typeof createReviewStore>;

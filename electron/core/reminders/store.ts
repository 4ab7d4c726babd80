import type Database from 'better-sqlite3';
import { prepared } from '../kernel/platform/statements';
import type { Owner } from '../kernel/identity';

export type DeadlineKind = 'due' | 'expiry' | 'review';

/** A moment something is lost or late unless the user acts: an assignment's due date or expiry, or a review's SLA. */
export interface Deadline {
  kind: DeadlineKind;
  /** Names this deadline in `reminders_fired`; a moved date is a new deadline, reminded of afresh. */
  key: string;
  atMs: number;
  assignmentId: string;
  assignmentName: string | null;
  escalationId: string | null;
  review: { reason: string; priority: string } | null;
  /** The user's own answers can be sent to this assignment (an annotator's, with upload): its expiry reminder says when they are. */
  sendsWork: boolean;
}

interface AssignmentDates {
  id: string;
  name: string;
  due_date: string | null;
  expiration: string | null;
  sends_work: number;
}

interface OpenReview {
  id: string;
  assignment_id: string;
  assignment_name: string | null;
  reason: string;
  priority: string;
  due: string | null;
  created: string;
}

const HOUR_MS = 3_600_000;
const who = (owner: Owner) => ({ server: owner.server, tenant: owner.tenant, user: owner.userId });

function deadline(kind: DeadlineKind, id: string, atMs: number, fields: Omit<Deadline, 'kind' | 'key' | 'atMs'>): Deadline[] {
  // The key is normalised so the same moment written another way (+00:00 vs Z) is not reminded of twice.
  return Number.isNaN(atMs) ? [] : [{ kind, key: `${kind}:${id}:${new Date(atMs).toISOString()}`, atMs, ...fields }];
}

/** What reminders read (deadlines) and write (which reminders fired). Callers own the transactions. */
export function createReminderStore(db: () => Database.Database) {
  const q = <P extends unknown[] | Record<string, unknown> = unknown[], R = unknown>(sql: string) => prepared<P, R>(db(), sql);

  return {
    /**
     * The account's deadlines: active assignments still on this computer, and
     * reviews it may decide (open to claim, or claimed by this user) that were
     * not decided here yet. A review without a due date is due `slaHours` after it was raised.
     */
    deadlines(owner: Owner, slaHours: number): Deadline[] {
      const assignments = q<Record<string, unknown>, AssignmentDates>(
        `SELECT id, name, due_date, expiration,
                role = 'annotator' AND EXISTS (SELECT 1 FROM json_each(permissions) WHERE value = 'upload') AS sends_work
           FROM assignments
          WHERE server = @server AND tenant = @tenant AND user_id = @user AND status = 'active' AND wiped_at IS NULL`,
      ).all(who(owner));
      const reviews = q<Record<string, unknown>, OpenReview>(
        `SELECT r.id, r.assignment_id, a.name AS assignment_name, r.reason, r.priority, r.due, r.created
           FROM reviews r LEFT JOIN assignments a ON a.id = r.assignment_id
          WHERE r.server = @server AND r.tenant = @tenant AND r.user_id = @user AND r.local_decision IS NULL
            AND (r.state = 'open' OR (r.state = 'claimed' AND json_extract(r.assignee, '$.id') = @user))`,
      ).all(who(owner));
      return [
        ...assignments.flatMap((a) => {
          const fields = { assignmentId: a.id, assignmentName: a.name, escalationId: null, review: null, sendsWork: a.sends_work === 1 };
          return [
            ...(a.due_date ? deadline('due', a.id, Date.parse(a.due_date), fields) : []),
            ...(a.expiration ? deadline('expiry', a.id, Date.parse(a.expiration), fields) : []),
          ];
        }),
        ...reviews.flatMap((r) =>
          deadline('review', r.id, r.due ? Date.parse(r.due) : Date.parse(r.created) + slaHours * HOUR_MS, {
            assignmentId: r.assignment_id,
            assignmentName: r.assignment_name,
            escalationId: r.id,
            review: { reason: r.reason, priority: r.priority },
            sendsWork: false,
          }),
        ),
      ];
    },

    fired(owner: Owner): Set<string> {
      const rows = q<Record<string, unknown>, { key: string }>('SELECT key FROM reminders_fired WHERE server = @server AND tenant = @tenant AND user_id = @user').all(who(owner));
      return new Set(rows.map((row) => row.key));
    },

    markFired(owner: Owner, keys: readonly string[], nowMs: number): void {
      const insert = q('INSERT INTO reminders_fired (server, tenant, user_id, key, fired_ms) VALUES (@server, @tenant, @user, @key, @now) ON CONFLICT DO NOTHING');
      for (const key of keys) insert.run({ ...who(owner), key, now: nowMs });
    },
  };
}

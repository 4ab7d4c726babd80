import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { prepared } from '../../kernel/platform/statements';
import type { Owner } from '../../kernel/identity';

export const OUTBOX_KINDS = ['package', 'escalation', 'decision', 'audit', 'push'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];
export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed' | 'discarded';

export interface OutboxRow {
  id: number;
  kind: OutboxKind;
  idempotency_key: string;
  server: string;
  tenant: string;
  user_id: string;
  assignment_id: string | null;
  label: string;
  payload: string;
  file: string | null;
  size: number;
  after_id: number | null;
  state: OutboxState;
  attempts: number;
  next_attempt_ms: number | null;
  last_error: string | null;
  last_error_code: string | null;
  remote: string | null;
  created_at: string;
  sent_at: string | null;
  updated_at: string;
}

export interface NewOutboxItem {
  kind: OutboxKind;
  owner: Owner;
  assignmentId?: string | null;
  /** What the Outbox view calls it. */
  label: string;
  payload: unknown;
  /** For uploads: the file, relative to the data folder. */
  file?: string | null;
  size?: number;
  /** Sent only once this row has been. */
  afterId?: number | null;
}

export type Outcome =
  | { id: number; state: 'sent'; remote: unknown }
  | { id: number; state: 'queued'; nextAttemptMs: number | null; error: string; code: string | null; countAttempt: boolean }
  | { id: number; state: 'failed'; error: string; code: string | null };

/** The time part of the last key, reused within the same millisecond (enqueueing 100 000 rows takes a few thousand). */
let keyTime = { ms: -1, prefix: '' };

/**
 * An RFC 9562 version 7 UUID: the time in milliseconds, then random bits.
 * As unique as a random key, but appended to the key index rather than
 * scattered through it (enqueueing is ~2× faster). The random part comes from
 * randomUUID, whose generator is pooled; a fresh 16-byte read per key costs
 * more than the insert. Its version digit becomes 7; its variant bits are
 * already RFC 9562's.
 */
export function uuidv7(now: number = Date.now()): string {
  if (keyTime.ms !== now) {
    const time = now.toString(16).padStart(12, '0');
    keyTime = { ms: now, prefix: `${time.slice(0, 8)}-${time.slice(8, 12)}-7` };
  }
  return keyTime.prefix + randomUUID().slice(15);
}

/**
 * Rows still to send. Every query of them says so in these words, outbox_pending's
 * own term (migration 0012): SQLite uses a partial index only where the query's
 * WHERE holds the index's term (sqlite.org/partialindex.html §2), and through it
 * a year of sent rows is never read.
 */
const PENDING = "state NOT IN ('sent', 'discarded')";

/** Reads and writes of the outbox table. Callers own the transactions. */
export function createOutboxStore(db: () => Database.Database) {
  const q = <P extends unknown[] | Record<string, unknown> = unknown[], R = unknown>(sql: string) => prepared<P, R>(db(), sql);

  return {
    /** Call inside the transaction that makes the change this row reports. */
    enqueue(item: NewOutboxItem, now: string): number {
      const info = q(
        `INSERT INTO outbox (kind, idempotency_key, server, tenant, user_id, assignment_id, label, payload, file, size, after_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        item.kind,
        uuidv7(),
        item.owner.server,
        item.owner.tenant,
        item.owner.userId,
        item.assignmentId ?? null,
        item.label,
        JSON.stringify(item.payload),
        item.file ?? null,
        item.size ?? 0,
        item.afterId ?? null,
        now,
        now,
      );
      return Number(info.lastInsertRowid);
    },

    get(id: number): OutboxRow | undefined {
      return q<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?').get(id);
    },

    /**
     * Rows this account may send now, oldest first: queued, due, of a kind that
     * has a sender, and whose predecessor (if any) has been sent.
     */
    due(owner: Owner, nowMs: number, kinds: readonly OutboxKind[], limit: number, skip: readonly number[]): OutboxRow[] {
      return q<Record<string, unknown>, OutboxRow>(
        `SELECT o.* FROM outbox o LEFT JOIN outbox p ON p.id = o.after_id
          WHERE o.${PENDING} AND o.state = 'queued' AND o.server = @server AND o.tenant = @tenant AND o.user_id = @user
            AND (o.next_attempt_ms IS NULL OR o.next_attempt_ms <= @now)
            AND (o.after_id IS NULL OR p.state = 'sent')
            AND o.kind IN (SELECT value FROM json_each(@kinds))
            AND o.id NOT IN (SELECT value FROM json_each(@skip))
          ORDER BY o.id LIMIT @limit`,
      ).all({ server: owner.server, tenant: owner.tenant, user: owner.userId, now: nowMs, kinds: JSON.stringify(kinds), skip: JSON.stringify(skip), limit });
    },

    /** When the next queued row of this account becomes due, if any is waiting on a timer. */
    nextDueMs(owner: Owner, kinds: readonly OutboxKind[]): number | null {
      const row = q<Record<string, unknown>, { at: number | null }>(
        `SELECT MIN(next_attempt_ms) AS at FROM outbox
          WHERE ${PENDING} AND state = 'queued' AND server = @server AND tenant = @tenant AND user_id = @user AND next_attempt_ms IS NOT NULL
            AND kind IN (SELECT value FROM json_each(@kinds))`,
      ).get({ server: owner.server, tenant: owner.tenant, user: owner.userId, kinds: JSON.stringify(kinds) });
      return row?.at ?? null;
    },

    markSending(ids: readonly number[], now: string): void {
      const mark = q<[string, number]>("UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'queued'");
      for (const id of ids) mark.run(now, id);
    },

    /** Rows claimed but never sent go back to the queue with the attempt they did not make. */
    unclaim(ids: readonly number[], now: string): void {
      const back = q<[string, number]>("UPDATE outbox SET state = 'queued', attempts = MAX(0, attempts - 1), updated_at = ? WHERE id = ? AND state = 'sending'");
      for (const id of ids) back.run(now, id);
    },

    /** Records how sends ended. Call inside a transaction with whatever else each outcome changes. */
    settle(outcome: Outcome, now: string): void {
      if (outcome.state === 'sent') {
        q("UPDATE outbox SET state = 'sent', remote = ?, sent_at = ?, last_error = NULL, last_error_code = NULL, next_attempt_ms = NULL, updated_at = ? WHERE id = ?").run(
          JSON.stringify(outcome.remote ?? null),
          now,
          now,
          outcome.id,
        );
      } else if (outcome.state === 'queued') {
        q(
          `UPDATE outbox SET state = 'queued', next_attempt_ms = ?, last_error = ?, last_error_code = ?,
             attempts = attempts - ?, updated_at = ? WHERE id = ? AND state = 'sending'`,
        ).run(outcome.nextAttemptMs, outcome.error, outcome.code, outcome.countAttempt ? 0 : 1, now, outcome.id);
      } else {
        q("UPDATE outbox SET state = 'failed', next_attempt_ms = NULL, last_error = ?, last_error_code = ?, updated_at = ? WHERE id = ?").run(
          outcome.error,
          outcome.code,
          now,
          outcome.id,
        );
      }
    },

    /** At start: a row left `sending` by a crash goes back to the queue; its key makes the resend safe. */
    requeueInterrupted(now: string): number {
      return q<[string]>(`UPDATE outbox SET state = 'queued', next_attempt_ms = NULL, updated_at = ? WHERE ${PENDING} AND state = 'sending'`).run(now).changes;
    },

    /** Back online: rows that were only waiting out a network failure are due now. */
    wakeNetworkWaits(now: string): number {
      return q<[string]>(
        `UPDATE outbox SET next_attempt_ms = NULL, updated_at = ? WHERE ${PENDING} AND state = 'queued' AND last_error_code IN ('network', 'timeout') AND next_attempt_ms IS NOT NULL`,
      ).run(now).changes;
    },

    retry(id: number, now: string): boolean {
      return q<[string, number]>("UPDATE outbox SET state = 'queued', next_attempt_ms = NULL, updated_at = ? WHERE id = ? AND state IN ('failed', 'queued')").run(now, id).changes > 0;
    },

    /** `why` replaces the last error when the row ends because of another (the one it waited for was discarded). */
    discard(id: number, now: string, why: string | null = null): boolean {
      return (
        q<[string | null, string, number]>(
          "UPDATE outbox SET state = 'discarded', next_attempt_ms = NULL, last_error = COALESCE(?, last_error), updated_at = ? WHERE id = ? AND state IN ('failed', 'queued')",
        ).run(why, now, id).changes > 0
      );
    },

    /** An assignment's waiting rows are due now (its last chance, before a wipe). */
    makeDue(assignmentId: string, now: string): number {
      return q<[string, string]>(`UPDATE outbox SET next_attempt_ms = NULL, updated_at = ? WHERE ${PENDING} AND state = 'queued' AND assignment_id = ?`).run(now, assignmentId).changes;
    },

    /** How many of an assignment's rows are being sent, or due and free to go (their predecessor, if any, sent). */
    goingNow(assignmentId: string): number {
      return (
        q<[string], { n: number }>(
          `SELECT COUNT(*) AS n FROM outbox o LEFT JOIN outbox p ON p.id = o.after_id
            WHERE o.${PENDING} AND o.assignment_id = ? AND (o.state = 'sending' OR (o.state = 'queued' AND o.next_attempt_ms IS NULL AND (o.after_id IS NULL OR p.state = 'sent')))`,
        ).get(assignmentId)?.n ?? 0
      );
    },

    /** An assignment's rows that have not reached File 360, of these kinds. */
    unsent(assignmentId: string, kinds: readonly OutboxKind[]): OutboxRow[] {
      return q<[string, string], OutboxRow>(
        `SELECT * FROM outbox WHERE assignment_id = ? AND ${PENDING} AND kind IN (SELECT value FROM json_each(?)) ORDER BY id`,
      ).all(assignmentId, JSON.stringify(kinds));
    },

    /** Rows that wait for one that will now never be sent. */
    dependents(id: number): OutboxRow[] {
      return q<[number], OutboxRow>("SELECT * FROM outbox WHERE after_id = ? AND state IN ('queued', 'failed')").all(id);
    },

    /**
     * Failed, then sending, then queued, then the history newest first. The
     * rows still to go are few and sorted; the history (a year of sent rows)
     * is read newest first through its own index, only as far as the page needs.
     */
    list(filter: { states: readonly OutboxState[]; limit: number }): OutboxRow[] {
      const open = filter.states.filter((state) => state === 'queued' || state === 'sending' || state === 'failed');
      const done = filter.states.filter((state) => state === 'sent' || state === 'discarded');
      const pending =
        open.length === 0
          ? []
          : q<[string, number], OutboxRow>(
              `SELECT * FROM outbox WHERE ${PENDING} AND state IN (SELECT value FROM json_each(?))
                ORDER BY CASE state WHEN 'failed' THEN 0 WHEN 'sending' THEN 1 ELSE 2 END, id DESC LIMIT ?`,
            ).all(JSON.stringify(open), filter.limit);
      const room = filter.limit - pending.length;
      if (done.length === 0 || room <= 0) return pending;
      const history = q<[string, number], OutboxRow>(
        `SELECT * FROM outbox WHERE state IN ('sent', 'discarded') AND state IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT ?`,
      ).all(JSON.stringify(done), room);
      return [...pending, ...history];
    },

    /** How many rows are still to go, by state (sent and discarded ones are history). */
    pending(): { queued: number; sending: number; failed: number } {
      const counts = { queued: 0, sending: 0, failed: 0 };
      const rows = q<[], { state: keyof typeof counts; n: number }>(`SELECT state, COUNT(*) AS n FROM outbox WHERE ${PENDING} GROUP BY state`).all();
      for (const row of rows) counts[row.state] = row.n;
      return counts;
    },
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;

import type Database from 'better-sqlite3';
import { prepared } from '../../kernel/platform/statements';

export type EscalationState = 'queued' | 'open' | 'claimed' | 'completed' | 'failed';

export interface EscalationRow {
  id: string;
  remote_id: string | null;
  assignment_id: string;
  export_id: number | null;
  question_key: string;
  reason: string;
  reasons: string;
  note: string;
  priority: 'normal' | 'high';
  item: string;
  outbox_id: number;
  state: EscalationState;
  decision: string | null;
  decided_at: string | null;
  applied_at: string | null;
  applied_dataset: string | null;
  apply_error: string | null;
  created_at: string;
  updated_at: string;
}

/** Reads and writes of the escalations this computer raised. Callers own the transactions. */
export function createEscalationStore(db: () => Database.Database) {
  const q = <P extends unknown[] = unknown[], R = unknown>(sql: string) => prepared<P, R>(db(), sql);
  return {
    insert(row: Omit<EscalationRow, 'remote_id' | 'decision' | 'decided_at' | 'applied_at' | 'applied_dataset' | 'apply_error' | 'state'>): void {
      q(
        `INSERT INTO escalations (id, assignment_id, export_id, question_key, reason, reasons, note, priority, item, outbox_id, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
      ).run(row.id, row.assignment_id, row.export_id, row.question_key, row.reason, row.reasons, row.note, row.priority, row.item, row.outbox_id, row.created_at, row.updated_at);
    },

    /** Whether an item was already escalated for a detected reason (a question asked by hand does not count). */
    escalated(assignmentId: string, questionKey: string): boolean {
      return q<[string, string]>("SELECT 1 FROM escalations WHERE assignment_id = ? AND question_key = ? AND reason <> 'question'").get(assignmentId, questionKey) !== undefined;
    },

    get(id: string): EscalationRow | undefined {
      return q<[string], EscalationRow>('SELECT * FROM escalations WHERE id = ?').get(id);
    },

    byOutbox(outboxId: number): EscalationRow | undefined {
      return q<[number], EscalationRow>('SELECT * FROM escalations WHERE outbox_id = ?').get(outboxId);
    },

    byRemote(remoteId: string): EscalationRow | undefined {
      return q<[string], EscalationRow>('SELECT * FROM escalations WHERE remote_id = ?').get(remoteId);
    },

    list(assignmentId: string | null): EscalationRow[] {
      return assignmentId === null
        ? q<[], EscalationRow>('SELECT * FROM escalations ORDER BY created_at DESC, id').all()
        : q<[string], EscalationRow>('SELECT * FROM escalations WHERE assignment_id = ? ORDER BY created_at DESC, id').all(assignmentId);
    },

    /** Decided on File 360 but not yet in Prodigy (or the last try failed). */
    unapplied(): EscalationRow[] {
      return q<[], EscalationRow>("SELECT * FROM escalations WHERE state = 'completed' AND decision IS NOT NULL AND applied_at IS NULL ORDER BY decided_at, id").all();
    },

    sent(id: string, remoteId: string, state: EscalationState, now: string): void {
      q<[string, EscalationState, string, string]>("UPDATE escalations SET remote_id = ?, state = ?, updated_at = ? WHERE id = ? AND state IN ('queued', 'failed')").run(remoteId, state, now, id);
    },

    setState(id: string, state: EscalationState, now: string): void {
      q<[EscalationState, string, string]>('UPDATE escalations SET state = ?, updated_at = ? WHERE id = ?').run(state, now, id);
    },

    decided(id: string, decision: unknown, decidedAt: string, now: string): void {
      q<[string, string, string, string]>("UPDATE escalations SET state = 'completed', decision = ?, decided_at = ?, updated_at = ? WHERE id = ?").run(JSON.stringify(decision), decidedAt, now, id);
    },

    applied(id: string, dataset: string, now: string): void {
      q<[string, string, string, string]>('UPDATE escalations SET applied_at = ?, applied_dataset = ?, apply_error = NULL, updated_at = ? WHERE id = ?').run(now, dataset, now, id);
    },

    applyFailed(id: string, error: string, now: string): void {
      q<[string, string, string]>('UPDATE escalations SET apply_error = ?, updated_at = ? WHERE id = ?').run(error, now, id);
    },
  };
}

export type EscalationStore = ReturnType<typeof createEscalationStore>;

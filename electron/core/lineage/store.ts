import type Database from 'better-sqlite3';
import { prepared } from '../kernel/platform/statements';
import type { OutboxState } from '../services/outbox/store';
import type { SessionRun } from '../services/lineage/record';

export interface LineageRow {
  export_id: number;
  record: string;
  upload_state: OutboxState;
  upload_remote: string | null;
  uploaded_at: string | null;
}

/** The frozen lineage of each export, with where its package's upload stands now. Callers own the transactions. */
export function createLineageStore(db: () => Database.Database) {
  return {
    insert(exportId: number, assignmentId: string, record: unknown, createdAt: string): void {
      prepared(db(), 'INSERT INTO lineage (export_id, assignment_id, record, created_at) VALUES (?, ?, ?, ?)').run(exportId, assignmentId, JSON.stringify(record), createdAt);
    },

    /** Newest first. */
    list(assignmentId: string): LineageRow[] {
      return prepared<[string], LineageRow>(
        db(),
        `SELECT l.export_id, l.record, o.state AS upload_state, o.remote AS upload_remote, o.sent_at AS uploaded_at
           FROM lineage l JOIN exports e ON e.id = l.export_id JOIN outbox o ON o.id = e.outbox_id
          WHERE l.assignment_id = ? ORDER BY l.export_id DESC`,
      ).all(assignmentId);
    },

    /** Prodigy runs of an assignment that began by `until`, by the session id they answered in. */
    runs(assignmentId: string, until: string): Map<string, SessionRun[]> {
      const rows = prepared<[string, string], { session: string; started_at: string; ended_at: string | null }>(
        db(),
        `SELECT dataset || '-' || session_name AS session, started_at, ended_at FROM prodigy_sessions
          WHERE assignment_id = ? AND state <> 'failed' AND started_at <= ? ORDER BY id`,
      ).all(assignmentId, until);
      const runs = new Map<string, SessionRun[]>();
      for (const row of rows) runs.set(row.session, [...(runs.get(row.session) ?? []), { started_at: row.started_at, ended_at: row.ended_at }]);
      return runs;
    },
  };
}

import type { Migration } from '../migrate';

/**
 * One row per Prodigy run. The pid and home let the next start find and stop a
 * Prodigy left running by a crashed app; the credentials are never stored.
 */
export default {
  version: 4,
  name: 'prodigy sessions',
  sql: `
    CREATE TABLE prodigy_sessions (
      id              INTEGER PRIMARY KEY AUTOINCREMENT,
      assignment_id   TEXT NOT NULL,
      pid             INTEGER,
      port            INTEGER,
      prodigy_home    TEXT NOT NULL,
      dataset         TEXT NOT NULL,
      session_name    TEXT NOT NULL,
      state           TEXT NOT NULL,
      message         TEXT,
      started_at      TEXT NOT NULL,
      ended_at        TEXT,
      exit_code       INTEGER,
      saved           INTEGER,
      prodigy_session TEXT
    );
    CREATE INDEX prodigy_sessions_by_assignment ON prodigy_sessions (assignment_id, id);
    CREATE INDEX prodigy_sessions_live ON prodigy_sessions (state) WHERE state IN ('starting', 'running', 'stopping');
  `,
} satisfies Migration;

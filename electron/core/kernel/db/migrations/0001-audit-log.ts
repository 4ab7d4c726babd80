import type { Migration } from '../migrate';

export default {
  version: 1,
  name: 'audit log',
  sql: `
    CREATE TABLE audit (
      id            INTEGER PRIMARY KEY AUTOINCREMENT,
      ts            TEXT NOT NULL,
      type          TEXT NOT NULL,
      actor         TEXT NOT NULL,
      assignment_id TEXT,
      file_id       TEXT,
      details       TEXT NOT NULL,
      prev_hash     TEXT NOT NULL,
      hash          TEXT NOT NULL UNIQUE
    );
    CREATE INDEX audit_by_type ON audit (type, id);
    CREATE INDEX audit_by_assignment ON audit (assignment_id, id);
    CREATE INDEX audit_by_ts ON audit (ts);
  `,
} satisfies Migration;

import type { Migration } from '../migrate';

/**
 * Governance (DESIGN F6). File 360's own access history is kept beside the
 * local chain, by the server's ids, with a cursor per assignment. Each audit
 * batch File 360 acknowledged is remembered with the hashes it carried, so a
 * later edit of an uploaded row is caught against what the server holds. Each
 * export gets its lineage record, frozen when the package was built.
 */
export default {
  version: 8,
  name: 'server audit history, audit acknowledgements and lineage',
  sql: `
    CREATE TABLE audit_remote (
      server          TEXT NOT NULL,
      tenant          TEXT NOT NULL,
      remote_id       TEXT NOT NULL,
      assignment_id   TEXT,
      event_type      TEXT NOT NULL,
      audit_name      TEXT,
      audit_date      TEXT NOT NULL,
      user_id         TEXT,
      target_user_id  TEXT,
      agent_id        TEXT,
      file_id         TEXT,
      details         TEXT NOT NULL DEFAULT '{}',
      fetched_at      TEXT NOT NULL,
      PRIMARY KEY (server, tenant, remote_id)
    ) WITHOUT ROWID;
    CREATE INDEX audit_remote_by_date ON audit_remote (server, tenant, audit_date);

    CREATE TABLE audit_remote_cursor (
      server         TEXT NOT NULL,
      tenant         TEXT NOT NULL,
      assignment_id  TEXT NOT NULL,
      after_id       TEXT NOT NULL,
      PRIMARY KEY (server, tenant, assignment_id)
    ) WITHOUT ROWID;

    CREATE TABLE audit_acks (
      outbox_id   INTEGER PRIMARY KEY REFERENCES outbox (id),
      first_id    INTEGER NOT NULL,
      last_id     INTEGER NOT NULL,
      count       INTEGER NOT NULL,
      accepted    INTEGER NOT NULL,
      hashes      TEXT NOT NULL,
      acked_at    TEXT NOT NULL
    );

    CREATE TABLE lineage (
      export_id      INTEGER PRIMARY KEY REFERENCES exports (id),
      assignment_id  TEXT NOT NULL,
      record         TEXT NOT NULL,
      created_at     TEXT NOT NULL
    );
    CREATE INDEX lineage_by_assignment ON lineage (assignment_id, export_id);
  `,
} satisfies Migration;

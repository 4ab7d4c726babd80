import type { Migration } from '../migrate';

/**
 * What leaves the machine, and the records it comes from. An outbox row is
 * written in the same transaction as the change that caused it (an export, an
 * escalation, a decision), with its idempotency key fixed there: a retry after
 * any crash sends the same key, so File 360 keeps one copy.
 */
export default {
  version: 6,
  name: 'outbox, exports, escalations and reviews',
  sql: `
    CREATE TABLE outbox (
      id               INTEGER PRIMARY KEY AUTOINCREMENT,
      kind             TEXT NOT NULL,
      idempotency_key  TEXT NOT NULL UNIQUE,
      server           TEXT NOT NULL,
      tenant           TEXT NOT NULL,
      user_id          TEXT NOT NULL,
      assignment_id    TEXT,
      label            TEXT NOT NULL,
      payload          TEXT NOT NULL,
      file             TEXT,
      size             INTEGER NOT NULL DEFAULT 0,
      after_id         INTEGER REFERENCES outbox (id),
      state            TEXT NOT NULL DEFAULT 'queued',
      attempts         INTEGER NOT NULL DEFAULT 0,
      next_attempt_ms  INTEGER,
      last_error       TEXT,
      last_error_code  TEXT,
      remote           TEXT,
      created_at       TEXT NOT NULL,
      sent_at          TEXT,
      updated_at       TEXT NOT NULL
    );
    CREATE INDEX outbox_pending ON outbox (state, id) WHERE state IN ('queued', 'sending', 'failed');
    -- What the sender looks for next: without it every look scans past all the rows already sent.
    CREATE INDEX outbox_queued ON outbox (id) WHERE state = 'queued';
    CREATE INDEX outbox_after ON outbox (after_id) WHERE after_id IS NOT NULL;

    CREATE TABLE exports (
      id              INTEGER PRIMARY KEY AUTOINCREMENT,
      assignment_id   TEXT NOT NULL,
      dataset         TEXT NOT NULL,
      trigger         TEXT NOT NULL,
      annotations     INTEGER NOT NULL,
      counts          TEXT NOT NULL,
      fingerprint     TEXT NOT NULL,
      package_file    TEXT NOT NULL,
      package_sha256  TEXT NOT NULL,
      package_size    INTEGER NOT NULL,
      disputes        INTEGER NOT NULL,
      outbox_id       INTEGER NOT NULL REFERENCES outbox (id),
      created_at      TEXT NOT NULL
    );
    CREATE INDEX exports_by_assignment ON exports (assignment_id, id);

    CREATE TABLE escalations (
      id               TEXT PRIMARY KEY,
      remote_id        TEXT UNIQUE,
      assignment_id    TEXT NOT NULL,
      export_id        INTEGER REFERENCES exports (id),
      question_key     TEXT NOT NULL,
      reason           TEXT NOT NULL,
      reasons          TEXT NOT NULL,
      note             TEXT NOT NULL,
      priority         TEXT NOT NULL,
      item             TEXT NOT NULL,
      outbox_id        INTEGER NOT NULL REFERENCES outbox (id),
      state            TEXT NOT NULL,
      decision         TEXT,
      decided_at       TEXT,
      applied_at       TEXT,
      applied_dataset  TEXT,
      apply_error      TEXT,
      created_at       TEXT NOT NULL,
      updated_at       TEXT NOT NULL
    );
    -- A disputed item is escalated once, however many exports find it again; questions asked by hand are each their own.
    CREATE UNIQUE INDEX escalations_once ON escalations (assignment_id, question_key) WHERE reason <> 'question';
    CREATE INDEX escalations_by_assignment ON escalations (assignment_id, created_at);

    CREATE TABLE reviews (
      id              TEXT PRIMARY KEY,
      server          TEXT NOT NULL,
      tenant          TEXT NOT NULL,
      user_id         TEXT NOT NULL,
      assignment_id   TEXT NOT NULL,
      state           TEXT NOT NULL,
      reason          TEXT NOT NULL,
      priority        TEXT NOT NULL,
      note            TEXT NOT NULL,
      item            TEXT NOT NULL,
      created_by      TEXT NOT NULL,
      assignee        TEXT,
      decision        TEXT,
      due             TEXT,
      created         TEXT NOT NULL,
      updated         TEXT NOT NULL,
      local_decision  TEXT,
      outbox_id       INTEGER REFERENCES outbox (id)
    );
    CREATE INDEX reviews_by_owner ON reviews (server, tenant, user_id, state);
  `,
} satisfies Migration;

import type { Migration } from '../migrate';

/**
 * Who is signed in where, what is assigned to them, and what is on disk.
 * Tokens are never stored here: the refresh token lives in the keychain only.
 */
export default {
  version: 3,
  name: 'file360 accounts, assignments and files',
  sql: `
    CREATE TABLE accounts (
      server        TEXT NOT NULL,
      tenant        TEXT NOT NULL,
      user_id       TEXT NOT NULL,
      display_name  TEXT NOT NULL,
      email         TEXT,
      roles         TEXT NOT NULL,
      groups        TEXT NOT NULL,
      signed_in_at  TEXT NOT NULL,
      PRIMARY KEY (server, tenant)
    ) WITHOUT ROWID;

    CREATE TABLE assignments (
      id                      TEXT PRIMARY KEY,
      server                  TEXT NOT NULL,
      tenant                  TEXT NOT NULL,
      user_id                 TEXT NOT NULL,
      name                    TEXT NOT NULL,
      status                  TEXT NOT NULL,
      role                    TEXT NOT NULL,
      permissions             TEXT NOT NULL,
      sharer                  TEXT,
      sharing_date            TEXT,
      due_date                TEXT,
      expiration              TEXT,
      manifest_version        TEXT NOT NULL,
      file_count              INTEGER NOT NULL,
      total_size              INTEGER NOT NULL,
      project                 TEXT NOT NULL,
      reviewer_groups         TEXT NOT NULL,
      synced_manifest_version TEXT,
      last_synced_at          TEXT,
      sync_error              TEXT,
      wiped_at                TEXT,
      wipe_reason             TEXT,
      updated_at              TEXT NOT NULL
    );

    CREATE TABLE files (
      assignment_id  TEXT NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
      id             TEXT NOT NULL,
      path           TEXT NOT NULL,
      size           INTEGER NOT NULL,
      sha256         TEXT NOT NULL,
      version        INTEGER NOT NULL,
      mime_type      TEXT,
      etag           TEXT,
      state          TEXT NOT NULL,
      error          TEXT,
      local_size     INTEGER,
      local_mtime_ms INTEGER,
      PRIMARY KEY (assignment_id, id)
    ) WITHOUT ROWID;
    CREATE INDEX files_by_path ON files (assignment_id, path);
    CREATE INDEX files_by_state ON files (assignment_id, state);
  `,
} satisfies Migration;

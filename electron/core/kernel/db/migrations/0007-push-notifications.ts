import type { Migration } from '../migrate';

/**
 * Push and notifications (DESIGN F7/F8). The stream cursor and the stored
 * notifications are written in one transaction, and a notification's `seq` is
 * unique per account: a replayed event lands once, and a crash between the two
 * can neither skip nor double one. Local reminders record what they fired so a
 * restart does not fire them again.
 */
export default {
  version: 7,
  name: 'push devices, stream cursor, notifications and reminders',
  sql: `
    CREATE TABLE push_devices (
      server     TEXT NOT NULL,
      tenant     TEXT NOT NULL,
      user_id    TEXT NOT NULL,
      device_id  TEXT NOT NULL,
      topics     TEXT NOT NULL DEFAULT '[]',
      PRIMARY KEY (server, tenant, user_id)
    ) WITHOUT ROWID;

    CREATE TABLE push_cursor (
      server     TEXT NOT NULL,
      tenant     TEXT NOT NULL,
      user_id    TEXT NOT NULL,
      last_seq   INTEGER NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (server, tenant, user_id)
    ) WITHOUT ROWID;

    CREATE TABLE notifications (
      id            INTEGER PRIMARY KEY AUTOINCREMENT,
      server        TEXT NOT NULL,
      tenant        TEXT NOT NULL,
      user_id       TEXT NOT NULL,
      source        TEXT NOT NULL,
      seq           INTEGER,
      remote_id     TEXT,
      type          TEXT NOT NULL,
      title         TEXT NOT NULL,
      summary       TEXT NOT NULL,
      topic         TEXT,
      collapse_key  TEXT,
      data          TEXT NOT NULL DEFAULT '{}',
      created       TEXT NOT NULL,
      expires       TEXT,
      received_ms   INTEGER NOT NULL,
      delivery      TEXT NOT NULL,
      delivered_ms  INTEGER,
      read_ms       INTEGER,
      cleared_ms    INTEGER
    );
    CREATE UNIQUE INDEX notifications_seq ON notifications (server, tenant, user_id, seq) WHERE seq IS NOT NULL;
    CREATE INDEX notifications_recent ON notifications (server, tenant, user_id, id DESC) WHERE cleared_ms IS NULL;
    CREATE INDEX notifications_held ON notifications (delivery) WHERE delivery = 'held';

    CREATE TABLE reminders_fired (
      server     TEXT NOT NULL,
      tenant     TEXT NOT NULL,
      user_id    TEXT NOT NULL,
      key        TEXT NOT NULL,
      fired_ms   INTEGER NOT NULL,
      PRIMARY KEY (server, tenant, user_id, key)
    ) WITHOUT ROWID;
  `,
} satisfies Migration;

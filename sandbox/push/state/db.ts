import type { Db } from '../../file360/state/db';

/**
 * Push keeps its state beside File 360's in the same SQLite file: one data
 * folder, one restart, and the users and tokens it authenticates against are
 * File 360's own. `push_events` holds one row per recipient; `seq` is its
 * primary key, so it is unique and ascending across users.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS push_devices (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, installation_id TEXT NOT NULL, runtime TEXT NOT NULL,
  app_version TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL, UNIQUE (user_id, installation_id));
CREATE TABLE IF NOT EXISTS push_topics (device_id TEXT NOT NULL, topic TEXT NOT NULL, PRIMARY KEY (device_id, topic));
CREATE INDEX IF NOT EXISTS push_topics_by_topic ON push_topics (topic);
CREATE TABLE IF NOT EXISTS push_events (
  seq INTEGER PRIMARY KEY, user_id TEXT NOT NULL, notification_id TEXT NOT NULL, job_id TEXT NOT NULL,
  type TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL, topic TEXT, collapse_key TEXT,
  data TEXT NOT NULL, created TEXT NOT NULL, expires TEXT);
CREATE INDEX IF NOT EXISTS push_events_by_user ON push_events (user_id, seq);
CREATE TABLE IF NOT EXISTS push_jobs (
  id TEXT PRIMARY KEY, publisher TEXT NOT NULL, recipients INTEGER NOT NULL,
  min_seq INTEGER NOT NULL, max_seq INTEGER NOT NULL, created TEXT NOT NULL);
`;

export function createPushTables(db: Db): void {
  db.exec(SCHEMA);
}

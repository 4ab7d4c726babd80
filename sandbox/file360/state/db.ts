import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * One SQLite file holds the whole server state, so a restart with the same
 * folder finds users, tokens, files (with their precomputed hashes), uploads,
 * escalations and audit exactly as they were; and thousands of small uploads
 * per second cost one row each rather than a rewrite of a state file.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, password TEXT NOT NULL,
  display_name TEXT NOT NULL, email TEXT NOT NULL, roles TEXT NOT NULL, groups_json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS assignments (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, permissions TEXT NOT NULL,
  sharer TEXT NOT NULL, sharing_date TEXT NOT NULL, due_date TEXT, expiration TEXT,
  revoked INTEGER NOT NULL DEFAULT 0, manifest_version INTEGER NOT NULL DEFAULT 1,
  project TEXT NOT NULL, reviewer_groups TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS assignment_users (
  assignment_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (assignment_id, user_id));
CREATE INDEX IF NOT EXISTS assignment_users_by_user ON assignment_users (user_id);
CREATE TABLE IF NOT EXISTS files (
  id TEXT PRIMARY KEY, assignment_id TEXT NOT NULL, path TEXT NOT NULL,
  version_number INTEGER NOT NULL, listed INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS files_by_assignment ON files (assignment_id, listed, deleted, path);
CREATE TABLE IF NOT EXISTS file_versions (
  file_id TEXT NOT NULL, version_number INTEGER NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,
  mime_type TEXT NOT NULL, modify_date TEXT NOT NULL,
  source TEXT NOT NULL, inline BLOB, blob_path TEXT,
  PRIMARY KEY (file_id, version_number));
CREATE TABLE IF NOT EXISTS auth_codes (
  code_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL,
  scope TEXT NOT NULL, challenge TEXT NOT NULL, expires_at INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS tokens (
  token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, user_id TEXT NOT NULL, client_id TEXT NOT NULL,
  scope TEXT NOT NULL, expires_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS token_grants (token_hash TEXT PRIMARY KEY, grant_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS token_grants_by_grant ON token_grants (grant_id);
CREATE TABLE IF NOT EXISTS idempotency (
  user_id TEXT NOT NULL, scope TEXT NOT NULL, key TEXT NOT NULL, body_hash TEXT NOT NULL,
  resource_id TEXT NOT NULL, PRIMARY KEY (user_id, scope, key));
CREATE TABLE IF NOT EXISTS uploads (
  id TEXT PRIMARY KEY, assignment_id TEXT NOT NULL, user_id TEXT NOT NULL, kind TEXT NOT NULL,
  name TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, mime_type TEXT NOT NULL,
  metadata TEXT NOT NULL, received INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL,
  file_id TEXT, created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS escalations (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, assignment_id TEXT NOT NULL,
  created_by TEXT NOT NULL, reason TEXT NOT NULL, note TEXT NOT NULL, priority TEXT NOT NULL,
  item TEXT NOT NULL, upload_id TEXT, state TEXT NOT NULL, assignee TEXT, decision TEXT,
  created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, event_type TEXT NOT NULL,
  audit_name TEXT NOT NULL, audit_date TEXT NOT NULL, user_id TEXT NOT NULL, target_user_id TEXT,
  agent_id TEXT, assignment_id TEXT, file_id TEXT, details TEXT NOT NULL,
  hash TEXT, prev_hash TEXT, source TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_by_assignment ON audit (assignment_id, seq);
`;

export function openDb(dataDir: string): Db {
  const db = new Database(path.join(dataDir, 'file360.db'));
  db.pragma('journal_mode = WAL');
  // A test stand-in: surviving a clean restart or a killed process matters (a commit's pages are with the operating
  // system by then), surviving a power cut does not, so nothing is fsynced (https://sqlite.org/pragma.html#pragma_synchronous):
  // NORMAL's fsync at each checkpoint was half the time of a one-request upload.
  db.pragma('synchronous = OFF');
  db.exec(SCHEMA);
  return db;
}

export function getMeta(db: Db, key: string): string | undefined {
  const row = sql(db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  sql(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, compiled once per database: requests repeat the same few queries thousands of times. */
export function sql(db: Db, source: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(source);
  if (!statement) cache.set(source, (statement = db.prepare(source)));
  return statement;
}

import type Database from 'better-sqlite3';

/**
 * SQLite keeps deleted rows where they were until the space is reused: in free
 * pages, in the unused part of a page, and in the WAL until a checkpoint
 * copies newer pages over them. `secure_delete` (set at every open) zeroes
 * what a delete frees, so after a wipe only two places can still hold the
 * text: WAL frames written before the wipe, and space freed before this app
 * turned `secure_delete` on (a database made by an older version). The first
 * goes with a truncating checkpoint; the second with one VACUUM, once.
 * https://www.sqlite.org/pragma.html#pragma_secure_delete, #pragma_wal_checkpoint, https://www.sqlite.org/lang_vacuum.html
 */
const SCRUBBED_KEY = 'secure_delete_since';

/** A database created with `secure_delete` on has never freed space it did not zero. */
export function markScrubbedSinceCreation(db: Database.Database): void {
  db.prepare("INSERT OR IGNORE INTO app_state (key, value) VALUES (?, 'creation')").run(SCRUBBED_KEY);
}

export interface ScrubResult {
  /** The whole file was rewritten, because it held space freed before `secure_delete` was on. */
  vacuumed: boolean;
  /** The WAL was copied back and emptied; false when another connection held it (tried again at the next wipe). */
  checkpointed: boolean;
}

/** Makes deleted rows unreadable from the database file and its WAL. Call outside any transaction. */
export function scrubDeleted(db: Database.Database, now: () => string): ScrubResult {
  let vacuumed = false;
  const since = db.prepare<[string], { value: string }>('SELECT value FROM app_state WHERE key = ?').get(SCRUBBED_KEY);
  if (!since) {
    db.exec('VACUUM');
    db.prepare('INSERT OR REPLACE INTO app_state (key, value) VALUES (?, ?)').run(SCRUBBED_KEY, now());
    vacuumed = true;
  }
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number; checkpointed: number }>;
  return { vacuumed, checkpointed: result?.busy === 0 };
}

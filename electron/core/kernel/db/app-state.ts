import type Database from 'better-sqlite3';
import { prepared } from '../platform/statements';

/** One small fact about this installation from `app_state` (never a secret), or null. */
export function readAppState(db: Database.Database, key: string): string | null {
  return prepared<[string], { value: string }>(db, 'SELECT value FROM app_state WHERE key = ?').get(key)?.value ?? null;
}

export function writeAppState(db: Database.Database, key: string, value: string): void {
  prepared<[string, string]>(db, 'INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

import type Database from 'better-sqlite3';
import { prepared } from '../platform/statements';

/** The last row removed under the retention setting: the chain after it links to this hash. */
export interface AuditAnchor {
  id: number;
  hash: string;
}

const KEY = 'audit_pruned_through';

export function readAnchor(db: Database.Database): AuditAnchor | null {
  const value = prepared<[string], { value: string }>(db, 'SELECT value FROM app_state WHERE key = ?').get(KEY)?.value;
  return value ? (JSON.parse(value) as AuditAnchor) : null;
}

export function writeAnchor(db: Database.Database, anchor: AuditAnchor): void {
  prepared<[string, string]>(db, 'INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    KEY,
    JSON.stringify({ id: anchor.id, hash: anchor.hash }),
  );
}

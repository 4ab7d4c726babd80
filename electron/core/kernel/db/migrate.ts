import type Database from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3… with no gaps; stored in `PRAGMA user_version`. */
  version: number;
  name: string;
  sql: string;
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/** Applies every pending migration in one transaction: all of them, or none. Returns how many ran. */
export function migrate(db: Database.Database, migrations: readonly Migration[]): number {
  migrations.forEach((m, index) => {
    if (m.version !== index + 1) throw new Error(`Migration "${m.name}" is numbered ${m.version}, expected ${index + 1}.`);
  });
  const current = schemaVersion(db);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return 0;
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  })();
  return pending.length;
}

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { StartupProblem } from '../../../../shared/api/schemas/app';
import { AppError } from '../errors';
import { CHECK_AT_OPEN_BYTES, damagedMark } from './check';
import { latestVersion, migrate, schemaVersion, type Migration } from './migrate';
import { markScrubbedSinceCreation } from './scrub';

/** Why the database could not be opened, with what the UI may offer to do about it. */
export class DatabaseOpenError extends AppError {
  constructor(readonly problem: StartupProblem) {
    super(problem.code, problem.message);
    this.name = 'DatabaseOpenError';
  }
}

const DAMAGED_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

function sqliteCode(error: unknown): string | undefined {
  return error && typeof error === 'object' && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function toOpenError(error: unknown, file: string): DatabaseOpenError {
  if (error instanceof DatabaseOpenError) return error;
  const code = sqliteCode(error) ?? '';
  if (DAMAGED_CODES.has(code) || code.startsWith('SQLITE_CORRUPT')) {
    return new DatabaseOpenError({
      code: 'DB_CORRUPT',
      file,
      canMoveAside: true,
      message: `The local database ${file} is damaged and cannot be read (${code}). It can be moved aside so the app starts with a fresh one; the damaged file is kept.`,
    });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new DatabaseOpenError({
    code: 'DB_UNREADABLE',
    file,
    canMoveAside: false,
    message: `The local database ${file} could not be opened: ${reason}. Check that the folder exists, is yours and has free space, then restart the app.`,
  });
}

export interface OpenOptions {
  migrations: readonly Migration[];
}

/**
 * Whether opening checks every page (quick_check) first: a small file (a few
 * tens of milliseconds), or one a background check found damaged. A larger
 * one is checked in the background (check.ts), not while the user waits.
 */
export function checksAtOpen(file: string): boolean {
  if (fs.existsSync(damagedMark(file))) return true;
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  const wal = fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  return size + wal <= CHECK_AT_OPEN_BYTES;
}

/**
 * Opens (or creates) the app's database. The schema version is read before any
 * write, so a file from a newer app or a damaged file is left exactly as it was.
 */
export function openDatabase(file: string, { migrations }: OpenOptions): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    const found = schemaVersion(db);
    const known = latestVersion(migrations);
    if (found > known) {
      throw new DatabaseOpenError({
        code: 'DB_TOO_NEW',
        file,
        canMoveAside: false,
        message: `The local database ${file} was written by a newer version of Annotator Companion (schema ${found}; this version knows up to ${known}). Install the newer version. Nothing was changed.`,
      });
    }
    if (found > 0 && checksAtOpen(file)) {
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw Object.assign(new Error(String(check)), { code: 'SQLITE_CORRUPT' });
      fs.rmSync(damagedMark(file), { force: true });
    }
    db.pragma('journal_mode = WAL');
    // Queued uploads and the audit chain are user work: every commit reaches the disk.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // A wipe must leave nothing of what it deleted in free pages (DESIGN §6, wipe means gone).
    db.pragma('secure_delete = ON');
    migrate(db, migrations);
    if (found === 0) markScrubbedSinceCreation(db);
    fs.chmodSync(file, 0o600);
    return db;
  } catch (error) {
    db?.close();
    throw toOpenError(error, file);
  }
}

/**
 * Renames a damaged database (and its WAL and shared-memory files) out of the
 * way. Returns the new name of the main file.
 */
export function moveDatabaseAside(file: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = `${file}.damaged-${stamp}`;
  for (const suffix of ['-wal', '-shm', '']) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, target + suffix);
  }
  fs.rmSync(damagedMark(file), { force: true });
  return target;
}

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import type { StartupProblem } from '../../../../shared/api/schemas/app';
import { createAuditLog, type AuditLog } from '../audit/audit-log';
import { AppError } from '../errors';
import type { Clock, Logger } from '../ports';
import { checkInBackground, damagedMark } from './check';
import { MIGRATIONS } from './migrations';
import { DatabaseOpenError, checksAtOpen, moveDatabaseAside, openDatabase } from './open';

/** A database too large to check at open is checked this long after it, once the app has settled. */
const BACKGROUND_CHECK_AFTER_MS = 60_000;

export interface OpenData {
  db: Database.Database;
  audit: AuditLog;
  installationId: string;
}

/**
 * The database and the audit log built on it. When the file cannot be opened
 * the app still starts, reports the problem, and every call that needs data
 * gets DB_UNAVAILABLE instead of a crash.
 */
export interface LocalData {
  readonly file: string;
  problem(): StartupProblem | null;
  require(): OpenData;
  /** Runs `fn` in one transaction: the change and its audit entry land together. */
  transaction<T>(fn: (data: OpenData) => T): T;
  /** Moves a damaged file aside and opens a fresh one; returns where the old file went. */
  moveAside(): string;
  close(): void;
}

function ensureInstallationId(db: Database.Database): string {
  const row = db.prepare<[], { value: string }>("SELECT value FROM app_state WHERE key = 'installation_id'").get();
  if (row) return row.value;
  const id = randomUUID();
  db.prepare("INSERT INTO app_state (key, value) VALUES ('installation_id', ?)").run(id);
  return id;
}

/**
 * `damaged` hears when the background check of a large database found it
 * damaged: it is marked, so the next start checks it first and offers to move it aside.
 * `appended` hears of every audit entry written.
 */
export function openLocalData(file: string, clock: Clock, actor: () => string, logger: Logger, damaged?: (words: string) => void, appended?: () => void): LocalData {
  let open: OpenData | null = null;
  let problem: StartupProblem | null = null;
  let cancelCheck: (() => void) | null = null;

  const checkLater = () => {
    cancelCheck = clock.setTimeout(() => {
      cancelCheck = null;
      const started = Date.now();
      checkInBackground(file).then(
        (result) => {
          if (result === 'ok') logger.info('the database was checked in the background and is intact', { ms: Date.now() - started });
          if (result === 'ok' || !open) return;
          fs.writeFileSync(damagedMark(file), `${result}\n`, { mode: 0o600 });
          logger.error('the background check found the database damaged', { file, result: result.slice(0, 200) });
          damaged?.(`The local database ${file} is damaged (${result.replace(/\s+/g, ' ').slice(0, 120).trim()}). Quit and start the app again: it will offer to move the damaged file aside.`);
        },
        (error: unknown) => logger.info('the background check of the database did not run', { error }),
      );
    }, BACKGROUND_CHECK_AFTER_MS);
  };

  const tryOpen = () => {
    try {
      const deferCheck = fs.existsSync(file) && !checksAtOpen(file);
      const db = openDatabase(file, { migrations: MIGRATIONS });
      open = { db, audit: createAuditLog(db, clock, actor, appended), installationId: ensureInstallationId(db) };
      problem = null;
      if (deferCheck) checkLater();
    } catch (error) {
      if (!(error instanceof DatabaseOpenError)) throw error;
      problem = error.problem;
      logger.error('database could not be opened', { code: error.problem.code, file });
    }
  };
  tryOpen();

  const require = (): OpenData => {
    if (open) return open;
    throw new AppError('DB_UNAVAILABLE', problem?.message ?? 'The local database is not open.');
  };

  return {
    file,
    problem: () => problem,
    require,
    transaction(fn) {
      const data = require();
      return data.db.transaction(() => fn(data))();
    },
    moveAside() {
      if (!problem) throw new AppError('NOTHING_TO_RECOVER', 'The local database is fine; there is nothing to move aside.');
      if (!problem.canMoveAside) throw new AppError(problem.code, problem.message);
      const movedTo = moveDatabaseAside(file, clock.now());
      tryOpen();
      return movedTo;
    },
    close() {
      cancelCheck?.();
      open?.db.close();
      open = null;
    },
  };
}

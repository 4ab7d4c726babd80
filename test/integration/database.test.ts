import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/core/kernel/db/migrations';
import { latestVersion, migrate, schemaVersion } from '../../electron/core/kernel/db/migrate';
import { scrubDeleted } from '../../electron/core/kernel/db/scrub';
import { MARKER, filesContaining } from '../support/expiry';
import { CHECK_AT_OPEN_BYTES, checkInBackground, damagedMark } from '../../electron/core/kernel/db/check';
import { openLocalData } from '../../electron/core/kernel/db/local-data';
import { DatabaseOpenError, checksAtOpen, moveDatabaseAside, openDatabase } from '../../electron/core/kernel/db/open';
import { ManualClock, recordingLogger } from '../support/ports';
import { tempDir } from '../support/tmp';

function openError(file: string): DatabaseOpenError {
  try {
    openDatabase(file, { migrations: MIGRATIONS }).close();
  } catch (error) {
    if (error instanceof DatabaseOpenError) return error;
    throw error;
  }
  throw new Error('expected the database to be refused');
}

async function until(test: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !test(); ) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function tables(db: Database.Database): string[] {
  return db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((row) => row.name);
}

describe('the local database', () => {
  it('is created fresh with every migration, WAL, full sync and foreign keys, readable only by the user', () => {
    const file = path.join(tempDir(), 'nested', 'companion.db');
    const db = openDatabase(file, { migrations: MIGRATIONS });
    expect(schemaVersion(db)).toBe(latestVersion(MIGRATIONS));
    expect(tables(db)).toEqual(expect.arrayContaining(['audit', 'app_state']));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  it('numbers its migrations 1, 2, 3… with no gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
  });

  for (let from = 1; from < MIGRATIONS.length; from += 1) {
    it(`upgrades a database at schema ${from} to ${MIGRATIONS.length} and keeps its rows`, () => {
      const file = path.join(tempDir(), 'companion.db');
      const old = new Database(file);
      migrate(old, MIGRATIONS.slice(0, from));
      old.prepare(
        "INSERT INTO audit (ts, type, actor, details, prev_hash, hash) VALUES ('2026-01-01T00:00:00.000Z', 'app.started', 'local', '{}', ?, ?)",
      ).run('0'.repeat(64), 'a'.repeat(64));
      old.close();

      const db = openDatabase(file, { migrations: MIGRATIONS });
      expect(schemaVersion(db)).toBe(MIGRATIONS.length);
      expect(db.prepare('SELECT COUNT(*) AS n FROM audit').get()).toEqual({ n: 1 });
      db.close();
    });
  }

  it('leaves a half-applied upgrade out entirely when a migration fails', () => {
    const file = path.join(tempDir(), 'companion.db');
    const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE ok_table (x); THIS IS NOT SQL;' }];
    expect(() => openDatabase(file, { migrations: broken })).toThrow(DatabaseOpenError);
    const db = new Database(file);
    expect(schemaVersion(db)).toBe(0);
    expect(tables(db)).toEqual([]);
    db.close();
  });

  it('refuses a database from a newer app with a clear error and changes nothing', () => {
    const file = path.join(tempDir(), 'companion.db');
    const newer = new Database(file);
    newer.exec('CREATE TABLE future (x)');
    newer.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    newer.close();
    const before = fs.readFileSync(file);

    const error = openError(file);
    expect(error.problem.code).toBe('DB_TOO_NEW');
    expect(error.problem.canMoveAside).toBe(false);
    expect(error.message).toContain('newer version');
    expect(error.message).toContain(`schema ${MIGRATIONS.length + 5}`);
    expect(error.message).toContain(file);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('reports a file that is not a database as damaged, names it, and leaves it as it was', () => {
    const file = path.join(tempDir(), 'companion.db');
    const garbage = Buffer.from('this is a spreadsheet, not a database '.repeat(200));
    fs.writeFileSync(file, garbage);

    const error = openError(file);
    expect(error.problem).toMatchObject({ code: 'DB_CORRUPT', canMoveAside: true, file });
    expect(error.message).toContain(file);
    expect(error.message).toContain('moved aside');
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
  });

  it('reports a database with damaged pages as damaged', () => {
    const file = damagedDatabase();
    expect(openError(file).problem.code).toBe('DB_CORRUPT');
  });

  it('checks a database too large to check at open on a worker thread after start; damage found there is told, marked, and refused at the next open', async () => {
    const file = damagedDatabase();
    // Grown past the open-time limit the way a year of work grows it; SQLite reads only the pages its header counts.
    fs.truncateSync(file, CHECK_AT_OPEN_BYTES + 4096);
    expect(checksAtOpen(file)).toBe(false);
    const clock = new ManualClock();
    const told: string[] = [];
    const data = openLocalData(file, clock, () => 'local', recordingLogger(), (words) => told.push(words));
    // Opened at once, without reading every page.
    expect(data.problem()).toBeNull();
    clock.advance(60_000);
    await until(() => told.length > 0);
    expect(told[0]).toMatch(/^The local database .*companion\.db is damaged \(.+\)\. Quit and start the app again: it will offer to move the damaged file aside\.$/);
    expect(fs.existsSync(damagedMark(file))).toBe(true);
    data.close();

    expect(checksAtOpen(file)).toBe(true);
    expect(openError(file).problem).toMatchObject({ code: 'DB_CORRUPT', canMoveAside: true });
    moveDatabaseAside(file, new Date('2026-11-22T10:00:00Z'));
    expect(fs.existsSync(damagedMark(file))).toBe(false);
  });

  it('finds an intact database intact on the worker thread', async () => {
    const file = path.join(tempDir(), 'companion.db');
    openDatabase(file, { migrations: MIGRATIONS }).close();
    expect(await checkInBackground(file)).toBe('ok');
  });

  function damagedDatabase(): string {
    const file = path.join(tempDir(), 'companion.db');
    const db = openDatabase(file, { migrations: MIGRATIONS });
    const insert = db.prepare(
      "INSERT INTO audit (ts, type, actor, details, prev_hash, hash) VALUES ('2026-01-01T00:00:00.000Z', 'app.started', 'local', ?, ?, ?)",
    );
    for (let i = 0; i < 400; i += 1) insert.run(`{"n":${i},"pad":"${'p'.repeat(200)}"}`, '0'.repeat(64), i.toString(16).padStart(64, '0'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Scribble over the middle of the file, past the header, as a failing disk would.
    const bytes = fs.readFileSync(file);
    bytes.fill(0xa5, 8192, 8192 + 4096 * 3);
    fs.writeFileSync(file, bytes);
    return file;
  }

  it('moves a damaged database and its WAL aside under a dated name, so a fresh one can start', () => {
    const dir = tempDir();
    const file = path.join(dir, 'companion.db');
    fs.writeFileSync(file, 'garbage');
    fs.writeFileSync(`${file}-wal`, 'wal garbage');

    const movedTo = moveDatabaseAside(file, new Date('2026-11-22T10:00:00.000Z'));
    expect(movedTo).toBe(`${file}.damaged-2026-11-22T10-00-00-000Z`);
    expect(fs.readFileSync(movedTo, 'utf8')).toBe('garbage');
    expect(fs.readFileSync(`${movedTo}-wal`, 'utf8')).toBe('wal garbage');
    expect(fs.existsSync(file)).toBe(false);
    openDatabase(file, { migrations: MIGRATIONS }).close();
  });

  it('scrubs a database an older version wrote, whose deleted rows were never zeroed, once', async () => {
    const file = path.join(tempDir(), 'companion.db');
    // As an older app left it: rows deleted without secure_delete, their text still in a free page.
    const old = openDatabase(file, { migrations: MIGRATIONS });
    old.prepare("DELETE FROM app_state WHERE key = 'secure_delete_since'").run();
    old.pragma('secure_delete = OFF');
    old.prepare('INSERT INTO app_state (key, value) VALUES (?, ?)').run('left-behind', `${MARKER} ${'x'.repeat(5000)}`);
    old.prepare("DELETE FROM app_state WHERE key = 'left-behind'").run();
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
    expect(filesContaining(path.dirname(file), MARKER)).toEqual(['companion.db']);

    const db = openDatabase(file, { migrations: MIGRATIONS });
    expect(scrubDeleted(db, () => new Date().toISOString())).toEqual({ vacuumed: true, checkpointed: true });
    expect(filesContaining(path.dirname(file), MARKER)).toEqual([]);
    // Once: from now on every delete is zeroed as it happens.
    expect(scrubDeleted(db, () => new Date().toISOString())).toEqual({ vacuumed: false, checkpointed: true });
    db.close();
    // A database this version creates is marked clean from the start.
    const made = openDatabase(path.join(tempDir(), 'made.db'), { migrations: MIGRATIONS });
    expect(scrubDeleted(made, () => new Date().toISOString()).vacuumed).toBe(false);
    made.close();
  });
});

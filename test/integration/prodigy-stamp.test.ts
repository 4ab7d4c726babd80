import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { databaseStamp } from '../../electron/core/services/prodigy/progress';
import { tempDir } from '../support/tmp';

describe('the stamp remembered answer counts are kept at', () => {
  it('holds when reading the database leaves an empty write-ahead log, and moves when Prodigy writes', () => {
    const home = tempDir();
    const file = path.join(home, 'prodigy.db');
    const prodigy = new Database(file);
    prodigy.pragma('journal_mode = WAL');
    prodigy.exec('CREATE TABLE example (id INTEGER PRIMARY KEY, content TEXT)');
    prodigy.prepare('INSERT INTO example (content) VALUES (?)').run('{"answer":"accept"}');
    prodigy.pragma('wal_checkpoint(TRUNCATE)');
    prodigy.close();
    fs.rmSync(`${file}-wal`, { force: true });
    const before = databaseStamp(home);

    // A read-only look, as the app counts answers: SQLite leaves an empty log and its index behind.
    const reader = new Database(file, { readonly: true });
    reader.prepare('SELECT COUNT(*) FROM example').get();
    reader.close();
    expect(fs.existsSync(`${file}-wal`) && fs.statSync(`${file}-wal`).size).toBe(0);
    expect(databaseStamp(home)).toBe(before);

    // A copy that keeps the files' times (a backup restored, a folder moved) keeps the stamp: times to the millisecond.
    const copy = tempDir();
    fs.cpSync(home, copy, { recursive: true, preserveTimestamps: true });
    expect(databaseStamp(copy)).toBe(before);

    const writer = new Database(file);
    writer.prepare('INSERT INTO example (content) VALUES (?)').run('{"answer":"reject"}');
    expect(databaseStamp(home)).not.toBe(before);
    writer.close();
  });
});

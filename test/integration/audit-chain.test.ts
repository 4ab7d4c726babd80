import path from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createAuditLog, type AuditLog } from '../../electron/core/audit/audit-log';
import { GENESIS_HASH, rowHash, type ChainedFields } from '../../electron/core/audit/chain';
import { MIGRATIONS } from '../../electron/core/db/migrations';
import { openDatabase } from '../../electron/core/db/open';
import { ManualClock } from '../support/ports';
import { tempDir } from '../support/tmp';

function setup(entries = 6): { db: Database.Database; log: AuditLog; clock: ManualClock } {
  const db = openDatabase(path.join(tempDir(), 'companion.db'), { migrations: MIGRATIONS });
  const clock = new ManualClock();
  const log = createAuditLog(db, clock, () => 'user:ana');
  for (let i = 1; i <= entries; i += 1) {
    clock.advance(1000);
    log.append({ type: 'settings.changed', assignmentId: i % 2 ? 'asg-1' : 'asg-2', details: { key: 'syncConcurrency', to: i } });
  }
  return { db, log, clock };
}

describe('the audit log', () => {
  it('chains each entry to the one before it, from a fixed genesis', () => {
    const { log, db } = setup(3);
    const { entries } = log.list({ limit: 10 });
    const [third, second, first] = entries;
    expect(first?.prevHash).toBe(GENESIS_HASH);
    expect(second?.prevHash).toBe(first?.hash);
    expect(third?.prevHash).toBe(second?.hash);
    expect(log.verify()).toMatchObject({ ok: true, checked: 3, firstBad: null });
    db.close();
  });

  it('writes nothing when the change it records is rolled back', () => {
    const { log, db } = setup(2);
    expect(() =>
      db.transaction(() => {
        log.append({ type: 'settings.changed', details: { key: 'server' } });
        throw new Error('the change failed');
      })(),
    ).toThrow('the change failed');
    expect(log.list({ limit: 10 }).entries).toHaveLength(2);
    log.append({ type: 'settings.changed', details: { key: 'tenant' } });
    expect(log.verify().ok).toBe(true);
    db.close();
  });

  it('detects an edited entry and names it', () => {
    const { db, log } = setup();
    db.prepare("UPDATE audit SET details = '{\"key\":\"syncConcurrency\",\"to\":99}' WHERE id = 4").run();
    expect(log.verify()).toMatchObject({ ok: false, checked: 3, firstBad: { id: 4, reason: 'Entry 4 was changed after it was written.' } });
    db.close();
  });

  it('detects an edited time or actor, not only details', () => {
    const { db, log } = setup();
    db.prepare("UPDATE audit SET actor = 'user:mallory' WHERE id = 2").run();
    expect(log.verify().firstBad?.id).toBe(2);
    db.prepare("UPDATE audit SET actor = 'user:ana' WHERE id = 2").run();
    expect(log.verify().ok).toBe(true);
    db.prepare("UPDATE audit SET ts = '2020-01-01T00:00:00.000Z' WHERE id = 5").run();
    expect(log.verify().firstBad?.id).toBe(5);
    db.close();
  });

  it('detects an entry edited together with a correctly recomputed hash, at the entry after it', () => {
    const { db, log } = setup();
    // A careful forger rewrites entry 3 and recomputes its hash; entry 4 still links to the old one.
    const row = db
      .prepare<[], ChainedFields>('SELECT id, ts, type, actor, assignment_id, file_id, prev_hash FROM audit WHERE id = 3')
      .get() as ChainedFields;
    const details = { key: 'syncConcurrency', to: 32 };
    const forged = rowHash({ ...row, details });
    db.prepare('UPDATE audit SET details = ?, hash = ? WHERE id = 3').run(JSON.stringify(details), forged);
    expect(log.verify()).toMatchObject({ ok: false, checked: 3, firstBad: { id: 4, reason: 'Entry 4 does not link to the entry before it.' } });
    db.close();
  });

  it('detects a deleted entry in the middle and names the entry after the gap', () => {
    const { db, log } = setup();
    db.prepare('DELETE FROM audit WHERE id = 3').run();
    expect(log.verify()).toMatchObject({ ok: false, checked: 2, firstBad: { id: 4, reason: 'Entry 3 is missing before entry 4.' } });
    db.close();
  });

  it('detects re-ordered entries', () => {
    const { db, log } = setup();
    // Swap the contents of entries 2 and 5, keeping the ids in place.
    db.transaction(() => {
      db.prepare('UPDATE audit SET id = -2 WHERE id = 2').run();
      db.prepare('UPDATE audit SET id = 2 WHERE id = 5').run();
      db.prepare('UPDATE audit SET id = 5 WHERE id = -2').run();
    })();
    const result = log.verify();
    expect(result.ok).toBe(false);
    expect(result.firstBad?.id).toBe(2);
    db.close();
  });

  it('detects a deleted newest entry once the next entry is written', () => {
    const { db, log } = setup();
    db.prepare('DELETE FROM audit WHERE id = 6').run();
    log.append({ type: 'app.started', details: {} });
    expect(log.verify()).toMatchObject({ ok: false, firstBad: { id: 7, reason: 'Entry 6 is missing before entry 7.' } });
    db.close();
  });

  it('filters by type, assignment and time, newest first, a page at a time', () => {
    const { db, log, clock } = setup();
    clock.advance(1000);
    log.append({ type: 'app.started', details: { version: '0.1.0' } });
    expect(log.list({ limit: 10, type: 'app.started' }).entries.map((e) => e.id)).toEqual([7]);
    expect(log.list({ limit: 10, assignmentId: 'asg-2' }).entries.map((e) => e.id)).toEqual([6, 4, 2]);
    expect(
      log.list({ limit: 10, from: '2026-11-22T09:00:02.000Z', to: '2026-11-22T09:00:04.000Z' }).entries.map((e) => e.id),
    ).toEqual([4, 3, 2]);
    const first = log.list({ limit: 4 });
    expect(first.entries.map((e) => e.id)).toEqual([7, 6, 5, 4]);
    expect(first.nextBeforeId).toBe(4);
    const second = log.list({ limit: 4, beforeId: first.nextBeforeId ?? undefined });
    expect(second.entries.map((e) => e.id)).toEqual([3, 2, 1]);
    expect(second.nextBeforeId).toBeNull();
    expect(log.facets()).toEqual({ types: ['app.started', 'settings.changed'], assignments: ['asg-1', 'asg-2'] });
    db.close();
  });
});

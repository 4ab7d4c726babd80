import path from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createAuditLog, type AuditLog } from '../../electron/core/kernel/audit/audit-log';
import { GENESIS_HASH } from '../../electron/core/kernel/audit/chain';
import { auditFacets } from '../../electron/core/audit/timeline';
import { verifyAudit } from '../../electron/core/kernel/audit/verify';
import { MIGRATIONS } from '../../electron/core/kernel/db/migrations';
import { openDatabase } from '../../electron/core/kernel/db/open';
import { ManualClock } from '../support/ports';
import { tempDir } from '../support/tmp';

function setup(entries = 6): { db: Database.Database; log: AuditLog; clock: ManualClock; verify: () => ReturnType<typeof verifyAudit> } {
  const db = openDatabase(path.join(tempDir(), 'companion.db'), { migrations: MIGRATIONS });
  const clock = new ManualClock();
  const log = createAuditLog(db, clock, () => 'user:ana');
  for (let i = 1; i <= entries; i += 1) {
    clock.advance(1000);
    log.append({ type: 'settings.changed', assignmentId: i % 2 ? 'asg-1' : 'asg-2', details: { key: 'syncConcurrency', to: i } });
  }
  return { db, log, clock, verify: () => verifyAudit(db, clock.now().toISOString()) };
}

describe('the audit log', () => {
  it('chains each entry to the one before it, from a fixed genesis', () => {
    const { log, db, verify } = setup(3);
    const { entries } = log.list({ limit: 10 });
    const [third, second, first] = entries;
    expect(first?.prevHash).toBe(GENESIS_HASH);
    expect(second?.prevHash).toBe(first?.hash);
    expect(third?.prevHash).toBe(second?.hash);
    expect(verify()).toMatchObject({ ok: true, checked: 3, firstBad: null });
    db.close();
  });

  it('writes nothing when the change it records is rolled back', () => {
    const { log, db, verify } = setup(2);
    expect(() =>
      db.transaction(() => {
        log.append({ type: 'settings.changed', details: { key: 'server' } });
        throw new Error('the change failed');
      })(),
    ).toThrow('the change failed');
    expect(log.list({ limit: 10 }).entries).toHaveLength(2);
    log.append({ type: 'settings.changed', details: { key: 'tenant' } });
    expect(verify().ok).toBe(true);
    db.close();
  });

  it('detects an edited time or actor, not only details', () => {
    const { db, verify } = setup();
    db.prepare("UPDATE audit SET actor = 'user:mallory' WHERE id = 2").run();
    expect(verify().firstBad?.id).toBe(2);
    db.prepare("UPDATE audit SET actor = 'user:ana' WHERE id = 2").run();
    expect(verify().ok).toBe(true);
    db.prepare("UPDATE audit SET ts = '2020-01-01T00:00:00.000Z' WHERE id = 5").run();
    expect(verify().firstBad?.id).toBe(5);
    db.close();
  });

  it('detects a deleted newest entry once the next entry is written', () => {
    const { db, log, verify } = setup();
    db.prepare('DELETE FROM audit WHERE id = 6').run();
    log.append({ type: 'app.started', details: {} });
    expect(verify()).toMatchObject({ ok: false, firstBad: { id: 6, problem: 'deleted', reason: 'Entry 6 was deleted from before entry 7.' } });
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
    // Assignments this computer has no row for (never synced here) are offered by id.
    expect(auditFacets(db)).toEqual({ types: ['app.started', 'settings.changed'], remoteTypes: [], assignments: [{ id: 'asg-1', name: null }, { id: 'asg-2', name: null }] });
    db.close();
  });
});

import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { TimelinePage } from '../../shared/api/schemas/audit';
import { createAuditLog } from '../../electron/core/kernel/audit/audit-log';
import { rowHash, type AuditRow } from '../../electron/core/kernel/audit/chain';
import { auditTimeline } from '../../electron/core/audit/timeline';
import { verifyAudit } from '../../electron/core/kernel/audit/verify';
import { MIGRATIONS } from '../../electron/core/kernel/db/migrations';
import { openDatabase } from '../../electron/core/kernel/db/open';
import { DATABASE_NAME } from '../../electron/core/companion';
import { startCompanion } from '../support/companion';
import { acknowledgedLog } from '../support/audit-flow';
import { ManualClock } from '../support/ports';
import { tempDir } from '../support/tmp';

const AT = '2026-11-22T09:00:00.000Z';
const TYPES = ['app.started', 'auth.signed_in', 'file.downloaded', 'sync.completed', 'session.started', 'session.stopped'] as const;

/** Six entries, one a second, each of another type, so a break's time and type show which row it names. */
function localLog() {
  const db = openDatabase(path.join(tempDir(), DATABASE_NAME), { migrations: MIGRATIONS });
  const clock = new ManualClock(AT);
  const log = createAuditLog(db, clock, () => 'user:u-ana');
  for (const type of TYPES) {
    clock.advance(1000);
    log.append({ type, assignmentId: 'asg-1', details: { type } });
  }
  const row = (id: number) => db.prepare<[number], AuditRow>('SELECT * FROM audit WHERE id = ?').get(id) as AuditRow;
  return { db, row, verify: () => verifyAudit(db, AT) };
}

/** The forger's way: rewrite one row's details, then recompute every hash from it on, so the chain links again. */
function rewriteChainFrom(db: Database.Database, id: number, details: Record<string, unknown>): void {
  const rows = db.prepare<[number], AuditRow>('SELECT * FROM audit WHERE id >= ? ORDER BY id').all(id);
  let prev = db.prepare<[number], { hash: string }>('SELECT hash FROM audit WHERE id = ?').get(id - 1)?.hash ?? '0'.repeat(64);
  db.transaction(() => {
    for (const { hash: _old, ...row } of rows) {
      const content = row.id === id ? details : (JSON.parse(row.details) as unknown);
      const hash = rowHash({ ...row, details: content, prev_hash: prev });
      db.prepare('UPDATE audit SET details = ?, prev_hash = ?, hash = ? WHERE id = ?').run(JSON.stringify(content), prev, hash, row.id);
      prev = hash;
    }
  })();
}

describe('tampering with the local audit log is found, and the first bad row named', () => {
  it('an edited row', () => {
    const { db, row, verify } = localLog();
    db.prepare(`UPDATE audit SET details = '{"type":"nothing happened"}' WHERE id = 4`).run();
    expect(verify()).toMatchObject({ ok: false, checked: 3, firstBad: { id: 4, ts: row(4).ts, type: 'sync.completed', problem: 'edited' } });
  });

  it('a row made unreadable, which the timeline still lists as it is', () => {
    const { db, verify } = localLog();
    db.prepare(`UPDATE audit SET details = '{"type": broken', type = 'no.such.type' WHERE id = 2`).run();
    expect(verify().firstBad).toMatchObject({ id: 2, type: 'no.such.type', problem: 'edited' });
    const listed = auditTimeline(db, { limit: 10 }).entries.find((entry) => entry.id === 2);
    expect(listed).toMatchObject({ type: 'no.such.type', details: { unreadable: '{"type": broken' } });
    expect(TimelinePage.safeParse(auditTimeline(db, { limit: 10 })).success).toBe(true);
  });

  it('a row rewritten with its own hash recomputed, at that row rather than the next', () => {
    const { db, row, verify } = localLog();
    const { hash: _old, ...fields } = row(3);
    db.prepare(`UPDATE audit SET details = '{"type":"forged"}', hash = ? WHERE id = 3`).run(rowHash({ ...fields, details: { type: 'forged' } }));
    expect(verify().firstBad).toMatchObject({ id: 3, type: 'file.downloaded', problem: 'edited', reason: 'Entry 3 was rewritten and its hash recomputed; entry 4 still links to the original.' });
  });

  it('a deleted row', () => {
    const { db, verify } = localLog();
    db.prepare('DELETE FROM audit WHERE id = 3').run();
    expect(verify()).toMatchObject({ ok: false, checked: 2, firstBad: { id: 3, ts: null, type: null, problem: 'deleted', reason: 'Entry 3 was deleted from before entry 4.' } });
  });

  it('two rows swapped', () => {
    const { db, row, verify } = localLog();
    const [second, fifth] = [row(2), row(5)];
    const put = db.prepare('UPDATE audit SET ts = ?, type = ?, details = ?, prev_hash = ?, hash = ? WHERE id = ?');
    db.transaction(() => {
      // The unique hash column needs a free value while the two trade places.
      db.prepare("UPDATE audit SET hash = 'swapping' WHERE id = 2").run();
      put.run(second.ts, second.type, second.details, second.prev_hash, second.hash, 5);
      put.run(fifth.ts, fifth.type, fifth.details, fifth.prev_hash, fifth.hash, 2);
    })();
    expect(verify()).toMatchObject({ ok: false, checked: 1, firstBad: { id: 2, ts: fifth.ts, type: 'session.started', problem: 'reordered', reason: 'Entry 2 holds what was written as entry 5: entries were moved.' } });
  });

  it('the newest rows cut off the end', () => {
    const { db, verify } = localLog();
    db.prepare('DELETE FROM audit WHERE id >= 5').run();
    expect(verify()).toMatchObject({ ok: false, checked: 4, firstBad: { id: 5, ts: null, type: null, problem: 'truncated', reason: 'Entries 5–6 were cut off the end of the log.' } });
  });

  it('an intact log passes', () => {
    expect(localLog().verify()).toMatchObject({ ok: true, checked: 6, acknowledged: 0, prunedThrough: 0, firstBad: null });
  });
});

describe('tampering that rewrites the whole chain is still found against File 360’s acknowledgements', () => {
  /** A log File 360 has acknowledged, with the app closed. */
  async function uploadedLog() {
    const { app, dataDir, db, acked } = await acknowledgedLog();
    await app.companion.close();
    return { dataDir, db, acked };
  }

  /** The app again, offline: the check at start is what finds it. */
  async function restart(dataDir: string) {
    const app = await startCompanion(dataDir);
    const check = (await app.call('audit.chain')).lastCheck;
    return { app, check };
  }

  it('an uploaded row edited, with every hash after it recomputed so the chain links', async () => {
    const { dataDir, db } = await uploadedLog();
    const target = db.prepare<[], AuditRow>("SELECT * FROM audit WHERE type = 'file.downloaded' ORDER BY id LIMIT 1").get() as AuditRow;
    rewriteChainFrom(db, target.id, { ...(JSON.parse(target.details) as object), path: 'tickets/harmless.txt' });
    db.close();

    const { app, check } = await restart(dataDir);
    expect(check).toMatchObject({
      ok: false,
      checked: target.id - 1,
      firstBad: { id: target.id, ts: target.ts, type: 'file.downloaded', problem: 'differs-from-file360' },
    });
    // Recorded, and announced, since nobody may be looking at the Audit view.
    const [recorded] = (await app.call('audit.list', { type: 'audit.verify_failed' })).entries;
    expect(recorded?.details).toMatchObject({ trigger: 'start', firstBad: { id: target.id, problem: 'differs-from-file360' } });
    expect(app.ports.notifier.shown).toEqual([expect.objectContaining({ title: 'The audit log failed its integrity check', route: { section: 'audit' } })]);
  });

  it('uploaded rows cut off the end together with the id sequence', async () => {
    const { dataDir, db, acked } = await uploadedLog();
    const keep = acked - 3;
    db.prepare('DELETE FROM audit WHERE id > ?').run(keep);
    db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit'").run(keep);
    db.close();

    const { check } = await restart(dataDir);
    expect(check).toMatchObject({ ok: false, firstBad: { id: keep + 1, problem: 'truncated', reason: `Entries from ${keep + 1} on were cut off the end of the log after File 360 acknowledged them.` } });
  });
});

import path from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createAuditLog, type AuditLog } from '../../electron/core/kernel/audit/audit-log';
import { FULL_CHECK_EVERY_MS } from '../../electron/core/kernel/db/integrity';
import { ChainCheck, readCheckpoint, verifyAudit, writeCheckpoint } from '../../electron/core/kernel/audit/verify';
import { DATABASE_NAME } from '../../electron/core/companion';
import { MIGRATIONS } from '../../electron/core/kernel/db/migrations';
import { openDatabase } from '../../electron/core/kernel/db/open';
import { startCompanion } from '../support/companion';
import { watchStatements } from '../support/statements';
import { ManualClock } from '../support/ports';
import { tempDir } from '../support/tmp';

/**
 * Issue 17: the check at start must cost what changed since the last passing
 * check, not the whole chain (about 6.5 µs a row: a year's million rows is 6.5
 * s before the window is usable). The rows read are counted at the database,
 * apart from the checker's own bookkeeping: every row any statement returns
 * from the audit table.
 */
function counting(db: Database.Database): { db: Database.Database; rows: () => number } {
  let rows = 0;
  const counted = watchStatements(db, (call) => {
    if (/\bFROM audit\b(?!_)/.test(call.sql)) rows += call.rows;
  });
  return { db: counted, rows: () => rows };
}

function log(entries: number): { db: Database.Database; audit: AuditLog; clock: ManualClock; append: (n: number) => void } {
  const db = openDatabase(path.join(tempDir(), DATABASE_NAME), { migrations: MIGRATIONS });
  const clock = new ManualClock();
  const audit = createAuditLog(db, clock, () => 'user:u-ana');
  const append = (n: number) =>
    db.transaction(() => {
      for (let i = 0; i < n; i += 1) {
        clock.advance(10);
        audit.append({ type: 'file.downloaded', assignmentId: 'asg-1', fileId: `fil-${i}`, details: { path: `docs/${i}.txt`, size: i } });
      }
    })();
  append(entries);
  return { db, audit, clock, append };
}

/** What the check at start does, on a counted connection; the checkpoint it leaves is stored as the app stores it. */
function checkAtStart(db: Database.Database, at: string) {
  const counted = counting(db);
  const check = ChainCheck.begin(counted.db, 'since-last-check', at);
  const result = check.finish();
  writeCheckpoint(db, check.checkpoint());
  return { result, rowsRead: counted.rows() };
}

describe('checking the audit chain at start', () => {
  it('walks the whole chain once, then only what was added since the last passing check', () => {
    const { db, append } = log(20_000);
    const first = checkAtStart(db, '2026-11-22T10:00:00.000Z');
    // No checkpoint yet (a new or upgraded database): the whole chain.
    expect(first.result).toMatchObject({ ok: true, scope: 'full', from: 0, checked: 20_000 });
    expect(first.rowsRead).toBeGreaterThanOrEqual(20_000);

    append(25);
    const second = checkAtStart(db, '2026-11-22T11:00:00.000Z');
    expect(second.result).toMatchObject({ ok: true, scope: 'since-last-check', from: 20_000, checked: 25, lastFullAt: '2026-11-22T10:00:00.000Z' });
    // Where the chain ends (one MAX), the checkpoint row (still the row that was checked?) and the 25 new ones: nothing else.
    expect(second.rowsRead).toBe(27);

    const third = checkAtStart(db, '2026-11-22T12:00:00.000Z');
    expect(third.result).toMatchObject({ ok: true, scope: 'since-last-check', from: 20_025, checked: 0 });
    expect(third.rowsRead).toBe(2);
  });

  it('an edit before the checkpoint is the full check’s to find; once found, every later check walks it all again until it is gone', () => {
    const { db, append } = log(3000);
    checkAtStart(db, '2026-11-22T10:00:00.000Z');
    db.prepare(`UPDATE audit SET details = '{"path":"docs/harmless.txt","size":0}' WHERE id = 100`).run();
    append(5);
    // Invisible to the check at start, which never reads row 100 again…
    expect(checkAtStart(db, '2026-11-22T11:00:00.000Z').result).toMatchObject({ ok: true, checked: 5 });
    // …but the full check (on demand, and weekly) finds it and names it.
    const full = ChainCheck.begin(db, 'full', '2026-11-22T12:00:00.000Z');
    expect(full.finish()).toMatchObject({ ok: false, scope: 'full', firstBad: { id: 100, problem: 'edited' } });
    writeCheckpoint(db, full.checkpoint());
    expect(readCheckpoint(db)?.ok).toBe(false);
    const next = checkAtStart(db, '2026-11-22T13:00:00.000Z');
    expect(next.result).toMatchObject({ ok: false, scope: 'full', firstBad: { id: 100 } });
  });

  it('a checkpoint row that was changed or deleted sends the check back to the start of the chain, to name the first bad row', () => {
    const { db, append } = log(500);
    checkAtStart(db, '2026-11-22T10:00:00.000Z');
    append(3);
    db.prepare('DELETE FROM audit WHERE id = 500').run();
    const { result, rowsRead } = checkAtStart(db, '2026-11-22T11:00:00.000Z');
    expect(result).toMatchObject({ ok: false, scope: 'full', checked: 499, firstBad: { id: 500, problem: 'deleted' } });
    expect(rowsRead).toBeGreaterThan(500);
    expect(verifyAudit(db, '2026-11-22T11:00:00.000Z').firstBad).toEqual(result.firstBad);
  });
});

describe('the audit checks of a running app', () => {
  it('checks only the new entries at each start, and the whole chain on demand and every week', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock();
    const first = await startCompanion(dataDir, { ports: { clock } });
    expect((await first.call('audit.chain')).lastCheck).toMatchObject({ ok: true, scope: 'full', from: 0, lastFullAt: clock.now().toISOString() });
    await first.call('settings.update', { values: { syncIntervalMinutes: 45 } });
    await first.companion.close();

    // The first run's check found the log empty; this one walks what that run added after it: its
    // audit.verified, app.started, keychain and settings entries.
    const again = await startCompanion(dataDir, { ports: { clock } });
    expect((await again.call('audit.chain')).lastCheck).toMatchObject({ ok: true, scope: 'since-last-check', from: 0, checked: 4 });
    await again.companion.close();

    const second = await startCompanion(dataDir, { ports: { clock } });
    const atStart = (await second.call('audit.chain')).lastCheck;
    // From where the last check stopped, entry 4: its own entry and the app.started and keychain ones after it.
    expect(atStart).toMatchObject({ ok: true, scope: 'since-last-check', from: 4, checked: 3 });
    // What a reviewer is told is the whole chain that checks have found intact (through entry 7, and 8, the
    // check's own record), not the 3 this one walked; this run's app.started and so on are still to check.
    const { lastCheck: _check, ...chain } = await second.call('audit.chain');
    expect(chain).toMatchObject({ checkedThrough: 8, checkedAt: atStart?.verifiedAt, lastFullAt: atStart?.lastFullAt, acknowledged: 0, prunedThrough: 0 });
    expect(chain.entries).toBe(chain.checkedThrough + chain.unchecked);
    expect(chain.unchecked).toBeGreaterThan(0);

    const onDemand = await second.call('audit.verify');
    expect(onDemand).toMatchObject({ ok: true, scope: 'full', from: 0 });
    expect(onDemand.checked).toBeGreaterThan(atStart?.checked ?? 0);

    // A week on, the app checks the whole chain by itself, and records that it did.
    clock.advance(FULL_CHECK_EVERY_MS + 60_000);
    const weekly = async () => (await second.call('audit.list', { type: 'audit.verified', limit: 10 })).entries.find((entry) => entry.details.trigger === 'schedule');
    for (let tries = 0; !(await weekly()) && tries < 200; tries += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await weekly())?.details).toMatchObject({ trigger: 'schedule', scope: 'full', from: 0 });
  });
});

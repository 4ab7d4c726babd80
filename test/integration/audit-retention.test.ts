import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_NAME, SETTINGS_NAME } from '../../electron/core/companion';
import { startCompanion } from '../support/companion';
import { acknowledgedLog } from '../support/audit-flow';
import { ManualClock } from '../support/ports';

const DAY = 86_400_000;

/**
 * A log File 360 has acknowledged up to the last sync, then one entry it
 * never got (the sign-out), and two notifications from that time: one shown,
 * one still held for the end of quiet hours.
 */
async function oldLog() {
  const { app, dataDir, db, acked } = await acknowledgedLog();
  await app.call('auth.signOut');
  await app.companion.close();
  const notify = db.prepare(
    `INSERT INTO notifications (server, tenant, user_id, source, type, title, summary, created, received_ms, delivery)
     VALUES ('s', 't', 'u-ana', 'app', 'dataset.ready', ?, '', '2026-11-22T09:00:00.000Z', ?, ?)`,
  );
  const then = Date.parse('2026-11-22T09:00:00.000Z');
  notify.run('old and shown', then, 'shown');
  notify.run('old and held', then, 'held');
  db.close();
  return { dataDir, acked };
}

const titles = (dataDir: string) => {
  const db = new Database(path.join(dataDir, DATABASE_NAME), { readonly: true });
  const rows = db.prepare<[], { title: string }>("SELECT title FROM notifications WHERE title LIKE 'old%' ORDER BY title").all();
  db.close();
  return rows.map((row) => row.title);
};

describe('retention of the audit log and notifications', () => {
  it('removes only what File 360 acknowledged and is older than the setting, and the log stays verifiable from the last removed row', async () => {
    const { dataDir, acked } = await oldLog();
    const after = (days: number) => new ManualClock(new Date(Date.parse('2026-11-22T09:00:00.000Z') + days * DAY).toISOString());

    // Acknowledged, but younger than the default year: kept.
    const soon = await startCompanion(dataDir, { ports: { clock: after(100) } });
    expect((await soon.call('audit.list', { limit: 500 })).entries.at(-1)?.id).toBe(1);
    await soon.companion.close();
    const later = after(400);

    // 0 keeps everything, however old.
    fs.writeFileSync(path.join(dataDir, SETTINGS_NAME), JSON.stringify({ auditRetentionDays: 0 }));
    const keeping = await startCompanion(dataDir, { ports: { clock: later } });
    expect((await keeping.call('audit.list', { limit: 500 })).entries.at(-1)?.id).toBe(1);
    expect(titles(dataDir)).toEqual(['old and held', 'old and shown']);

    // A year: the change applies at once, and is itself audited.
    await keeping.call('settings.update', { values: { auditRetentionDays: 365 } });
    const entries = (await keeping.call('audit.list', { limit: 500 })).entries;
    expect(entries.at(-1)).toMatchObject({ id: acked + 1, type: 'auth.signed_out' });
    const [pruned] = entries.filter((entry) => entry.type === 'audit.pruned');
    expect(pruned?.details).toMatchObject({ days: 365, entries: acked, prunedThrough: acked, notifications: 1, olderThan: '2026-12-27T09:00:00.000Z' });
    expect(titles(dataDir)).toEqual(['old and held']);

    expect(await keeping.call('audit.verify')).toMatchObject({ ok: true, prunedThrough: acked, checked: entries.length, firstBad: null });
    await keeping.companion.close();

    // The next start finds the pruned log intact, and has nothing more to remove.
    const again = await startCompanion(dataDir, { ports: { clock: later } });
    expect((await again.call('audit.chain')).lastCheck).toMatchObject({ ok: true, prunedThrough: acked });
    expect((await again.call('audit.list', { type: 'audit.pruned' })).entries).toHaveLength(1);

    // The anchor is checked against File 360's acknowledgement, so moving it to hide more rows shows.
    const db = new Database(path.join(dataDir, DATABASE_NAME));
    db.prepare("UPDATE app_state SET value = json_set(value, '$.hash', ?) WHERE key = 'audit_pruned_through'").run('f'.repeat(64));
    db.close();
    expect((await again.call('audit.verify')).firstBad).toMatchObject({ id: acked, problem: 'differs-from-file360' });
  });
});

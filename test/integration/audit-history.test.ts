import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { TimelineCursor, TimelineEntry } from '../../shared/api/schemas/audit';
import { DATABASE_NAME } from '../../electron/core/companion';
import type { Started } from '../support/companion';
import { idle, signedInApp, until } from '../support/file360-app';
import { api, sandbox, signIn } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

const TRIAGE = 'asg-support-triage';

/** Sam's app (another computer) reporting `count` events about Ana's assignment, in batches as the app sends them. */
async function otherComputerReports(sb: Awaited<ReturnType<typeof sandbox>>, token: string, from: number, count: number): Promise<void> {
  for (let start = from; start < from + count; start += 1000) {
    const events = Array.from({ length: Math.min(1000, from + count - start) }, (_, i) => ({
      id: `laptop-of-sam:${start + i}`,
      event_type: 'review.claimed',
      audit_date: new Date(Date.UTC(2026, 10, 22, 10, 0, 0, start + i)).toISOString(),
      user_id: 'u-sam',
      assignment_id: TRIAGE,
      details: { n: start + i },
      hash: 'f'.repeat(64),
      prev_hash: null,
    }));
    const { status } = await api(sb, token, '/file360/v1/audit/events', { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `batch-${start}` }, body: JSON.stringify({ events }) });
    expect(status).toBe(202);
  }
}

async function everyPage(app: Started, limit: number): Promise<TimelineEntry[]> {
  const all: TimelineEntry[] = [];
  let before: TimelineCursor | undefined;
  do {
    const page = await app.call('audit.timeline', { limit, before });
    all.push(...page.entries);
    before = page.next ?? undefined;
  } while (before);
  return all;
}

describe('File 360’s audit history beside the local chain', () => {
  it('is fetched a page at a time when the Audit view asks, resumes after the last entry per assignment, and leaves out this computer’s own uploads', async () => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'ana');
    const ana = await signedInApp(sb, dataDir);
    await idle(ana);
    const sam = await signIn(sb, 'sam');
    await otherComputerReports(sb, sam.access_token, 0, 2500);

    // File 360 gives at most 1 000 a page: three pages, each stored with the cursor after it.
    expect(await ana.call('audit.fetchHistory')).toEqual({ added: expect.any(Number) });
    const db = new Database(path.join(dataDir, DATABASE_NAME), { readonly: true });
    const stored = () => Promise.resolve(db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM audit_remote WHERE event_type = 'review.claimed'").get()?.n);
    await until(stored, (n) => n === 2500, 15_000);
    expect(await ana.call('audit.facets')).toMatchObject({ remoteTypes: expect.arrayContaining([{ type: 'review.claimed', name: 'Review claimed' }, { type: 'download', name: 'Fetch' }]) });
    // The cursor may stop on one of this computer's own uploads (not stored, but read past), or on File 360's own entry.
    expect(db.prepare<[], { assignment_id: string; after_id: string }>('SELECT assignment_id, after_id FROM audit_remote_cursor ORDER BY assignment_id').all()).toEqual([
      { assignment_id: 'asg-release-notes', after_id: expect.stringMatching(/^(evt-|[0-9a-f-]{36}:\d+$)/) },
      { assignment_id: TRIAGE, after_id: expect.any(String) },
    ]);
    // Ana's own uploads come back from File 360 too, but her chain already holds them.
    const { installationId } = (await ana.call('audit.list', { type: 'app.started' })).entries[0]?.details as { installationId: string };
    expect(db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM audit_remote WHERE remote_id LIKE ?').get(`${installationId}:%`)?.n).toBe(0);

    // The next time the view opens, only what is new is fetched.
    await otherComputerReports(sb, sam.access_token, 2500, 10);
    expect(await ana.call('audit.fetchHistory')).toEqual({ added: 10 });
    await until(stored, (n) => n === 2510, 15_000);
    db.close();

    // Both sources merged, newest first, paged by cursor without a gap or a repeat.
    const merged = await everyPage(ana, 97);
    const keys = merged.map((entry) => `${entry.source}:${entry.key}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(merged.length).toBe((await ana.call('audit.list', { limit: 500 })).entries.length + 2510 + 17);
    const times = merged.map((entry) => entry.ts);
    expect(times).toEqual([...times].sort().reverse());
    expect(merged.filter((entry) => entry.source === 'local').every((entry) => entry.hash !== null && entry.id !== null)).toBe(true);
  });

  it('reads the history again from the start when File 360 no longer knows the cursor, without storing anything twice', async () => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'ana');
    const ana = await signedInApp(sb, dataDir);
    await idle(ana);
    const sam = await signIn(sb, 'sam');
    await otherComputerReports(sb, sam.access_token, 0, 5);
    await ana.call('audit.fetchHistory');
    const db = new Database(path.join(dataDir, DATABASE_NAME));
    const stored = () => Promise.resolve(db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM audit_remote WHERE event_type = 'review.claimed'").get()?.n);
    await until(stored, (n) => n === 5, 15_000);

    // The cursor now names an entry File 360 never had (as after a restore of its history): it answers 400.
    db.prepare("UPDATE audit_remote_cursor SET after_id = 'evt-gone' WHERE assignment_id = ?").run(TRIAGE);
    await otherComputerReports(sb, sam.access_token, 5, 3);
    await ana.call('audit.fetchHistory');
    await until(stored, (n) => n === 8, 15_000);
    const cursor = db.prepare<[string], { after_id: string }>('SELECT after_id FROM audit_remote_cursor WHERE assignment_id = ?').get(TRIAGE)?.after_id;
    expect(cursor).not.toBe('evt-gone');
    db.close();
  });
});

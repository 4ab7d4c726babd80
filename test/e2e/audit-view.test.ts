import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_NAME } from '../../electron/core/companion';
import { systemClock } from '../../electron/core/kernel/ports';
import { startHostServer } from '../../electron/host/server';
import { RENDERER_DIR, screenshot, useChromium, watchForErrors } from '../support/chromium';
import { startCompanion, type Started } from '../support/companion';
import { reviewLoop } from '../support/audit-flow';
import { idle, signedInApp } from '../support/file360-app';
import { PRODIGY_ENV } from '../support/prodigy';
import { recordingLogger } from '../support/ports';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

const chromium = useChromium();

/** The Audit view of a running core, in Chromium through the browser shell; closed when `use` is done. */
async function auditPage(ctx: { skip(note: string): never }, app: Started, use: (page: import('playwright-core').Page) => Promise<void>): Promise<string[]> {
  const server = await startHostServer({ router: app.companion.router, events: app.companion.events, rendererDir: RENDERER_DIR, logger: recordingLogger() });
  const context = await chromium(ctx).newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  try {
    await page.goto(server.url);
    await page.getByRole('link', { name: 'Audit', exact: true }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await use(page);
  } finally {
    await context.close();
    await server.close();
  }
  return errors;
}

describe('the Audit view, as a compliance reviewer sees it', () => {
  it('shows this computer’s chain and File 360’s history merged, filters them, verifies, and shows a break by its first bad row', async (ctx) => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'ana');
    const ana = await signedInApp(sb, dataDir, { env: PRODIGY_ENV, ports: { clock: systemClock } });
    await idle(ana);
    await reviewLoop(sb, ana, { ports: { clock: systemClock } });

    const intact = await auditPage(ctx, ana, async (page) => {
      // Where the chain stands, from the check made at start on, without walking the log again: every entry
      // the log holds (not the 0 that check walked), and the batches File 360 has acknowledged since.
      const banner = page.getByTestId('audit-verification');
      const newest = async () => (await ana.call('audit.list', { limit: 1 })).entries[0]?.id ?? 0;
      const db = new Database(path.join(dataDir, DATABASE_NAME), { readonly: true });
      const acknowledged = () => Promise.resolve(db.prepare<[], { n: number | null }>('SELECT SUM(count) AS n FROM audit_acks').get()?.n ?? 0);
      const atStart = await ana.call('audit.chain');
      await expect.poll(async () => (await banner.textContent()) ?? '').toMatch(/^Chain intact: \d+ entr(y|ies) checked at [^;]*; [1-9]\d* newer entr(y is|ies are) checked at the next start or when you verify\. File 360 has acknowledged [\d,]+ of the [\d,]+\.$/);
      expect(atStart.lastCheck).toMatchObject({ scope: 'full' });
      const counted = async () => (await banner.textContent())?.match(/^Chain intact: (\d+) entr(?:y|ies) checked.*?(?:; (\d+) newer).*File 360 has acknowledged ([\d,]+) of the ([\d,]+)\./)?.slice(1).map((n) => Number(n?.replace(/,/g, '') ?? 0));
      await expect.poll(async () => [(await counted())?.[3], (await counted())?.[2]]).toEqual([await newest(), await acknowledged()]);

      // An entry written while the view is open shows at once, in the banner and the list, in words.
      await ana.call('settings.update', { values: { quietHours: '22:00-07:00' } });
      await ana.call('settings.update', { values: { quietHours: null } });
      await expect.poll(async () => (await counted())?.[3]).toBe(await newest());
      const rows = page.getByTestId('audit-row');
      await expect.poll(() => rows.filter({ hasText: 'Quiet hours turned off' }).count()).toBe(1);
      expect(await rows.filter({ hasText: 'Quiet hours set to 22:00-07:00' }).count()).toBe(1);
      db.close();

      // People, assignments and files by name; their ids on hover.
      await expect.poll(() => rows.filter({ hasText: 'Escalation decided' }).count()).toBe(1);
      const decided = rows.filter({ hasText: 'Escalation decided' });
      expect(await decided.textContent()).toMatch(/File 360.*Escalation decided.*Sam Okafor.*Support tickets: intent triage \(batch 7\).*Corrected/);
      expect(await decided.getByTestId('audit-by').getAttribute('title')).toBe('user:u-sam');
      const applied = rows.filter({ hasText: 'Review decision put into Prodigy' });
      expect(await applied.textContent()).toMatch(/This computer.*Ana Ruiz.*Support tickets: intent triage \(batch 7\).*Dataset: support_intents_batch7_reviewed · Corrected/);
      expect(await applied.getByTitle('asg-support-triage').count()).toBe(1);
      expect(await rows.filter({ hasText: 'Item escalated' }).first().textContent()).toMatch(/Item escalated.*Ana Ruiz.*Flagged$/);
      const shown = await page.locator('.audit-table tbody').textContent();
      for (const developerData of ['user:', 'asg-support-triage', 'esc-', 'reasons:', 'key:', 'outbox:', 'escalation:']) expect(shown).not.toContain(developerData);

      // Verify again: the whole log walked, on request.
      await page.getByRole('button', { name: 'Verify log' }).click();
      await expect.poll(async () => (await banner.textContent()) ?? '').toMatch(/^Chain intact: \d+ entries checked at [^;]*\. File 360 has acknowledged/);
      await expect.poll(() => rows.filter({ hasText: /Whole log checked on request: \d+ entries intact, \d+ acknowledged by File 360/ }).count()).toBe(1);
      await page.mouse.move(0, 0);
      await screenshot(page, 'audit-view');

      // File 360's side only, then one of its event types: its names for them, in their own group.
      await page.getByLabel('Recorded by').selectOption('file360');
      await expect.poll(async () => (await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-source')))).every((source) => source === 'file360')).toBe(true);
      // Ana's downloads of both her assignments (14 and 3 files), as File 360 served them.
      await page.getByLabel('Event').selectOption({ label: 'Fetch' });
      await expect.poll(() => rows.count()).toBe(17);
      // File 360's "Fetch" names the file it served by its path here, not its id.
      expect(await rows.first().getByTitle(/^fil-/).textContent()).toMatch(/\.(jsonl|txt|json|csv)$/);
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await page.getByLabel('Event').selectOption({ label: 'File opened in Prodigy' });
      await expect.poll(() => rows.count()).toBe(14);
      expect(await rows.first().textContent()).toMatch(/This computer.*File opened in Prodigy.*Ana Ruiz.*Support tickets: intent triage \(batch 7\)tasks\/.*Opened as: tasks/);
    });
    expect(intact).toEqual([]);

    // Someone edits a downloaded file's record. The check at start walks only what came after the last
    // check (issue 17), so it is the full check, on demand (or the weekly one), that finds it.
    await ana.companion.close();
    const db = new Database(path.join(dataDir, DATABASE_NAME));
    const forged = db.prepare<[], { id: number }>("SELECT id FROM audit WHERE type = 'file.downloaded' ORDER BY id LIMIT 1").get()?.id ?? 0;
    db.prepare('UPDATE audit SET details = json_set(details, \'$.path\', \'tickets/nothing-to-see.txt\') WHERE id = ?').run(forged);
    db.close();
    const again = await startCompanion(dataDir, { argv: ['--server', sb.url, '--tenant', sb.tenant], ports: { clock: systemClock } });
    const broken = await auditPage(ctx, again, async (page) => {
      await expect.poll(() => page.getByTestId('audit-verification').textContent()).toMatch(/^Chain intact: \d+ entries checked at .*\. The whole log was last checked /);
      await page.mouse.move(0, 0);
      await screenshot(page, 'audit-view-since-last-check');
      await page.getByRole('button', { name: 'Verify log' }).click();
      const banner = page.getByRole('alert').filter({ hasText: 'The log is broken' });
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(new RegExp(`The log is broken at entry #${forged} \\(File downloaded, .*\\)\\. Entry ${forged} was changed after it was written\\.`));
      // The check's own entry says so too, in words.
      await expect.poll(() => page.getByTestId('audit-row').filter({ hasText: 'Audit log checked: broken' }).first().textContent()).toMatch(new RegExp(`Whole log checked on request: \\d+ entries intact.*; broken at entry #${forged}$`));
      await page.mouse.move(0, 0);
      await screenshot(page, 'audit-view-broken');
    });
    expect(broken).toEqual([]);
  });
});

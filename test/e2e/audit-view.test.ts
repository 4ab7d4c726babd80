import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_NAME } from '../../electron/core/companion';
import { systemClock } from '../../electron/core/ports';
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
      // The check made at start is shown without walking the log again.
      const banner = page.getByTestId('audit-verification');
      await expect.poll(() => banner.textContent()).toMatch(/^Chain intact: \d+ entries checked at .*; File 360 has acknowledged none of them yet\.$/);
      const rows = page.getByTestId('audit-row');
      await expect.poll(() => rows.filter({ hasText: 'Escalation decided' }).count()).toBe(1);
      expect(await rows.filter({ hasText: 'Escalation decided' }).textContent()).toMatch(/File 360.*Escalation decided.*user:u-sam.*asg-support-triage/);
      expect(await rows.filter({ hasText: 'Review decision put into Prodigy' }).textContent()).toMatch(/This computer.*user:u-ana.*support_intents_batch7_reviewed/);

      // Verify again: by now File 360 has acknowledged batches, and each still matches.
      await page.getByRole('button', { name: 'Verify log' }).click();
      await expect.poll(() => banner.textContent()).toMatch(/; [1-9]\d* uploaded entries match what File 360 acknowledged\./);
      await page.mouse.move(0, 0);
      await screenshot(page, 'audit-view');

      // File 360's side only, then one of its event types: its names for them, in their own group.
      await page.getByLabel('Recorded by').selectOption('file360');
      await expect.poll(async () => (await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-source')))).every((source) => source === 'file360')).toBe(true);
      // Ana's downloads of both her assignments (14 and 3 files), as File 360 served them.
      await page.getByLabel('Event').selectOption({ label: 'Fetch' });
      await expect.poll(() => rows.count()).toBe(17);
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await page.getByLabel('Event').selectOption({ label: 'File opened in Prodigy' });
      await expect.poll(() => rows.count()).toBe(14);
      expect(await rows.first().textContent()).toMatch(/This computer.*File opened in Prodigy.*fil-/);
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
      await expect.poll(() => page.getByTestId('audit-verification').textContent()).toMatch(/^Chain intact: \d+ new entr(y|ies) \(after #\d+\) checked at .*\. The whole log was last checked /);
      await page.mouse.move(0, 0);
      await screenshot(page, 'audit-view-since-last-check');
      await page.getByRole('button', { name: 'Verify log' }).click();
      const banner = page.getByRole('alert').filter({ hasText: 'The log is broken' });
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(new RegExp(`The log is broken at entry #${forged} \\(File downloaded, .*\\)\\. Entry ${forged} was changed after it was written\\.`));
      await page.mouse.move(0, 0);
      await screenshot(page, 'audit-view-broken');
    });
    expect(broken).toEqual([]);
  });
});

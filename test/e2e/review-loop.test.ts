import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readExamples } from '../../electron/core/services/disputes/read';
import { dbOut } from '../../electron/core/services/prodigy/cli';
import { systemClock } from '../../electron/core/kernel/ports';
import { createProdigyProxy } from '../../electron/host/prodigy-proxy';
import { startHostServer } from '../../electron/host/server';
import type { File360Sandbox } from '../../sandbox/file360';
import { RENDERER_DIR, screenshot, useChromium, watchForErrors } from '../support/chromium';
import { FAST, idle, signedInApp, until } from '../support/file360-app';
import { PRODIGY_ENV } from '../support/prodigy';
import { recordingLogger } from '../support/ports';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';
import { prodigyHome } from '../../electron/core/services/prodigy/home';

const chromium = useChromium();
const TRIAGE = 'asg-support-triage';
const ASSIGNMENT_NAME = 'Support tickets: intent triage (batch 7)';
const tuning = { ...FAST, outbox: { backoff: { initialMs: 20, maxMs: 200, maxOfflineMs: 200 } } };

/** One person's app, served by the browser shell to its own browser context, as each would run it on their laptop. */
async function appInBrowser(sb: File360Sandbox, browser: ReturnType<typeof chromium>, username: 'ana' | 'sam') {
  const logger = recordingLogger();
  const viewer = createProdigyProxy(logger);
  const dataDir = path.join(tempDir(), username);
  const app = await signedInApp(sb, dataDir, { env: PRODIGY_ENV, tuning, username, ports: { clock: systemClock, viewer } });
  const server = await startHostServer({ router: app.companion.router, events: app.companion.events, rendererDir: RENDERER_DIR, logger });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await page.goto(server.url);
  // Each opens on their own work: Ana annotates, Sam only reviews.
  await page.getByRole('heading', { name: username === 'sam' ? 'Reviews' : 'Assignments', exact: true, level: 1 }).waitFor();
  return {
    app,
    dataDir,
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      await server.close();
      viewer.closeAll();
    },
  };
}

describe('the whole review loop, two people, two apps, one File 360', () => {
  it('Ana flags an item in Prodigy, Sam corrects it in Reviews, and Ana’s Prodigy gets the corrected label with its review', { timeout: 90_000 }, async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox();
    const ana = await appInBrowser(sb, browser, 'ana');
    await idle(ana.app);
    const sam = await appInBrowser(sb, browser, 'sam');
    try {
      // Ana: start annotating, and in the Prodigy page pick an option, flag it and accept.
      await ana.page.keyboard.press('Control+2');
      const card = ana.page.getByRole('article', { name: ASSIGNMENT_NAME });
      const tab = ana.context.waitForEvent('page');
      await card.getByRole('button', { name: 'Start annotating' }).click();
      const prodigy = await tab;
      const prodigyErrors = watchForErrors(prodigy);
      await prodigy.getByTestId('task-text').waitFor();
      const flaggedText = await prodigy.getByTestId('task-text').textContent();
      await prodigy.getByRole('group', { name: 'Options' }).getByRole('button', { name: 'account_access' }).click();
      await prodigy.getByRole('button', { name: 'Flag' }).click();
      await prodigy.getByRole('button', { name: 'Accept' }).click();
      await expect.poll(() => prodigy.getByTestId('progress').textContent()).toMatch(/^1 of 16/);
      expect(prodigyErrors).toEqual([]);

      // Stopping the session exports the answers; the flagged item goes to File 360 as an escalation.
      await card.getByRole('button', { name: 'Stop' }).click();
      const [escalation] = await until(() => Promise.resolve(sb.admin.escalations()), (list) => list.length === 1, 20_000);
      expect(escalation).toMatchObject({ reason: 'flagged', priority: 'high', state: 'open' });
      expect((escalation?.item.task as { text?: string }).text).toBe(flaggedText);

      // Sam: the item is in Reviews; he opens it (claiming it) and corrects it to billing.
      await sam.page.keyboard.press('Control+4');
      const row = sam.page.getByTestId('review-row').filter({ hasText: 'Flagged' });
      await row.waitFor({ timeout: 10_000 });
      expect(await row.textContent()).toContain(ASSIGNMENT_NAME);
      await row.getByRole('link').click();
      await sam.page.getByRole('heading', { name: 'Flagged item' }).waitFor();
      await sam.page.getByRole('radio', { name: 'Correct' }).check();
      const options = sam.page.getByRole('group', { name: 'Options' });
      await options.getByRole('button', { name: 'account_access' }).click();
      await options.getByRole('button', { name: 'billing' }).click();
      await sam.page.getByLabel('Comment for the annotator').fill('A renewal after cancelling is billing.');
      await sam.page.getByRole('button', { name: 'Send correction' }).click();
      await expect.poll(() => sam.page.getByTestId('review-outcome-state').textContent(), { timeout: 10_000 }).toMatch(/^Sent to File 360/);
      // His confirmation says what changed, not only that it was corrected.
      expect(await sam.page.getByTestId('review-outcome').getByTestId('decision-change').textContent()).toBe('account_access → billing');

      // Ana: the next sync brings the decision back and puts it into Prodigy.
      await ana.page.keyboard.press('Control+1');
      await ana.page.getByRole('link', { name: ASSIGNMENT_NAME }).click();
      await ana.page.getByRole('button', { name: 'Sync', exact: true }).click();
      const decided = ana.page.getByText('In Prodigy, in the dataset');
      await decided.waitFor({ timeout: 20_000 });
      expect(await ana.page.getByText(/Corrected\s+by Sam Okafor/).count()).toBe(1);
      expect(await ana.page.getByTestId('decision').getByTestId('decision-change').textContent()).toBe('account_access → billing');
      // One notification for the decision (File 360's), with the correction's icon rather than the approval's check.
      const told = await until(() => ana.app.call('notifications.list', {}), (page) => page.items.some((n) => n.type === 'decision.made'), 10_000);
      expect(told.items.filter((n) => n.type === 'decision.made')).toEqual([expect.objectContaining({ title: 'Your item was corrected', outcome: 'corrected' })]);
      await ana.page.keyboard.press('Control+5');
      const decisionRow = ana.page.getByTestId('notification').filter({ hasText: 'Your item was corrected' });
      await decisionRow.first().waitFor();
      expect(await decisionRow.count()).toBe(1);
      expect(await decisionRow.locator('.nf-icon').getAttribute('class')).toContain('nf-icon-relabel');
      // Opening it goes to the assignment at that decision: in view, with the focus on it. On a short
      // window the decision is below the fold, so it is seen only if the page scrolls to it.
      await ana.page.setViewportSize({ width: 1280, height: 560 });
      // Her window is the one in front (a page behind another does not animate its scrolling).
      await ana.page.bringToFront();
      await decisionRow.locator('.nf-open').click();
      await ana.page.waitForURL(new RegExp(`#/assignments/${TRIAGE}/decision/${escalation?.id ?? 'none'}$`));
      await ana.page.getByText('In Prodigy, in the dataset').waitFor();
      await expect.poll(() => ana.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('decision');
      expect(await ana.page.evaluate(() => document.activeElement?.textContent)).toContain('Corrected by Sam Okafor');
      await expect
        .poll(async () => {
          const box = await ana.page.getByTestId('decision').boundingBox();
          return box !== null && box.y >= 0 && box.y + box.height <= 560;
        })
        .toBe(true);
      expect(await ana.page.evaluate(() => document.getElementById('main')?.scrollTop ?? 0)).toBeGreaterThan(0);
      await screenshot(ana.page, 'review-loop-annotator');
      await ana.page.setViewportSize({ width: 1280, height: 860 });
      // Ana reviews nothing: Reviews is not among her sections.
      expect(await ana.page.locator('nav a[data-section="reviews"]').count()).toBe(0);

      const out = path.join(tempDir(), 'reviewed.jsonl');
      expect(await dbOut({ command: 'python3 -m prodigy', home: prodigyHome(ana.dataDir, TRIAGE), env: PRODIGY_ENV }, 'support_intents_batch7_reviewed', out)).toBe(true);
      const reviewed = await readExamples(out);
      expect(reviewed).toHaveLength(1);
      expect(reviewed[0]).toMatchObject({ text: flaggedText, accept: ['billing'], answer: 'accept' });
      expect((reviewed[0]?.meta as { review?: unknown }).review).toMatchObject({
        outcome: 'corrected',
        reviewer: 'Sam Okafor',
        escalation_id: escalation?.id,
        comment: 'A renewal after cancelling is billing.',
      });
      expect(ana.errors).toEqual([]);
      expect(sam.errors).toEqual([]);
    } finally {
      await ana.close();
      await sam.close();
    }
  });
});

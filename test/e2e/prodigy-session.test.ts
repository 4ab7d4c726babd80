import { describe, expect, it } from 'vitest';
import { screenshot, useChromium, watchForErrors } from '../support/chromium';
import { sandbox } from '../support/sandbox-file360';
import { servedApp } from '../support/served-app';

const chromium = useChromium();

describe('annotating in Prodigy, from the Sessions view', () => {
  it('starts a session, annotates three items in the Prodigy page, and sees the progress bar move', async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox();
    const { server, context, page, errors, close } = await servedApp(sb, browser);
    try {
      await page.goto(server.url);
      await page.getByRole('heading', { name: 'Assignments', exact: true }).waitFor();
      await page.keyboard.press('Control+2');
      const card = page.getByRole('article', { name: 'Support tickets: intent triage (batch 7)' });
      await card.getByRole('button', { name: 'Start annotating' }).waitFor();

      const tab = context.waitForEvent('page');
      await card.getByRole('button', { name: 'Start annotating' }).click();
      const prodigy = await tab;
      const prodigyErrors = watchForErrors(prodigy);
      // Prodigy takes seconds to start (more on a busy machine).
      await expect.poll(() => card.getByTestId('session-state').textContent(), { timeout: 30_000 }).toBe('Running');
      // The tab opened during the click (so no popup blocker stops it) and was pointed at the session once it was ready.
      await prodigy.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/\?session=u-ana$/);

      // Three items, as a person would: pick a label and accept; flag and reject; ignore.
      await prodigy.getByTestId('task-text').waitFor();
      await prodigy.getByRole('group', { name: 'Options' }).getByRole('button', { name: 'billing' }).click();
      await prodigy.getByRole('button', { name: 'Accept' }).click();
      await expect.poll(() => prodigy.getByTestId('progress').textContent()).toMatch(/^1 of 16/);
      await prodigy.getByRole('button', { name: 'Flag' }).click();
      await prodigy.getByRole('button', { name: 'Reject' }).click();
      await expect.poll(() => prodigy.getByTestId('progress').textContent()).toMatch(/^2 of 16/);
      await prodigy.keyboard.press('Space');
      await expect.poll(() => prodigy.getByTestId('progress').textContent()).toMatch(/^3 of 16/);
      await screenshot(prodigy, 'prodigy-page');

      await expect.poll(() => card.getByTestId('session-counts').textContent(), { timeout: 10_000 }).toContain('3 of 16 annotated');
      expect(await card.getByTestId('session-counts').textContent()).toContain('1 accepted · 1 rejected · 1 skipped · 1 flagged');
      expect(Number(await card.getByRole('progressbar').getAttribute('aria-valuenow'))).toBeGreaterThan(0);
      await card.getByText('Prodigy’s output').click();
      await card.getByTestId('session-log').getByText('Starting the web server. Click Open to annotate.').waitFor();
      // Prodigy's banner is for a terminal: no internal address to open by hand, no emoji that renders as a box (issue 16, item 10).
      expect(await card.getByTestId('session-log').textContent()).not.toMatch(/Open the app in your browser|✨|http:\/\/127\.0\.0\.1/);
      await screenshot(page, 'sessions');

      await card.getByRole('button', { name: 'Stop' }).click();
      await expect.poll(() => card.getByTestId('session-state').textContent()).toBe('Stopped');
      // The main action goes on from where the person stopped, here and on the assignment's own page (issue 16, item 7).
      await card.getByRole('button', { name: 'Continue (3 of 16)' }).waitFor();
      expect(errors).toEqual([]);
      expect(prodigyErrors).toEqual([]);

      // The tab left open says the session stopped, in words, when used and when reloaded (issue 16, item 1).
      const stopped = 'The Prodigy session for “Support tickets: intent triage (batch 7)” has stopped, and the answers it saved are kept. To go on, click Continue on its page in Annotator Companion (or under Sessions)';
      await prodigy.getByRole('button', { name: 'Accept' }).click();
      await prodigy.getByText(stopped).waitFor();
      expect(await prodigy.getByText('Failed to fetch').count()).toBe(0);
      await prodigy.reload();
      await prodigy.getByRole('heading', { name: 'This session has stopped' }).waitFor();
      expect(await prodigy.locator('main p').textContent()).toContain(stopped);
      await screenshot(prodigy, 'prodigy-stopped');

      await page.bringToFront();
      await page.keyboard.press('Control+1');
      await page.getByRole('link', { name: 'Support tickets: intent triage (batch 7)' }).click();
      const resumeTab = context.waitForEvent('page');
      await page.getByRole('button', { name: 'Continue (3 of 16)' }).click();
      const resumed = await resumeTab;
      await resumed.getByTestId('task-text').waitFor();
      await expect.poll(() => resumed.getByTestId('progress').textContent()).toMatch(/^3 of 16/);
      await page.getByRole('button', { name: 'Stop' }).waitFor();
      await screenshot(page, 'assignment-continue');
      await resumed.close();
    } finally {
      await close();
    }
  });
});

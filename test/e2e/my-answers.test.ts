import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dbIn } from '../../electron/core/services/prodigy/cli';
import { startHostServer } from '../../electron/host/server';
import { RENDERER_DIR, screenshot, useChromium, watchForErrors } from '../support/chromium';
import { FAST, idle, signedInApp } from '../support/file360-app';
import { PRODIGY_ENV } from '../support/prodigy';
import { datasetExamples } from '../support/prodigy-standin';
import { recordingLogger } from '../support/ports';
import { sandbox } from '../support/sandbox-file360';
import { servedApp } from '../support/served-app';
import { tempDir } from '../support/tmp';
import { prodigyHome } from '../../electron/core/services/prodigy/home';

const chromium = useChromium();
const TRIAGE = 'Support tickets: intent triage (batch 7)';
const DATASET = 'support_intents_batch7';

async function bothThemes(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // Colour transitions (buttons, the sidebar) would otherwise be caught half-way.
    await page.waitForTimeout(250);
    await screenshot(page, `${name}-${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('an annotator’s own progress, answers and guidelines', () => {
  it('reads the guidelines beside the work, annotates in Prodigy, sees the progress move in the list, and browses and searches their answers', { timeout: 90_000 }, async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox();
    const { app, dataDir, server, context, page, errors, close } = await servedApp(sb, browser, { width: 1280, height: 900 });
    try {
      await page.goto(server.url);
      const row = page.getByTestId('assignment-row').filter({ hasText: TRIAGE });
      await expect.poll(() => row.getByTestId('assignment-progress').textContent()).toBe('Not started');

      // The guidelines, from the synced guidelines.md, as headings, a list and bold label names; no markup shown.
      await row.getByRole('link', { name: TRIAGE }).click();
      const guidelines = page.getByTestId('guidelines');
      await guidelines.getByRole('heading', { name: 'Support ticket triage: annotation guidelines', level: 3 }).waitFor();
      expect(await guidelines.getByRole('listitem').count()).toBe(5);
      expect(await guidelines.locator('li strong').first().textContent()).toBe('billing');
      expect(await guidelines.getByTestId('guidelines-body').textContent()).not.toMatch(/\*\*|^#/);
      expect(await page.getByTestId('assignment-answered').textContent()).toBe('Not started · My answers');
      await guidelines.scrollIntoViewIfNeeded();
      await bothThemes(page, 'assignment-guidelines');

      // Three answers in Prodigy's page, as a person gives them.
      const tab = context.waitForEvent('page');
      await page.getByRole('button', { name: 'Start annotating' }).click();
      const prodigy = await tab;
      await prodigy.getByTestId('task-text').waitFor();
      const firstText = (await prodigy.getByTestId('task-text').textContent()) ?? '';
      await prodigy.getByRole('group', { name: 'Options' }).getByRole('button', { name: 'billing' }).click();
      await prodigy.getByRole('button', { name: 'Accept' }).click();
      await expect.poll(() => prodigy.getByTestId('progress').textContent()).toMatch(/^1 of 16/);
      await prodigy.getByRole('button', { name: 'Flag' }).click();
      await prodigy.getByRole('button', { name: 'Reject' }).click();
      await expect.poll(() => prodigy.getByTestId('progress').textContent()).toMatch(/^2 of 16/);

      // The list, open while the work goes on, follows the session's events.
      await page.bringToFront();
      await page.getByRole('link', { name: '← All assignments' }).click();
      await expect.poll(() => row.getByTestId('assignment-progress').textContent(), { timeout: 10_000 }).toBe('You: 2 of 16In all: only your answers so far');
      await prodigy.getByRole('button', { name: 'Ignore' }).click();
      await expect.poll(() => row.getByTestId('assignment-progress').textContent(), { timeout: 10_000 }).toBe('You: 3 of 16In all: only your answers so far');
      await page.getByRole('button', { name: 'Sync all' }).waitFor();
      await prodigy.close();
      await app.call('sessions.stop', { assignmentId: 'asg-support-triage' });

      // A colleague's answers to the same items, imported into this computer's Prodigy: counted in all, not as mine.
      const home = prodigyHome(dataDir, 'asg-support-triage');
      const ben = datasetExamples(home, `${DATASET}-u-ana`).map((example) => ({ ...example, answer: 'accept', accept: ['other'], _session_id: `${DATASET}-u-ben`, _annotator_id: `${DATASET}-u-ben` }));
      const file = path.join(tempDir(), 'ben.jsonl');
      fs.writeFileSync(file, ben.map((example) => JSON.stringify(example)).join('\n'));
      await dbIn({ command: 'python3 -m prodigy', home, env: PRODIGY_ENV }, DATASET, file);
      await page.reload();
      await expect.poll(() => row.getByTestId('assignment-progress').textContent()).toBe('You: 3 of 16In all: 3 of 16 by 2 annotators');
      expect(await page.getByTestId('in-all-note').textContent()).toContain('counts the answers this computer’s Prodigy database holds');
      await bothThemes(page, 'assignments-progress');

      // My answers: newest first, in words, with when.
      await row.getByRole('link', { name: /^You: 3 of 16/ }).click();
      await page.getByRole('heading', { name: 'My answers', level: 1 }).waitFor();
      const rows = page.getByTestId('answer-row');
      await expect.poll(() => rows.count()).toBe(3);
      expect(await page.getByTestId('answers-count').textContent()).toBe('1–3 of 3 answers');
      const meta = await rows.locator('.answer-meta').allTextContents();
      expect(meta[0]).toMatch(/^Skipped(just now|\d+ seconds? ago)/);
      expect(meta[1]).toMatch(/^RejectedFlagged/);
      expect(meta[2]).toMatch(/^Acceptedbilling/);
      expect(await rows.nth(2).locator('.answer-text').textContent()).toBe(firstText.trim());
      expect(await page.getByTestId('answers-revisit').textContent()).toContain('Prodigy cannot open one answered item again');
      expect(await page.getByTestId('answers-progress').textContent()).toBe('You: 3 of 16 · In all: 3 of 16 by 2 annotators');
      await bothThemes(page, 'my-answers');

      // Searching by a label and by words of the text; filtering by answer; nothing found in words.
      await page.getByLabel('Search').fill('billing');
      await expect.poll(() => rows.count()).toBe(1);
      expect(await page.getByTestId('answers-count').textContent()).toBe('1–1 of 1 matching answer');
      await page.getByLabel('Search').fill(firstText.trim().split(/\s+/).slice(0, 3).join(' ').toUpperCase());
      await expect.poll(() => rows.first().locator('.answer-text').textContent()).toBe(firstText.trim());
      await page.getByLabel('Search').fill('');
      await page.getByLabel('Show').selectOption({ label: 'Flagged' });
      // The search before also found one answer, so the count alone cannot tell the new list has come.
      await expect.poll(() => rows.first().locator('.answer-meta').textContent()).toMatch(/^RejectedFlagged/);
      expect(await page.getByTestId('answers-count').textContent()).toBe('1–1 of 1 matching answer');
      await page.getByLabel('Search').fill('no such words');
      await expect.poll(() => page.getByTestId('answers-none').textContent()).toBe('No answer matches “no such words” among flagged answers.');
      await screenshot(page, 'my-answers-none');

      // The closest thing to reopening an item: asking a reviewer about it, with the item already chosen.
      await page.getByLabel('Search').fill('');
      await page.getByLabel('Show').selectOption({ label: 'Every answer' });
      await expect.poll(() => rows.count()).toBe(3);
      await rows.nth(2).getByRole('button', { name: 'Ask a reviewer…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Ask a reviewer' });
      await dialog.waitFor();
      await expect.poll(() => dialog.locator('input[name="ask-item"]:checked').count()).toBe(1);
      expect(await dialog.locator('.candidate.chosen .candidate-text').textContent()).toBe(firstText.trim());
      // The picker lists this person's own answers, not the colleague's imported ones ("other").
      expect(await dialog.locator('.candidate.chosen .candidate-answer').textContent()).toBe('Accepted · billing');
      expect(await dialog.locator('.candidate-answer').allTextContents()).toEqual(['Skipped', 'Rejected', 'Accepted · billing']);
      await dialog.getByLabel('Your question').fill('Is a double charge “billing” even when the card was declined?');
      await screenshot(page, 'my-answers-ask');
      await dialog.getByRole('button', { name: 'Send' }).click();
      await page.getByText('Your question is queued for the reviewers').waitFor();
      const questions = (await app.call('escalations.list', { assignmentId: 'asg-support-triage' })).filter((e) => e.reason === 'question');
      expect(questions.map((e) => [e.text, e.note])).toEqual([[firstText.trim(), 'Is a double charge “billing” even when the card was declined?']]);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('says in words that the guidelines are not on this computer while they cannot be fetched', { timeout: 60_000 }, async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox();
    sb.faults.set({ errorRate: { rate: 1, status: 503, pathPrefix: '/file360/v1/files/fil-triage-guidelines/' } });
    const logger = recordingLogger();
    const app = await signedInApp(sb, path.join(tempDir(), 'data'), { tuning: { ...FAST, syncRetry: { maxAttempts: 1, initialDelayMs: 1, maxDelayMs: 1 } } });
    await idle(app);
    const server = await startHostServer({ router: app.companion.router, events: app.companion.events, rendererDir: RENDERER_DIR, logger });
    const context = await browser.newContext({ viewport: { width: 1280, height: 700 } });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    try {
      await page.goto(server.url);
      await page.getByRole('link', { name: TRIAGE }).click();
      const missing = page.getByTestId('guidelines-missing');
      await expect.poll(() => missing.textContent()).toBe('The guidelines (guidelines.md) are not on this computer. It could not be fetched last time; choose Sync to try again.');
      await page.getByTestId('guidelines').scrollIntoViewIfNeeded();
      await bothThemes(page, 'assignment-guidelines-missing');

      // Once File 360 sends it, a sync brings the guidelines in without leaving the page.
      sb.faults.reset();
      await page.getByRole('button', { name: 'Sync', exact: true }).click();
      await page.getByTestId('guidelines').getByRole('heading', { name: 'Support ticket triage: annotation guidelines' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  });
});

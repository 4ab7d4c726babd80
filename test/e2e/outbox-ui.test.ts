import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../electron/core/kernel/ports';
import { createProdigyProxy } from '../../electron/host/prodigy-proxy';
import { startHostServer } from '../../electron/host/server';
import { RENDERER_DIR, screenshot, useChromium, watchForErrors } from '../support/chromium';
import { filesUnder, idle, signedInApp, until } from '../support/file360-app';
import { PRODIGY_ENV, annotate, openSession } from '../support/prodigy';
import { recordingLogger, type ViewerTarget } from '../support/ports';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

const chromium = useChromium();

/** Closes the toasts, so a screenshot shows the view itself. */
async function dismissToasts(page: Page): Promise<void> {
  const buttons = page.getByRole('status').getByRole('button', { name: 'Dismiss' });
  while ((await buttons.count()) > 0) await buttons.first().click();
}
const TRIAGE = 'asg-support-triage';
const TRIAGE_NAME = 'Support tickets: intent triage (batch 7)';

describe('exports, escalations and the Outbox, as an annotator sees them', () => {
  it('exports from the assignment page, asks a reviewer, sees the decision come back, and retries then discards a package that cannot be sent', async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox();
    const logger = recordingLogger();
    // The browser shell's own viewer, recording what it opened so the test can answer through Prodigy's HTTP API.
    const proxy = createProdigyProxy(logger);
    const opened: ViewerTarget[] = [];
    const viewer = { ...proxy, opened, open: (target: ViewerTarget) => (opened.push(target), proxy.open(target)) };
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir, { env: PRODIGY_ENV, ports: { clock: systemClock, viewer } });
    await idle(app);

    // Four answers, one of them flagged and one skipped: both are disputes an export sends for review.
    await app.call('sessions.start', { assignmentId: TRIAGE });
    await annotate(await openSession(app, TRIAGE), [
      { answer: 'accept', accept: ['billing'] },
      { answer: 'reject', flagged: true },
      { answer: 'ignore' },
      { answer: 'accept', accept: ['account_access'] },
    ]);
    const [asked] = await app.call('escalations.candidates', { assignmentId: TRIAGE, query: '' });
    expect(asked).toBeDefined();

    // File 360 turns package uploads away for ten minutes: the package waits, with the reason in words.
    sb.faults.set({ errorRate: { rate: 1, status: 503, pathPrefix: `/file360/v1/assignments/${TRIAGE}/uploads` }, retryAfterSeconds: 600 });

    const server = await startHostServer({ router: app.companion.router, events: app.companion.events, rendererDir: RENDERER_DIR, logger });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    try {
      await page.goto(server.url);
      await page.getByRole('link', { name: TRIAGE_NAME }).click();
      await page.getByRole('heading', { name: TRIAGE_NAME, level: 1 }).waitFor();
      const work = page.getByRole('region', { name: 'Exports and reviews' });
      await work.getByTestId('exports-empty').waitFor();

      // Export now: the button is busy while it runs, the message comes back as a toast, the row and the escalations appear.
      const exportButton = work.getByRole('button', { name: 'Export now' });
      await exportButton.click();
      await page.getByRole('status').getByText(/Exported 4 answers; 2 disputed items to send for review/).waitFor();
      await expect.poll(() => exportButton.isEnabled()).toBe(true);
      const exportRow = work.getByTestId('export-row');
      await expect.poll(() => exportRow.count()).toBe(1);
      expect(await exportRow.textContent()).toMatch(/By you.*4 answers.*2 accepted · 1 rejected · 1 skipped · 1 flagged.*2 found/);
      // Sent for review once File 360 has them, not while they wait in the Outbox.
      await expect.poll(() => exportRow.getByTestId('export-escalated').textContent()).toBe('2 sent for review');
      await expect.poll(() => exportRow.getByTestId('export-upload').textContent()).toBe('Waiting to upload');
      await exportRow.getByText(/temporarily unavailable/).waitFor();
      const escalations = work.getByRole('list', { name: 'Items sent for review' }).getByTestId('escalation');
      await expect.poll(() => escalations.count()).toBe(2);
      const flagged = escalations.filter({ hasText: 'Flagged by you' });
      expect(await flagged.textContent()).toContain('High priority');
      await expect.poll(() => flagged.getByTestId('escalation-state').textContent()).toBe('Waiting for a reviewer');

      // A second export without new answers says so, and adds nothing.
      await exportButton.click();
      await page.getByRole('status').getByText(/Nothing new since the last export/).waitFor();
      expect(await exportRow.count()).toBe(1);

      // Ask a reviewer: the dialog says what is missing beside each field, searches, and sends.
      await dismissToasts(page);
      await work.getByRole('button', { name: 'Ask a reviewer…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Ask a reviewer' });
      await dialog.waitFor();
      const choices = dialog.getByRole('group', { name: 'Item' }).getByRole('radio');
      await expect.poll(() => choices.count()).toBe(4);
      await dialog.getByRole('button', { name: 'Send', exact: true }).click();
      await dialog.getByText('Pick the item your question is about.').waitFor();
      await dialog.getByText('Write your question for the reviewer.').waitFor();
      expect(await dialog.getByRole('textbox', { name: 'Your question' }).getAttribute('aria-invalid')).toBe('true');
      const words = (asked?.text ?? '').split(' ').slice(0, 3).join(' ');
      await dialog.getByRole('searchbox', { name: 'Find an answered item' }).fill(words);
      await expect.poll(() => choices.count()).toBe(1);
      await choices.check();
      await expect.poll(() => dialog.getByText('Pick the item your question is about.').count()).toBe(0);
      await dialog.getByRole('textbox', { name: 'Your question' }).fill('The customer asks about a refund after cancelling: billing or cancellation?');
      await dialog.getByRole('group', { name: 'Priority' }).getByRole('radio', { name: /High/ }).check();
      await screenshot(page, 'ask-reviewer');
      await dialog.getByRole('button', { name: 'Send', exact: true }).click();
      await page.getByRole('status').getByText(/Your question is queued for the reviewers/).waitFor();
      await expect.poll(() => dialog.isVisible()).toBe(false);
      // Focus goes back to the button that opened the dialog.
      expect(await work.getByRole('button', { name: 'Ask a reviewer…' }).evaluate((button) => button === document.activeElement)).toBe(true);
      await expect.poll(() => escalations.count()).toBe(3);
      const question = escalations.filter({ hasText: 'Your question' });
      expect(await question.textContent()).toContain('You asked: The customer asks about a refund after cancelling');
      await expect.poll(() => question.getByTestId('escalation-state').textContent()).toBe('Waiting for a reviewer');

      // Sam approves the flagged item; Ana's next sync brings the decision back and puts it into Prodigy.
      const sam = await signedInApp(sb, path.join(tempDir(), 'sam'), { env: PRODIGY_ENV, username: 'sam', ports: { clock: systemClock } });
      const review = (await sam.call('reviews.refresh', {})).items.find((item) => item.reason === 'flagged');
      expect(review).toBeDefined();
      await sam.call('reviews.open', { id: review?.id ?? '' });
      await sam.call('reviews.decide', { id: review?.id ?? '', outcome: 'approved', comment: 'Rejecting it was right: this is spam.' });
      await until(() => Promise.resolve(sb.admin.escalations().find((e) => e.id === review?.id)), (e) => e?.state === 'completed', 15_000);
      await page.getByRole('button', { name: 'Sync', exact: true }).click();
      const decision = flagged.getByTestId('decision');
      await decision.waitFor({ timeout: 15_000 });
      expect(await decision.textContent()).toMatch(/Approved by Sam Okafor.*Rejecting it was right: this is spam\./);
      await decision.getByText('In Prodigy, in the dataset support_intents_batch7_reviewed.').waitFor({ timeout: 15_000 });
      await expect.poll(() => flagged.getByTestId('escalation-state').textContent()).toBe('Decided');
      await work.scrollIntoViewIfNeeded();
      await page.mouse.move(0, 0);
      await dismissToasts(page);
      await screenshot(page, 'assignment-work');

      // The package's file disappears before it could be sent: the next try fails for good.
      const zips = filesUnder(path.join(dataDir, 'exports')).filter((file) => file.endsWith('.zip'));
      expect(zips).toHaveLength(1);
      fs.rmSync(path.join(dataDir, 'exports', zips[0] ?? ''));

      // The status area leads to the Outbox.
      await page.getByTestId('status-outbox').click();
      await page.getByRole('heading', { name: 'Outbox', level: 1 }).waitFor();
      const items = page.getByTestId('outbox-item');
      const pkg = items.filter({ hasText: 'Package' });
      await pkg.waitFor();
      expect(await pkg.getByTestId('outbox-state').textContent()).toBe('Waiting');
      expect(await pkg.textContent()).toMatch(/KB · 1 attempt · next try in (9|10) minutes/);
      expect(await pkg.getByTestId('outbox-error').textContent()).toMatch(/Last try: .*temporarily unavailable/);
      // The reviewers' notifications went out through Push; only the package is left.
      expect(await items.filter({ hasText: 'Notification' }).count()).toBe(0);

      await pkg.getByRole('button', { name: 'Retry', exact: true }).click();
      await expect.poll(() => pkg.getByTestId('outbox-state').textContent()).toBe('Failed');
      expect(await pkg.getByTestId('outbox-error').textContent()).toMatch(/Could not be sent: The package file [^ ]+\.zip is no longer on this computer, so it cannot be sent\. Discard it and export again\./);
      // Failed items come first, the count says it, and so does the status area.
      expect(await items.first().textContent()).toContain('Package');
      expect(await page.getByTestId('count-failed').textContent()).toBe('Failed1');
      await page.getByRole('alert').getByText('1 item could not be sent.').waitFor();
      await expect.poll(() => page.getByTestId('status-outbox').textContent()).toBe('1 item failed to upload');
      await page.mouse.move(0, 0);
      await dismissToasts(page);
      await screenshot(page, 'outbox');

      // Retrying a failed item tries again (and fails again, the file is still gone).
      await pkg.getByRole('button', { name: 'Retry', exact: true }).click();
      await page.getByRole('status').getByText(/^Trying again now: Export of “Support tickets: intent triage \(batch 7\)”: 4 answers$/).waitFor();
      await expect.poll(() => pkg.textContent()).toMatch(/3 attempts/);
      await expect.poll(() => pkg.getByTestId('outbox-state').textContent()).toBe('Failed');

      // Discard asks first; Escape and "Keep it" leave the item alone.
      await pkg.getByRole('button', { name: 'Discard…' }).click();
      const confirm = page.getByRole('alertdialog');
      await confirm.waitFor();
      expect(await confirm.getAttribute('aria-labelledby')).toBe('discard-title');
      // The question, then the item, rather than quotes inside quotes.
      expect(await confirm.getByRole('heading').textContent()).toBe('Discard this package?');
      expect(await confirm.getByTestId('discard-label').textContent()).toBe(`Export of “${TRIAGE_NAME}”: 4 answers`);
      expect(await confirm.textContent()).toContain('it will never be sent to File 360; this is recorded in the audit log.');
      expect(await confirm.getByRole('button', { name: 'Keep it' }).evaluate((button) => button === document.activeElement)).toBe(true);
      await screenshot(page, 'outbox-discard');
      await page.keyboard.press('Escape');
      await expect.poll(() => confirm.count()).toBe(0);
      // The focus is back on the button that opened it.
      expect(await pkg.getByRole('button', { name: 'Discard…' }).evaluate((button) => button === document.activeElement)).toBe(true);
      expect(await pkg.getByTestId('outbox-state').textContent()).toBe('Failed');
      await page.keyboard.press('Enter');
      await confirm.getByRole('button', { name: 'Discard', exact: true }).click();
      await page.getByRole('status').getByText(/^Discarded, and will not be sent: Export of “.*”: 4 answers$/).waitFor();
      await expect.poll(() => pkg.count()).toBe(0);
      // The discarded item's button is gone and the list with it; the focus lands on the page's heading, not nowhere.
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Outbox');
      expect(await page.getByTestId('count-failed').textContent()).toBe('Failed0');
      await expect.poll(() => page.getByTestId('status-outbox').textContent()).toBe('Nothing waiting to upload');
      const discards = (await app.call('audit.list', { type: 'outbox.discarded' })).entries;
      expect(discards).toHaveLength(1);
      expect(discards[0]?.details).toMatchObject({ kind: 'package' });

      // With sent items shown, the discarded package is still there, marked as such, with nothing left to do.
      await page.getByRole('checkbox', { name: 'Show sent' }).check();
      await expect.poll(() => pkg.count()).toBe(1);
      expect(await pkg.getByTestId('outbox-state').textContent()).toBe('Discarded');
      expect(await pkg.getByRole('button').count()).toBe(0);
      expect(await items.filter({ hasText: 'Escalation' }).first().getByTestId('outbox-state').textContent()).toBe('Sent');
      // File 360 announces the review request itself; the app queues no publish of its own for it.
      expect(await items.filter({ hasText: 'Review needed' }).count()).toBe(0);
      // An escalation's label quotes its item cut between words, with an ellipsis; the whole label is its title.
      const texts = (await app.call('escalations.list', {})).map((escalation) => escalation.text);
      const labels = items.filter({ hasText: 'Escalation' }).locator('.outbox-label');
      expect(await labels.count()).toBe(3);
      for (const label of await labels.all()) {
        const words = (await label.textContent()) ?? '';
        expect(await label.getAttribute('title')).toBe(words);
        const quoted = /^Escalation \([a-z ]+\): “(.+)”$/.exec(words)?.[1] ?? 'no quote';
        const whole = texts.find((text) => text.startsWith(quoted.replace(/…$/, '')));
        expect(whole, words).toBeDefined();
        if (quoted.endsWith('…')) expect(whole?.[quoted.length - 1], words).toBe(' ');
        else expect(quoted).toBe(whole);
      }
      await page.mouse.move(0, 0);
      await dismissToasts(page);
      await screenshot(page, 'outbox-sent');

      // Dark mode keeps it readable.
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.getByRole('checkbox', { name: 'Show sent' }).uncheck();
      await page.mouse.move(0, 0);
      await dismissToasts(page);
      await screenshot(page, 'outbox-dark');
      await page.goBack();
      await page.getByRole('heading', { name: TRIAGE_NAME, level: 1 }).waitFor();
      await expect.poll(() => work.getByTestId('export-upload').textContent()).toBe('Discarded');
      await work.scrollIntoViewIfNeeded();
      await dismissToasts(page);
      await screenshot(page, 'assignment-work-dark');
      await work.getByRole('button', { name: 'Ask a reviewer…' }).click();
      await dialog.waitFor();
      await screenshot(page, 'ask-reviewer-dark');
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);

      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await server.close();
      proxy.closeAll();
    }
  });
});

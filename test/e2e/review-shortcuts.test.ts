import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, useChromium } from '../support/chromium';
import { until } from '../support/file360-app';
import { reviewerPage } from '../support/review-page';
import { flaggedByAna, withLee } from '../support/reviews';
import { api, sandbox, signIn } from '../support/sandbox-file360';

const chromium = useChromium();

/** The page in the dark theme for one picture, then light again. */
async function darkToo(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await page.emulateMedia({ colorScheme: 'dark' });
  // Let the colour transitions finish before the picture.
  await page.waitForTimeout(300);
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('A reviewer at speed: decisions by keyboard, and several items approved at once', () => {
  it('approves and rejects items with A, R and Enter, walks them with J and K, never fires while typing, then bulk-approves four of which Lee decided one meanwhile: three approved, one refused in words, and File 360 gets three decisions', { timeout: 90_000 }, async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox({ fixture: withLee() });
    await flaggedByAna(sb, ['billing', 'bug_report', 'account_access', 'other', 'feature_request', 'billing']);
    const { page, errors, close } = await reviewerPage(sb, browser);
    const rows = page.getByTestId('review-row');
    const remote = (id: string) => sb.admin.escalations().find((escalation) => escalation.id === id);
    try {
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(6);
      const ids = await rows.evaluateAll((found) => found.map((row) => row.querySelector('a')?.getAttribute('href')?.split('/').pop() ?? ''));
      const [first, second, third, taken, ...others] = ids;
      const rest = [third ?? '', ...others];

      // The first item, opened from the keyboard.
      await rows.first().getByRole('link').focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`#/reviews/${first}$`));
      await page.getByRole('heading', { name: 'Flagged item' }).waitFor();
      await expect.poll(() => page.getByTestId('item-position').textContent()).toBe('Item 1 of 6');
      // Each key is on its button, for the eye and for a screen reader.
      expect(await page.getByRole('radio', { name: 'Approve A' }).getAttribute('aria-keyshortcuts')).toBe('A');
      expect(await page.getByRole('radio', { name: 'Reject R' }).getAttribute('aria-keyshortcuts')).toBe('R');
      expect(await page.getByRole('button', { name: /^Next J/ }).getAttribute('aria-keyshortcuts')).toBe('J');

      // ? shows every shortcut, and hides them again.
      await page.keyboard.press('?');
      const help = page.getByTestId('shortcut-help');
      await expect.poll(() => help.evaluate((details) => (details as HTMLDetailsElement).open)).toBe(true);
      expect(await help.textContent()).toMatch(/Choose Approve.*Pick that version.*Send the decision.*Next item in the list.*Previous item/);
      await darkToo(page, 'review-shortcuts-help');
      await page.keyboard.press('?');
      await expect.poll(() => help.evaluate((details) => (details as HTMLDetailsElement).open)).toBe(false);

      // A chooses Approve and puts the focus on its button; Enter sends it.
      await page.keyboard.press('a');
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Approve version 1');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'You approved this item' }).waitFor();
      // The focus goes to what happened, not to nowhere.
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('You approved this item');

      // J: the next item. R chooses Reject; the comment is typed with the shortcut letters in it, which stay text.
      await page.keyboard.press('j');
      await page.waitForURL(new RegExp(`#/reviews/${second}$`));
      // The URL changes before the page does: wait for the new one.
      await expect.poll(() => page.getByTestId('item-position').textContent()).toBe('Item 2 of 6');
      await page.getByRole('heading', { name: 'Your decision' }).waitFor();
      await page.keyboard.press('r');
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Reject item');
      await page.keyboard.press('Shift+Tab');
      const comment = page.getByLabel('Comment for the annotator');
      expect(await comment.evaluate((field) => field === document.activeElement)).toBe(true);
      const words = 'A reply to a newsletter, not a ticket: jam, cake, rock.';
      await page.keyboard.type(words);
      expect(await comment.inputValue()).toBe(words);
      expect(page.url()).toMatch(new RegExp(`#/reviews/${second}$`));
      expect(await page.getByRole('radio', { name: 'Reject R' }).isChecked()).toBe(true);
      await screenshot(page, 'review-shortcuts-typing');
      // Ctrl+Enter sends from the comment field.
      await page.keyboard.press('Control+Enter');
      await page.getByRole('heading', { name: 'You rejected this item' }).waitFor();

      // K goes back to the first, decided; J comes forward to the second again.
      await page.keyboard.press('k');
      await page.waitForURL(new RegExp(`#/reviews/${first}$`));
      await page.getByRole('heading', { name: 'You approved this item' }).waitFor();
      await page.keyboard.press('j');
      await page.waitForURL(new RegExp(`#/reviews/${second}$`));
      await page.getByRole('heading', { name: 'You rejected this item' }).waitFor();
      expect(await page.getByRole('button', { name: /^Next item/ }).getAttribute('aria-keyshortcuts')).toBe('J');
      await until(() => Promise.resolve([remote(first ?? ''), remote(second ?? '')]), (both) => both.every((escalation) => escalation?.state === 'completed'), 10_000);
      expect(remote(first ?? '')?.decision).toMatchObject({ outcome: 'approved', actor: 'u-sam' });
      expect(remote(second ?? '')?.decision).toMatchObject({ outcome: 'rejected', actor: 'u-sam', comment: words });

      // Ctrl+4, the app's own shortcut for Reviews, still works here: the list has the four left.
      await page.keyboard.press('Control+4');
      await page.getByRole('heading', { name: 'Reviews', exact: true }).waitFor();
      await expect.poll(() => rows.count()).toBe(4);

      // Select all four from the keyboard: Space on the first box, Shift+Space on the last picks the range.
      const box = (index: number) => rows.nth(index).getByRole('checkbox');
      const said = () => page.getByTestId('bulk-bar').getByRole('status').textContent();
      await box(0).focus();
      await page.keyboard.press('Space');
      await expect.poll(said).toBe('1 item selected');
      await box(3).focus();
      await page.keyboard.press('Shift+Space');
      await expect.poll(said).toBe('4 items selected');
      expect(await Promise.all([0, 1, 2, 3].map((index) => box(index).isChecked()))).toEqual([true, true, true, true]);
      // Shift+click clears the range again, and again selects it.
      await box(0).click({ modifiers: ['Shift'] });
      await expect.poll(said).toBe('Select waiting items to approve them together.');
      await box(0).click();
      await box(3).click({ modifiers: ['Shift'] });
      await expect.poll(said).toBe('4 items selected');
      await darkToo(page, 'reviews-selected');

      // A asks first, naming each item; one comment for all.
      await page.keyboard.press('a');
      const dialog = page.getByTestId('bulk-approve-dialog');
      await dialog.getByRole('heading', { name: 'Approve 4 items?' }).waitFor();
      const textOf = (id: string | undefined) => (remote(id ?? '')?.item.task as { text: string }).text;
      const listed = await dialog.getByRole('list', { name: 'Items to approve' }).getByRole('listitem').allTextContents();
      expect(listed.map((words) => words.slice(1, 31))).toEqual([third, taken, ...others].map((id) => textOf(id).slice(0, 30)));
      // Letters typed in the dialog's comment are the comment's.
      await dialog.getByLabel('Comment for the annotators (optional)').fill('Right as flagged.');
      await darkToo(page, 'reviews-bulk-confirm');

      // Meanwhile Lee rejects one of them in his own app.
      const { access_token: lee } = await signIn(sb, 'lee');
      const refused = await api(sb, lee, `/file360/v1/escalations/${taken}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action: 'complete', outcome: 'rejected', comment: 'Spam.' }) });
      expect(refused.status).toBe(200);
      await dialog.getByRole('button', { name: 'Approve 4 items' }).click();

      const result = page.getByTestId('bulk-result');
      await expect.poll(() => result.textContent(), { timeout: 10_000 }).toMatch(/^3 items approved\./);
      const notApproved = await result.getByRole('listitem').allTextContents();
      expect(notApproved).toHaveLength(1);
      expect(notApproved[0]).toMatch(/^“.+”: Lee Park already decided this item\.$/);
      expect(notApproved[0]?.slice(1, 31)).toBe(textOf(taken).slice(0, 30));
      await page.getByRole('heading', { name: 'Nothing to review' }).waitFor();
      await darkToo(page, 'reviews-bulk-result');
      expect(remote(taken ?? '')?.decision).toMatchObject({ outcome: 'rejected', actor: 'u-lee' });

      // File 360 received three more decisions, each its own, each with the one comment.
      const decided = await until(
        () => Promise.resolve(rest.map((id) => remote(id))),
        (found) => found.every((escalation) => escalation?.state === 'completed'),
        10_000,
      );
      for (const escalation of decided) expect(escalation?.decision).toMatchObject({ outcome: 'approved', actor: 'u-sam', comment: 'Right as flagged.' });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../electron/core/kernel/ports';
import { startHostServer } from '../../electron/host/server';
import { RENDERER_DIR, screenshot, useChromium, watchForErrors } from '../support/chromium';
import { idle, signedInApp, until } from '../support/file360-app';
import { recordingLogger } from '../support/ports';
import { askReviewers, sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';
import type { Started } from '../support/companion';

const chromium = useChromium();
const REVIEW_ASSIGNMENT = 'Support triage: expert review';

/** What a screen reader reads after a control's name: the text of the elements its aria-describedby names. */
function description(control: Locator): Promise<string> {
  return control.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

/** Closes the toasts, so a screenshot shows the view itself. */
async function dismissToasts(page: Page): Promise<void> {
  const buttons = page.getByRole('status').getByRole('button', { name: 'Dismiss' });
  while ((await buttons.count()) > 0) await buttons.first().click();
}

async function inBrowser(app: Started, browser: ReturnType<typeof chromium>) {
  const server = await startHostServer({ router: app.companion.router, events: app.companion.events, rendererDir: RENDERER_DIR, logger: recordingLogger() });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await page.goto(server.url);
  return { page, errors, close: async () => (await context.close(), await server.close()) };
}

async function bothThemes(page: Page, name: string): Promise<void> {
  await dismissToasts(page);
  await screenshot(page, name);
  await page.emulateMedia({ colorScheme: 'dark' });
  // Buttons fade to their dark colours; the picture is taken once they have.
  await page.waitForTimeout(250);
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('each person’s sections, and signing out', () => {
  it('opens a reviewer’s app on Reviews with a live count of items waiting, offers Reviews rather than a Start that cannot work, asks before signing out, and lands on Reviews again after signing in', { timeout: 60_000 }, async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox();
    const sam = await signedInApp(sb, path.join(tempDir(), 'sam'), { username: 'sam', ports: { clock: systemClock } });
    await idle(sam);
    const { page, errors, close } = await inBrowser(sam, browser);
    try {
      // Sam reviews and annotates nothing: the app opens on Reviews, in place of the landing (Back does not undo it).
      await page.getByRole('heading', { name: 'Reviews', exact: true, level: 1 }).waitFor();
      expect(await page.evaluate(() => window.location.hash)).toBe('#/reviews');
      const reviewsLink = page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Reviews/ });
      const badge = reviewsLink.getByTestId('reviews-badge');
      expect(await badge.count()).toBe(0);

      // Items to decide arrive through Push; the count follows the review list's change events.
      await until(() => sam.call('app.status'), (status) => status.push === 'live', 15_000);
      const first = await askReviewers(sb, 'e2e-roles-1');
      await expect.poll(() => badge.getAttribute('aria-label'), { timeout: 15_000 }).toBe('1 waiting');
      await askReviewers(sb, 'e2e-roles-2', 'Please refund the second seat we never used.');
      await expect.poll(() => badge.getAttribute('aria-label'), { timeout: 15_000 }).toBe('2 waiting');
      expect(await badge.textContent()).toBe('2');
      expect(await reviewsLink.getAttribute('aria-keyshortcuts')).toBe('Control+4');
      await page.getByTestId('review-row').nth(1).waitFor();
      await bothThemes(page, 'roles-reviewer-home');

      // A decision takes one off the count, also while it waits in the Outbox: File 360 turns it away for ten minutes.
      await sam.call('reviews.open', { id: first });
      sb.faults.set({ errorRate: { rate: 1, status: 503, pathPrefix: `/file360/v1/escalations/${first}` }, retryAfterSeconds: 600 });
      await sam.call('reviews.decide', { id: first, outcome: 'approved', comment: '' });
      await expect.poll(() => badge.getAttribute('aria-label'), { timeout: 15_000 }).toBe('1 waiting');
      await until(() => sam.call('app.status'), (status) => status.queued === 1, 15_000);

      // On Sessions, his review assignment offers what he can do, not a disabled Start.
      await page.keyboard.press('Control+2');
      const card = page.getByRole('article', { name: REVIEW_ASSIGNMENT });
      await card.waitFor();
      expect(await card.getByRole('button', { name: /Start annotating/ }).count()).toBe(0);
      expect(await card.textContent()).toContain('You review this assignment: its items to decide are under Reviews.');
      await screenshot(page, 'roles-sessions-reviewer');
      await card.getByRole('link', { name: 'Open Reviews' }).click();
      await page.getByRole('heading', { name: 'Reviews', exact: true, level: 1 }).waitFor();
      // So does the assignment's own page, with Sync beside it.
      await page.keyboard.press('Control+1');
      await page.getByRole('link', { name: REVIEW_ASSIGNMENT }).click();
      await page.getByRole('heading', { name: REVIEW_ASSIGNMENT, level: 1 }).waitFor();
      const actions = page.locator('.page-actions');
      expect(await actions.getByRole('button', { name: /Start annotating/ }).count()).toBe(0);
      expect(await actions.getByRole('link', { name: 'Open Reviews' }).getAttribute('class')).toContain('primary');
      expect(await actions.getByRole('button', { name: 'Sync', exact: true }).getAttribute('class')).not.toContain('primary');
      await screenshot(page, 'roles-assignment-reviewer');
      await actions.getByRole('link', { name: 'Open Reviews' }).click();
      await page.getByRole('heading', { name: 'Reviews', exact: true, level: 1 }).waitFor();

      // Sign out asks first, saying what stays and what waits; the safe choice has the focus and Escape keeps him signed in.
      await page.getByRole('button', { name: 'Sign out…' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Sign out of File 360?' });
      await confirm.waitFor();
      expect(await confirm.getByRole('button', { name: 'Stay signed in' }).evaluate((button) => button === document.activeElement)).toBe(true);
      expect(await confirm.textContent()).toContain('Your synced files, your answers and your notifications stay on this computer.');
      expect(await confirm.getByTestId('sign-out-outbox').textContent()).toBe('1 item waiting in the Outbox stays there and is sent when you sign in again as Sam Okafor.');
      await bothThemes(page, 'roles-sign-out-confirm');
      await page.keyboard.press('Escape');
      await expect.poll(() => confirm.count()).toBe(0);
      expect((await sam.call('app.status')).user?.displayName).toBe('Sam Okafor');

      await page.getByRole('button', { name: 'Sign out…' }).click();
      await confirm.getByRole('button', { name: 'Sign out', exact: true }).click();
      await expect.poll(() => page.getByTestId('status-connection').textContent()).toBe('Not signed in');
      // Signed out, nobody is known to review: the entry goes, its shortcut stays.
      expect(await reviewsLink.count()).toBe(0);

      // The notification center says why it shows nothing, and how to sign in again.
      await page.keyboard.press('Control+5');
      await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
      expect(await page.getByText('Notifications belong to your File 360 account').count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Mark all read' }).count()).toBe(0);
      await bothThemes(page, 'roles-notifications-signed-out');
      await page.getByRole('button', { name: 'Sign in on Assignments' }).click();

      // The sign-in card: the fields the command line set say so, to the eye and to a screen reader.
      await page.getByRole('heading', { name: 'Sign in to File 360' }).waitFor();
      const address = page.getByLabel('Server address');
      // The card asks the settings what this run set as it opens.
      await expect.poll(() => description(address)).toBe('The server address is set by --server for this run, so it cannot be changed here.');
      expect(await address.isDisabled()).toBe(true);
      expect(await description(page.getByLabel('Tenant'))).toBe('The tenant is set by --tenant for this run, so it cannot be changed here.');
      await bothThemes(page, 'roles-sign-in-locked');

      // Signing in again (the browser approves at once here) lands him on Reviews, with the count back.
      await page.getByRole('button', { name: 'Sign in with browser' }).click();
      await page.getByRole('heading', { name: 'Reviews', exact: true, level: 1 }).waitFor({ timeout: 15_000 });
      expect(await page.evaluate(() => window.location.hash)).toBe('#/reviews');
      await expect.poll(() => badge.getAttribute('aria-label'), { timeout: 15_000 }).toBe('1 waiting');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('keeps Reviews out of an annotator’s sidebar and explains it when reached by its shortcut; the other shortcuts stay where they were', async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox();
    const ana = await signedInApp(sb, path.join(tempDir(), 'ana'), { ports: { clock: systemClock } });
    await idle(ana);
    const { page, errors, close } = await inBrowser(ana, browser);
    try {
      await page.getByRole('heading', { name: 'Assignments', exact: true, level: 1 }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Sections' });
      expect(await nav.getByRole('link').evaluateAll((links) => links.map((link) => link.getAttribute('data-section')))).toEqual(['assignments', 'sessions', 'outbox', 'notifications', 'audit', 'settings']);
      expect(await nav.getByRole('link', { name: 'Notifications' }).getAttribute('aria-keyshortcuts')).toBe('Control+5');

      await page.keyboard.press('Control+4');
      await page.getByRole('heading', { name: 'Reviews are for reviewers' }).waitFor();
      expect(await page.getByText('File 360 does not list Ana Ruiz as a reviewer').count()).toBe(1);
      await bothThemes(page, 'roles-reviews-not-a-reviewer');
      await page.keyboard.press('Control+5');
      await page.getByRole('heading', { name: 'Notifications', exact: true, level: 1 }).waitFor();
      await page.keyboard.press('Control+4');
      await page.getByRole('button', { name: 'Go to Assignments' }).click();
      await page.getByRole('heading', { name: 'Assignments', exact: true, level: 1 }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

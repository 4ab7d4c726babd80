import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Companion } from '../../electron/core/companion';
import { systemClock, type Notifier } from '../../electron/core/kernel/ports';
import { startHostServer } from '../../electron/host/server';
import { RENDERER_DIR, screenshot, useChromium, watchForErrors } from '../support/chromium';
import { signedInApp, until } from '../support/file360-app';
import { recordingLogger } from '../support/ports';
import { askReviewers, sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

const chromium = useChromium();

const SAMS_ASSIGNMENT = 'asg-triage-review';
const REVIEW_TITLE = 'Review requested: Support tickets: intent triage (batch 7)';
const TASK_TITLE = 'New assignment: Support triage: expert review';
const DATASET_TITLE = 'support_intents_batch7 is complete';

/** Closes the toasts that are not notifications, so a screenshot shows the view itself. */
async function dismissToasts(page: Page): Promise<void> {
  const buttons = page.getByRole('status').getByRole('button', { name: 'Dismiss' });
  while ((await buttons.count()) > 0) await buttons.first().click();
}

describe('the notification center, as a reviewer sees it', () => {
  it('counts unread in the sidebar and the tab title, opens a notification where it leads, filters, marks read, keeps a storm to three toasts, and clears', async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox();
    // As the browser shell does it: the page shows each notification itself (a toast here, with no permission for native ones).
    let events: Companion['events'] | null = null;
    const notifier: Notifier = { show: (notification) => events?.emit('notification', notification) };
    const sam = await signedInApp(sb, path.join(tempDir(), 'sam'), { username: 'sam', ports: { clock: systemClock, notifier } });
    events = sam.companion.events;
    const server = await startHostServer({ router: sam.companion.router, events: sam.companion.events, rendererDir: RENDERER_DIR, logger: recordingLogger() });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    try {
      await page.goto(server.url);
      // Sam reviews and annotates nothing: the app opens on his work.
      await page.getByRole('heading', { name: 'Reviews', exact: true, level: 1 }).waitFor();
      // The stream is up before anything is published, so each one arrives live.
      await until(() => sam.call('app.status'), (status) => status.push === 'live', 15_000);
      const navLink = page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Notifications/ });
      const badge = navLink.getByTestId('unread-badge');
      expect(await badge.count()).toBe(0);
      expect(await page.title()).toBe('Annotator Companion');

      // Three arrive: a new assignment, a review request (published by File 360 itself), a finished dataset.
      sb.push.publish({ users: ['sam'], type: 'task.assigned', title: TASK_TITLE, summary: 'Maria Chen shared it with you.', data: { assignment_id: SAMS_ASSIGNMENT } });
      const escalationId = await askReviewers(sb, 'e2e-notification-center');
      await until(() => sam.call('notifications.list', {}), (list) => list.unread === 2);
      sb.push.publish({ users: ['sam'], type: 'dataset.ready', title: DATASET_TITLE, summary: 'All items are annotated and reviewed.', data: {} });

      await expect.poll(() => badge.getAttribute('aria-label')).toBe('3 unread');
      expect(await badge.textContent()).toBe('3');
      await expect.poll(() => page.title()).toBe('(3) Annotator Companion');

      // Each pops up as a toast; the review request's opens the item.
      const toasts = page.getByTestId('notification-toast');
      await toasts.getByRole('button', { name: REVIEW_TITLE }).click();
      await page.waitForURL(new RegExp(`#/reviews/${escalationId}$`));
      await page.getByRole('heading', { name: 'Question from the annotator', level: 1 }).waitFor({ timeout: 10_000 });
      expect(await toasts.filter({ hasText: REVIEW_TITLE }).count()).toBe(0);

      // The center lists them newest first, unread, with the Push connection in words.
      await navLink.click();
      await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
      // One notion of reachability: the center and the sidebar say the same.
      expect(await page.getByTestId('push-state').textContent()).toBe('File 360: Online');
      expect(await page.getByTestId('status-connection').textContent()).toBe('Online');
      const items = page.getByTestId('notification');
      await expect.poll(() => items.count()).toBe(3);
      expect(await items.locator('.nf-title').allTextContents()).toEqual([DATASET_TITLE, REVIEW_TITLE, TASK_TITLE]);
      expect(await page.locator('.nf-unread').count()).toBe(3);
      expect(await items.first().locator('time').textContent()).toMatch(/^(just now|\d+ seconds? ago)$/);

      // Mark one read from its own actions; the focus stays on that notification, and Tab reaches its actions.
      const dataset = items.filter({ hasText: DATASET_TITLE });
      await dataset.getByRole('button', { name: `Mark read: ${DATASET_TITLE}` }).click();
      await expect.poll(() => badge.getAttribute('aria-label')).toBe('2 unread');
      await expect.poll(() => dataset.evaluate((item) => item.classList.contains('nf-unread'))).toBe(false);
      await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid="notification"]')?.querySelector('.nf-title')?.textContent)).toBe(DATASET_TITLE);
      await page.keyboard.press('Tab');
      const clear = dataset.getByRole('button', { name: `Clear: ${DATASET_TITLE}` });
      expect(await clear.evaluate((button) => button === document.activeElement)).toBe(true);
      expect(await dataset.locator('.nf-actions').evaluate((actions) => getComputedStyle(actions).opacity)).toBe('1');

      await dismissToasts(page);
      await items.filter({ hasText: REVIEW_TITLE }).hover();
      await screenshot(page, 'notifications');

      // Unread only, then one kind only.
      await page.getByRole('radio', { name: 'Unread' }).check();
      await expect.poll(() => items.count()).toBe(2);
      await page.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'An item needs a reviewer' });
      await expect.poll(() => items.count()).toBe(1);

      // Enter opens it: marked read, and the app goes where it leads.
      await items.first().locator('.nf-open').focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`#/reviews/${escalationId}$`));
      await page.getByRole('heading', { name: 'Question from the annotator', level: 1 }).waitFor({ timeout: 10_000 });
      await expect.poll(() => badge.getAttribute('aria-label')).toBe('1 unread');

      // Back, the filters are as they were, and nothing is left to show under them.
      await page.goBack();
      await page.getByRole('heading', { name: 'None of this kind' }).waitFor();
      await page.getByRole('button', { name: 'Show all notifications' }).click();
      await expect.poll(() => items.count()).toBe(3);
      expect(await page.getByRole('radio', { name: 'All' }).isChecked()).toBe(true);

      // Mark all read: the badge and the count in the title go.
      await page.getByRole('button', { name: 'Mark all read' }).click();
      await expect.poll(() => badge.count()).toBe(0);
      await expect.poll(() => page.title()).toBe('Annotator Companion');
      expect(await page.locator('.nf-unread').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Mark all read' }).isDisabled()).toBe(true);
      // Its button is disabled now; the focus moved to the list rather than to nowhere.
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('nf-list-heading');

      // A storm of eight: never more than three toasts at once, all eight in the list.
      for (let n = 1; n <= 8; n++) {
        sb.push.publish({ users: ['sam'], type: 'batch.assigned', title: `New files in Support triage (${n})`, summary: `Batch ${n} was added.`, data: { assignment_id: SAMS_ASSIGNMENT } });
      }
      let most = 0;
      for (const end = Date.now() + 2000; Date.now() < end; await page.waitForTimeout(25)) most = Math.max(most, await toasts.count());
      await expect.poll(() => badge.getAttribute('aria-label')).toBe('8 unread');
      expect(most).toBeGreaterThan(0);
      expect(most).toBeLessThanOrEqual(3);
      await expect.poll(() => items.count()).toBe(11);

      await page.emulateMedia({ colorScheme: 'dark' });
      await dismissToasts(page);
      await page.mouse.move(0, 0);
      await screenshot(page, 'notifications-dark');
      await page.emulateMedia({ colorScheme: 'light' });

      // Clear all asks first; "Keep them" has the focus.
      await page.getByRole('button', { name: 'Clear all…' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Clear all notifications?' });
      await confirm.waitFor();
      expect(await confirm.getByRole('button', { name: 'Keep them' }).evaluate((button) => button === document.activeElement)).toBe(true);
      await confirm.getByRole('button', { name: 'Clear all', exact: true }).click();
      await page.getByRole('heading', { name: 'No notifications yet' }).waitFor();
      await expect.poll(() => badge.count()).toBe(0);
      await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');

      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await server.close();
    }
  });
});

import path from 'node:path';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startHostServer } from '../../electron/host/server';
import { RENDERER_DIR, screenshot, useChromium, watchForErrors } from '../support/chromium';
import { startCompanion } from '../support/companion';
import { FAST, addAssignment, onDisk } from '../support/file360-app';
import { freePort } from '../../electron/core/services/prodigy/process';
import { systemClock } from '../../electron/core/kernel/ports';
import { recordingOpener } from '../support/ports';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';
import { SERVER_ADDRESS_HINT } from '../../shared/url';

const MiB = 1024 * 1024;

const chromium = useChromium();

/** The app with no server set, in the browser shell, as a new user first opens it. */
async function newUser(browser: Browser, dataDir: string) {
  const opener = recordingOpener();
  // Real time, as in the app: the page's "2 minutes ago" and the app's timestamps must agree.
  const app = await startCompanion(dataDir, { ports: { opener, clock: systemClock }, tuning: FAST });
  const server = await startHostServer({ router: app.companion.router, events: app.companion.events, rendererDir: RENDERER_DIR, logger: app.ports.logger });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await page.goto(server.url);
  return { opener, server, context, page, errors };
}

describe('a new user, in Chromium', () => {
  it('signs in through File 360 in the browser, syncs, and watches the progress bar finish', async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox();
    // A batch big enough to watch: the progress bar has something to show.
    addAssignment(sb, 'asg-images', Array.from({ length: 24 }, (_, i) => ({ path: `images/scan-${String(i + 1).padStart(3, '0')}.png`, size: 512 * 1024 })), { expiresInDays: 1.5 });
    sb.faults.set({ slowBodyBytesPerSecond: { bytesPerSecond: 2 * MiB, pathPrefix: '/file360/v1/files/' } });

    const dataDir = path.join(tempDir(), 'data');
    const { opener, server, context, page, errors } = await newUser(browser, dataDir);

    // The first thing a new user sees: where to sign in.
    await page.getByRole('heading', { name: 'Sign in to File 360' }).waitFor();
    await page.getByLabel('Server address').fill(sb.url);
    await page.getByLabel('Tenant').fill(sb.tenant);
    await page.getByRole('button', { name: 'Sign in with browser' }).click();
    await page.getByText('Finish signing in in your browser.').waitFor();
    // The fields stop taking input while the browser is out, and say why (to a screen reader too).
    for (const label of ['Server address', 'Tenant']) {
      const field = page.getByLabel(label);
      expect(await field.isDisabled()).toBe(true);
      expect(await field.evaluate((input) => document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent)).toBe(
        'The server address and tenant cannot be changed while you sign in; Cancel first to change them.',
      );
    }
    await screenshot(page, 'sign-in-waiting');

    // The app opened the system browser at File 360; the person signs in there.
    await expect.poll(() => opener.opened.length).toBe(1);
    const browserTab = await context.newPage();
    await browserTab.goto(opener.opened[0] ?? '');
    await browserTab.getByLabel('Username').fill('ana');
    await browserTab.getByLabel('Password').fill('wrong');
    await browserTab.getByRole('button', { name: 'Allow' }).click();
    await browserTab.getByText(/password/i).first().waitFor();
    await browserTab.getByLabel('Password').fill('ana-password');
    await browserTab.getByRole('button', { name: 'Allow' }).click();
    await browserTab.getByRole('heading', { name: 'You are signed in' }).waitFor();
    await browserTab.close();

    // Back in the app: signed in, the list appears and the sync runs on its own.
    await expect.poll(() => page.getByTestId('status-user').textContent()).toContain('Signed in as Ana Ruiz');
    await page.getByRole('link', { name: 'Test assignment asg-images' }).click();
    await page.getByTestId('sync-progress').waitFor();
    await expect.poll(async () => Number(await page.getByRole('progressbar').getAttribute('aria-valuenow'))).toBeGreaterThan(10);
    // The numbers under the bar keep up with it, not only at the end.
    await expect.poll(() => page.getByTestId('on-disk').textContent()).not.toMatch(/^0 files/);
    await screenshot(page, 'sync-in-progress');
    await page.getByText('Sync finished').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await expect.poll(() => page.getByTestId('file-row').first().textContent()).toContain('On this computer');
    await screenshot(page, 'sync-finished');

    await page.getByRole('link', { name: '← All assignments' }).click();
    await expect.poll(() => page.getByTestId('assignment-row').count()).toBe(3);
    await expect.poll(() => page.getByText('Up to date').count()).toBe(3);
    expect(await page.getByRole('row', { name: /asg-images/ }).textContent()).toMatch(/now|seconds? ago|minute ago/);
    await screenshot(page, 'assignments');

    expect(onDisk(sb, dataDir, 'asg-images').every((f) => f.sha256 === f.item.sha256)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
    await server.close();
  });

  it('is told within seconds, before any browser opens, when the tenant has a typo or the port is wrong', async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox();
    const { opener, server, context, page, errors } = await newUser(browser, path.join(tempDir(), 'data'));
    await page.getByRole('heading', { name: 'Sign in to File 360' }).waitFor();

    const attempt = async (address: string, tenant: string, expected: string, shot: string) => {
      await page.getByLabel('Server address').fill(address);
      await page.getByLabel('Tenant').fill(tenant);
      const began = Date.now();
      await page.getByRole('button', { name: 'Sign in with browser' }).click();
      await page.getByRole('alert').filter({ hasText: expected }).waitFor({ timeout: 5000 });
      expect(Date.now() - began).toBeLessThan(5000);
      await screenshot(page, shot);
    };
    // Not an address at all: what to type instead, not "Invalid URL".
    await attempt('file360.example.com', sb.tenant, SERVER_ADDRESS_HINT, 'sign-in-not-an-address');
    await attempt(sb.url, 'acmee', `File 360 at ${sb.url} has no tenant 'acmee' — check the tenant name.`, 'sign-in-wrong-tenant');
    const wrongPort = `http://127.0.0.1:${await freePort()}`;
    await attempt(wrongPort, sb.tenant, `No File 360 answers at ${wrongPort} — check the address.`, 'sign-in-wrong-port');
    expect(opener.opened).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
    await server.close();
  });
});

import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SECTIONS } from '../../shared/routes';
import { startHostServer, type HostServer } from '../../electron/host/server';
import { RENDERER_DIR, screenshot, useChromium, watchForErrors } from '../support/chromium';
import { startCompanion, type Started } from '../support/companion';
import { tempDir } from '../support/tmp';

const HEADINGS: Record<(typeof SECTIONS)[number], string> = {
  assignments: 'Assignments',
  sessions: 'Sessions',
  outbox: 'Outbox',
  reviews: 'Reviews',
  notifications: 'Notifications',
  audit: 'Audit log',
  settings: 'Settings',
};

const chromium = useChromium();

interface Session {
  app: Started;
  server: HostServer;
  page: Page;
  errors: string[];
}

async function open(ctx: { skip(note: string): never }, dataDir?: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Session> {
  const browser = chromium(ctx);
  const app = await startCompanion(dataDir ?? path.join(tempDir(), 'data'));
  const server = await startHostServer({ router: app.companion.router, events: app.companion.events, rendererDir: RENDERER_DIR, logger: app.ports.logger });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await page.goto(server.url);
  return { app, server, page, errors };
}

async function close(session: Session): Promise<void> {
  await session.page.context().close();
  await session.server.close();
}

describe('the app in Chromium, through the browser shell', () => {
  it('opens every section from the sidebar and from the keyboard, with no console errors', async (ctx) => {
    const session = await open(ctx);
    const { page, errors } = session;
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/assignments');
    expect(await page.evaluate(() => window.location.href)).not.toContain('token=');
    await page.getByRole('heading', { name: 'Sign in to File 360' }).waitFor();

    for (const section of SECTIONS) {
      await page.locator(`nav a[data-section="${section}"]`).click();
      await page.getByRole('heading', { level: 1, name: HEADINGS[section] }).waitFor();
      expect(await page.locator(`nav a[data-section="${section}"]`).getAttribute('aria-current')).toBe('page');
      await screenshot(page, `section-${section}`);
    }

    for (const [index, section] of SECTIONS.entries()) {
      await page.keyboard.press(`Control+${index + 1}`);
      await page.getByRole('heading', { level: 1, name: HEADINGS[section] }).waitFor();
      // The heading takes focus on arrival, for keyboard and screen-reader users.
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    }

    // Back goes where the user was before, like any page.
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: HEADINGS.audit }).waitFor();
    expect(errors).toEqual([]);
    await close(session);
  });

  it('shows the audit log with its verified chain', async (ctx) => {
    const session = await open(ctx);
    const { page } = session;
    await page.locator('nav a[data-section="audit"]').click();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByTestId('audit-verification').textContent()).toContain('Chain intact');
    await page.getByLabel('Event').selectOption('app.started');
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(1);
    await screenshot(page, 'audit');
    expect(session.errors).toEqual([]);
    await close(session);
  });

  it('saves File 360 settings, explains a bad address beside the field, and follows them in the status area', async (ctx) => {
    const session = await open(ctx);
    const { page } = session;
    // Keys pressed before the app has drawn itself go nowhere; wait for it, as a person would.
    await page.getByRole('heading', { name: 'Sign in to File 360' }).waitFor();
    await page.keyboard.press('Control+7');
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();

    await page.getByLabel('Server address').fill('http://file360.example.com');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Use an https:// address').waitFor();
    await screenshot(page, 'settings-invalid');

    await page.getByLabel('Server address').fill('https://file360.example.com');
    await page.getByLabel('Tenant').fill('acme');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await expect.poll(() => page.getByTestId('status-connection').textContent()).toBe('Not signed in');

    await page.locator('nav a[data-section="assignments"]').click();
    await expect.poll(() => page.getByLabel('Server address').inputValue()).toBe('https://file360.example.com');
    const saved = (await session.app.call('settings.get')).values;
    expect(saved).toMatchObject({ server: 'https://file360.example.com', tenant: 'acme' });
    await page.keyboard.press('Control+7');
    await screenshot(page, 'settings');
    expect(session.errors).toEqual([]);
    await close(session);
  });

  it('follows the system’s dark mode', async (ctx) => {
    const session = await open(ctx, undefined, 'dark');
    const { page } = session;
    await page.locator('nav a[data-section="audit"]').click();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThanOrEqual(1);
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(22, 24, 29)');
    await screenshot(page, 'audit-dark');
    await close(session);
  });

  it('tells the user what to do when the link is from an earlier run', async (ctx) => {
    const session = await open(ctx);
    const stale = await session.page.context().newPage();
    await stale.goto(`${session.server.origin}/#token=${'A'.repeat(43)}`);
    await stale.getByRole('heading', { name: 'Can’t reach Annotator Companion'.replace('’', "'") }).waitFor();
    await screenshot(stale, 'stale-link');
    await close(session);
  });

  it('offers to move a damaged database aside, and starts fresh when asked', async (ctx) => {
    const dataDir = path.join(tempDir(), 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'companion.db'), 'definitely not sqlite '.repeat(100));
    const session = await open(ctx, dataDir);
    const { page } = session;
    await page.getByRole('heading', { level: 1, name: "The app's local database can't be opened" }).waitFor();
    await screenshot(page, 'database-damaged');
    await page.getByRole('button', { name: 'Move it aside and start fresh…' }).click();
    await page.getByRole('button', { name: 'Move aside and start fresh' }).click();
    await page.getByText('The damaged database was moved aside').waitFor();
    await page.locator('nav a[data-section="audit"]').click();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThanOrEqual(1);
    expect(fs.readdirSync(dataDir).some((name) => name.startsWith('companion.db.damaged-'))).toBe(true);
    await close(session);
  });
});

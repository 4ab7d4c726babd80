import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SECTIONS } from '../../shared/routes';
import { startHostServer, type HostServer } from '../../electron/host/server';
import { RENDERER_DIR, screenshot, useChromium, watchForErrors } from '../support/chromium';
import { startCompanion, type Started } from '../support/companion';
import { signedInApp } from '../support/file360-app';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';
import { MemorySecretStore } from '../../electron/core/kernel/credentials/memory-store';
import { noKeychain } from '../../electron/core/kernel/credentials/open-secret-store';

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

    // Nobody is signed in, so nobody is known to review: Reviews is left out of the sidebar, and reached by its shortcut below.
    expect(await page.locator('nav a[data-section="reviews"]').count()).toBe(0);
    for (const section of SECTIONS.filter((candidate) => candidate !== 'reviews')) {
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

  it('lays Settings out cleanly in the sandbox workspace with no keychain: who set what, the keychain in words, topics muted by name, and the keychain warning leads to Credentials', async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox();
    const dbusError = 'org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files';
    const app = await signedInApp(sb, path.join(tempDir(), 'data'), { argv: ['--sandbox-workspace'], ports: { secrets: new MemorySecretStore(noKeychain(dbusError, 'linux')) } });
    const server = await startHostServer({ router: app.companion.router, events: app.companion.events, rendererDir: RENDERER_DIR, logger: app.ports.logger });
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const errors = watchForErrors(page);
    const session = { app, server, page, errors };
    try {
      await page.goto(server.url);
      await page.getByRole('heading', { level: 1, name: 'Assignments' }).waitFor();

      // The sidebar's keychain warning opens Settings at Credentials, scrolled into view and focused.
      await page.getByRole('button', { name: 'No keychain: sign-in lasts this run only' }).click();
      await page.waitForURL(/#\/settings\/credentials$/, { timeout: 5000 });
      const credentials = page.getByTestId('credentials-card');
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Credentials');
      const shown = await credentials.boundingBox();
      expect(shown && shown.y >= 0 && shown.y < 800).toBe(true);

      // The keychain in words; the raw D-Bus error only behind Details.
      const words = await credentials.getByTestId('keychain-detail').textContent();
      expect(words).toMatch(/^The system keychain \(Secret Service\) is not available, so your sign-in lasts only until you quit\./);
      expect(words).not.toContain('org.freedesktop');
      expect(await credentials.getByText(dbusError).isVisible()).toBe(false);
      await credentials.getByText('Details', { exact: true }).click();
      expect(await credentials.getByText(dbusError).isVisible()).toBe(true);
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await screenshot(page, `settings-credentials-${colorScheme}`);
      }
      await page.emulateMedia({ colorScheme: 'light' });

      // What the sandbox set says so, not "--server", which nobody typed; the control's name is its label alone.
      expect(await page.locator('#server-source').textContent()).toBe('Set by the sandbox workspace for this run');
      expect(await page.locator('#tenant-source').textContent()).toBe('Set by the sandbox workspace for this run');
      expect(await page.getByRole('textbox', { name: 'Server address', exact: true }).isDisabled()).toBe(true);

      // Badges stay pills, also beside a label on two lines.
      await page.locator('#reviewedDataset-label').scrollIntoViewIfNeeded();
      for (const badge of await page.locator('.source-badge').all()) {
        const box = await badge.boundingBox();
        expect(box && box.height <= 22 && box.width > box.height, `${await badge.textContent()}: ${JSON.stringify(box)}`).toBe(true);
      }
      const datasetLabel = await page.locator('#reviewedDataset-label').boundingBox();
      expect(datasetLabel && datasetLabel.height > 30).toBe(true);

      // A lone checkbox sits before its label, on its first line.
      const checkbox = await page.getByRole('checkbox', { name: 'Export when a session stops' }).boundingBox();
      const label = await page.locator('#autoExport-label').boundingBox();
      expect(checkbox && label && checkbox.x + checkbox.width <= label.x && Math.abs(checkbox.y + checkbox.height / 2 - (label.y + 10)) < 6, JSON.stringify({ checkbox, label })).toBe(true);

      // Topics are muted by assignment and group name, and saved as the topics Push sends.
      const topics = page.getByRole('group', { name: 'Do not pop up for' });
      expect(await topics.getByRole('checkbox').evaluateAll((boxes) => boxes.map((box) => box.parentElement?.textContent))).toEqual([
        'Release notes: sentiment spot check',
        'Support tickets: intent triage (batch 7)',
        'Review requests for vendor-annotators',
      ]);
      await topics.getByRole('checkbox', { name: 'Release notes: sentiment spot check' }).check();
      await topics.getByRole('checkbox', { name: 'Review requests for vendor-annotators' }).check();
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Settings saved.').waitFor();
      expect((await app.call('settings.get')).values.mutedTopics).toEqual(['assignment.asg-release-notes', 'escalations.vendor-annotators']);
      await topics.scrollIntoViewIfNeeded();
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await page.waitForTimeout(250);
        await screenshot(page, `settings-topics-${colorScheme}`);
      }
      expect(errors).toEqual([]);
    } finally {
      await close(session);
    }
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

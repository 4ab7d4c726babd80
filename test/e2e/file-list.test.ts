import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHostServer } from '../../electron/host/server';
import { RENDERER_DIR, screenshot, useChromium, watchForErrors } from '../support/chromium';
import { startCompanion } from '../support/companion';
import { seedFiles } from '../support/seed-files';
import { tempDir } from '../support/tmp';

const COUNT = 100_000;

const chromium = useChromium();

describe('an assignment with 100 000 files', () => {
  it('keeps only the visible rows in the page, and reaches the last file by scrolling', async (ctx) => {
    const browser = chromium(ctx);
    const dataDir = path.join(tempDir(), 'data');
    const app = await startCompanion(dataDir, { argv: ['--server', 'https://file360.example.com', '--tenant', 'acme'] });
    seedFiles(dataDir, 'asg-100k', COUNT);
    seedFiles(dataDir, 'asg-three', 3);
    const server = await startHostServer({ router: app.companion.router, events: app.companion.events, rendererDir: RENDERER_DIR, logger: app.ports.logger });
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const errors = watchForErrors(page);
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Assignments' }).waitFor();
    await page.evaluate(() => (window.location.hash = '#/assignments/asg-100k'));

    await page.getByText('scans/000/scan-000000.png').waitFor();
    const rows = await page.getByTestId('file-row').count();
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(80);
    expect(await page.getByRole('table', { name: 'Files' }).getAttribute('aria-rowcount')).toBe(String(COUNT + 1));
    await screenshot(page, 'file-list-100k');

    await page.getByTestId('file-scroller').evaluate((element) => (element.scrollTop = element.scrollHeight));
    await page.getByText('scans/099/scan-099999.png').waitFor();
    expect(await page.getByTestId('file-row').count()).toBeLessThan(80);

    // A new filter starts at the top of its own list, not where the old one was scrolled to.
    await page.getByLabel(/Only files with problems/).check();
    await page.getByText('scans/000/scan-000096.png').waitFor();
    expect(await page.getByTestId('file-scroller').evaluate((element) => element.scrollTop)).toBe(0);
    expect(await page.getByText('Failed: File 360 had an internal error (HTTP 500).').count()).toBeGreaterThan(5);

    // Another assignment opens at the top of its own list, as tall as its three rows (issue 16, item 10) …
    await page.getByLabel(/Only files with problems/).uncheck();
    await page.getByTestId('file-scroller').evaluate((element) => (element.scrollTop = element.scrollHeight));
    await page.evaluate(() => (window.location.hash = '#/assignments/asg-three'));
    await expect.poll(() => page.getByTestId('file-row').count()).toBe(3);
    expect(await page.getByTestId('file-scroller').evaluate((element) => element.scrollTop)).toBe(0);
    expect(await page.getByTestId('file-scroller').evaluate((element) => element.clientHeight)).toBeLessThanOrEqual(3 * 34 + 2);
    // … and coming back, the long list starts at its top again, not where it was left.
    await page.evaluate(() => (window.location.hash = '#/assignments/asg-100k'));
    await page.getByText('scans/000/scan-000000.png').waitFor();
    expect(await page.getByTestId('file-scroller').evaluate((element) => element.scrollTop)).toBe(0);
    expect(errors).toEqual([]);
    await server.close();
  });
});

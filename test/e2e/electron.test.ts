import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../electron/core/services/prodigy/process';
import { findElectronBinary } from '../../scripts/electron-binary';
import { SCREENSHOT_DIR, inlineScriptRefusal } from '../support/chromium';
import { livePids } from '../support/prodigy';
import { submitApprovePage } from '../support/sandbox-oauth';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';
import { installedAppImage, startFeed } from '../support/update-feed';

/**
 * The same flows as test/shell/*.test.ts and test/e2e/electron-double.test.ts,
 * in a real Electron, for machines that have its binary. It is found by looking
 * at files; `require('electron')` would start a download on Electron ≥ 42, so it
 * is never called.
 */
const binary = findElectronBinary();
const TRIAGE = 'Support tickets: intent triage (batch 7)';

function skipWithoutElectron(ctx: { skip(note: string): never }): string {
  if (!binary) ctx.skip('no Electron binary on this machine (node_modules/electron/dist is empty and cannot be downloaded here); set COMPANION_ELECTRON_BINARY to run it');
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) ctx.skip('no display: run the tests under xvfb-run to include the Electron shell');
  return binary as string;
}

async function launch(executable: string, args: string[], env: Record<string, string> = {}): Promise<{ app: ElectronApplication; page: Page }> {
  const app = await _electron.launch({
    executablePath: executable,
    // As npm start runs it: the project folder, so package.json names the app and its version.
    args: [process.cwd(), ...args],
    env: { ...process.env, XDG_CONFIG_HOME: path.join(tempDir(), 'config'), XDG_CACHE_HOME: path.join(tempDir(), 'cache'), ...env } as Record<string, string>,
  });
  const page = await app.firstWindow();
  await page.getByRole('heading', { level: 1, name: 'Assignments' }).waitFor();
  return { app, page };
}

describe('the Electron shell, in Electron', () => {
  it('opens a locked-down window whose page sees only window.companion, under the app:// CSP, and cannot navigate away', async (ctx) => {
    const { app, page } = await launch(skipWithoutElectron(ctx), ['--data-dir', path.join(tempDir(), 'data')]);
    try {
      expect(page.url()).toBe('app://bundle/index.html#/assignments');
      expect(await page.evaluate(() => Object.keys((window as unknown as { companion?: object }).companion ?? {}).sort())).toEqual(['invoke', 'on', 'shell']);
      expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (window as unknown as { process?: unknown }).process)).toBe('undefined');
      const violated = await inlineScriptRefusal(page);
      expect(violated).toBe('script-src-elem');

      await page.evaluate(() => window.location.assign('https://example.com/'));
      await page.waitForTimeout(300);
      expect(page.url().startsWith('app://bundle/')).toBe(true);
      expect(await page.evaluate(() => window.open('https://example.com/'))).toBeNull();

      // A second start with a link: the running app takes it.
      await app.evaluate(({ app: electronApp }) => electronApp.emit('second-instance', {}, ['annotator-companion', 'companion://audit'], process.cwd(), {}));
      await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
      await page.keyboard.press('Control+1');
      await page.getByRole('heading', { level: 1, name: 'Assignments' }).waitFor();
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'electron-window.png') });
    } finally {
      await app.close();
    }
  });

  it('stays in the tray when its window is closed, still receives Push notifications, and quits only after the Prodigy session stopped', async (ctx) => {
    const executable = skipWithoutElectron(ctx);
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ reminderHours: [] }));
    const { app, page } = await launch(executable, ['--data-dir', dataDir, '--server', sb.url, '--tenant', sb.tenant], { PYTHONPATH: path.resolve('sandbox') });
    try {
      // Sign in: the app opens the system browser; the test plays the person on File 360's page.
      const opened = app.evaluate(({ shell }) => new Promise<string>((resolve) => (shell.openExternal = async (url: string) => resolve(url))));
      await page.getByRole('button', { name: 'Sign in with browser' }).click();
      const answer = await submitApprovePage(await opened, { username: 'ana', password: 'ana-password', action: 'allow' });
      await fetch(answer.headers.get('location') ?? '');
      await page.getByTestId('status-user').waitFor({ timeout: 20_000 });

      await page.keyboard.press('Control+2');
      const card = page.getByRole('article', { name: TRIAGE });
      const prodigyWindow = app.waitForEvent('window');
      await card.getByRole('button', { name: 'Start annotating' }).click({ timeout: 30_000 });
      const prodigy = await prodigyWindow;
      await prodigy.getByTestId('task-text').waitFor();

      // Closing the main window leaves the app running.
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().find((w) => w.webContents.getURL().startsWith('app://'))?.close());
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().filter((w) => w.webContents.getURL().startsWith('app://')).map((w) => w.isVisible()))).toEqual([false]);

      sb.push.publish({ users: ['ana'], type: 'relabel.requested', title: 'Relabel requested: Support triage', summary: '12 items drifted.', data: { assignment_id: 'asg-support-triage' } });
      await page.getByRole('navigation', { name: 'Sections' }).getByTestId('unread-badge').waitFor({ timeout: 20_000 });

      const pids = livePids(dataDir);
      expect(pids).toHaveLength(1);
      await app.close();
      expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
    } finally {
      if (app.process().exitCode === null) await app.close();
    }
  });

  it('updates from a generic feed: downloads, verifies and offers "Restart to update"', async (ctx) => {
    const executable = skipWithoutElectron(ctx);
    const feed = await startFeed();
    const marker = path.join(tempDir(), 'started.log');
    const released = await feed.release('0.2.0', { marker });
    const appImage = await installedAppImage(marker);
    const { app, page } = await launch(executable, ['--data-dir', path.join(tempDir(), 'data')], { COMPANION_UPDATE_URL: feed.url, APPIMAGE: appImage });
    try {
      await page.getByRole('button', { name: 'Restart to update to 0.2.0' }).waitFor({ timeout: 60_000 });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'electron-restart-to-update.png') });
      await page.getByRole('button', { name: 'Restart to update to 0.2.0' }).click();
      await app.waitForEvent('close');
      expect(createHash('sha512').update(fs.readFileSync(appImage)).digest('base64')).toBe(createHash('sha512').update(fs.readFileSync(released)).digest('base64'));
    } finally {
      if (app.process().exitCode === null) await app.close();
    }
  });
});

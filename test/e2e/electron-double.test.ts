import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inlineScriptRefusal, screenshot, useChromium, watchForErrors } from '../support/chromium';
import { chromiumRenderer, type ChromiumRenderer } from '../support/electron-double/chromium';
import { runShell, waitFor, type RunningShell } from '../support/electron-double/load';
import type { ElectronDouble } from '../support/electron-double/main-process';
import { submitApprovePage } from '../support/sandbox-oauth';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';
import { installedAppImage, startFeed } from '../support/update-feed';

/**
 * The desktop app as a user meets it where no Electron binary exists: the real
 * dist/electron/main.cjs on the Electron double, its window's page in Chromium
 * through the real dist/electron/preload.cjs (the `window.companion` Electron
 * would give it), served by the app's own app:// handler with its CSP. Next to
 * the browser shell's WebSocket transport, this is the Electron one, end to end.
 */
const chromium = useChromium();
const TRIAGE = 'Support tickets: intent triage (batch 7)';

describe('the desktop app, its page in Chromium through the real preload', () => {
  it('a user closes the window with a session running, a Push notification arrives, a click opens the item and reads it; the update waits for the session, then offers the restart', async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox();
    const feed = await startFeed();
    const marker = path.join(tempDir(), 'started.log');
    const released = await feed.release('0.2.0', { marker });
    const appImage = await installedAppImage(marker);
    // The update is found while the session runs: the feed answers only once it is let through.
    fs.renameSync(path.join(feed.dir, 'latest-linux.yml'), path.join(feed.dir, 'latest-linux.yml.held'));
    const dataDir = path.join(tempDir(), 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    // No due-date reminders: the only notification is the one published below.
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ reminderHours: [] }));

    let renderer: ChromiumRenderer | null = null;
    const shell: RunningShell = runShell({
      dataDir,
      args: ['--server', sb.url, '--tenant', sb.tenant],
      env: { PYTHONPATH: path.resolve('sandbox'), APPIMAGE: appImage },
      resources: { 'app-update.yml': await feed.appUpdateYml() },
      renderer: (electron: () => ElectronDouble) => (renderer = chromiumRenderer(browser, electron)),
    });
    await shell.windowShown();
    const mainWindow = shell.electron.mainWindow();
    if (!mainWindow || !renderer) throw new Error('no window');
    const page = (renderer as ChromiumRenderer).page(mainWindow);
    const errors = watchForErrors(page);

    // The page sees exactly what the preload exposed, and nothing of Node or Electron.
    await page.getByRole('heading', { level: 1, name: 'Assignments' }).waitFor();
    expect(page.url()).toMatch(/^https:\/\/bundle\/index\.html(#\/assignments)?$/);
    expect(await page.evaluate(() => Object.keys((window as unknown as { companion: object }).companion).sort())).toEqual(['invoke', 'on', 'shell']);
    expect(await page.evaluate(() => [typeof (window as unknown as { require?: unknown }).require, typeof (window as unknown as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
    // The CSP from the app:// handler holds in Chromium: an injected inline script does not run.
    const violated = await inlineScriptRefusal(page);
    expect(violated).toBe('script-src-elem');
    expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
    // Navigation away is refused by the app's will-navigate rule; the page stays.
    await page.evaluate(() => window.location.assign('https://example.com/'));
    await page.waitForTimeout(300);
    expect(page.url().startsWith('https://bundle/')).toBe(true);

    // Sign in as a person does: the button, then File 360's page in the browser the app opened.
    await page.getByRole('button', { name: 'Sign in with browser' }).click();
    const authorize = await waitFor(() => shell.electron.opened.find((url) => url.includes('/oauth2/auth')), Boolean, 20_000, 'the sign-in page');
    const answer = await submitApprovePage(authorize ?? '', { username: 'ana', password: 'ana-password', action: 'allow' });
    await fetch(answer.headers.get('location') ?? '');
    await page.getByTestId('status-user').getByText('Signed in as Ana Ruiz').waitFor({ timeout: 20_000 });
    // Ana reviews nothing: the View menu leaves Reviews out, as the sidebar does, and Notifications keeps its key.
    expect(shell.electron.applicationMenu?.item('Reviews')).toMatchObject({ visible: false, accelerator: 'CmdOrCtrl+4' });
    expect(shell.electron.applicationMenu?.item('Notifications')).toMatchObject({ visible: true, accelerator: 'CmdOrCtrl+5' });

    // A Prodigy session, in its own window (its own partition, its Basic auth answered by the app).
    await page.keyboard.press('Control+2');
    const card = page.getByRole('article', { name: TRIAGE });
    await card.getByRole('button', { name: 'Start annotating' }).click({ timeout: 30_000 });
    await expect.poll(() => card.getByTestId('session-state').textContent(), { timeout: 20_000 }).toBe('Running');
    const prodigyWindow = await waitFor(() => [...shell.electron.windows].find((w) => w.options.webPreferences?.partition === 'prodigy'), Boolean, 20_000, 'the Prodigy window');
    const prodigy = await (renderer as ChromiumRenderer).pageOf(prodigyWindow as NonNullable<typeof prodigyWindow>);
    await prodigy.getByTestId('task-text').waitFor();
    await screenshot(prodigy, 'electron-double-prodigy-window');

    // The update comes in now; it waits for the session.
    fs.renameSync(path.join(feed.dir, 'latest-linux.yml.held'), path.join(feed.dir, 'latest-linux.yml'));
    await shell.call('updates.check');
    await page.getByTestId('status-update').getByText(`Update 0.2.0 is ready; it waits for the Prodigy session for “${TRIAGE}”`).waitFor({ timeout: 30_000 });
    expect(shell.electron.tray().menu?.item(`Update 0.2.0 waits for the Prodigy session for “${TRIAGE}”`)).toMatchObject({ enabled: false });

    // The user closes the window: the app stays in the tray, and says so once.
    mainWindow.close();
    expect(mainWindow.isVisible()).toBe(false);
    expect(shell.electron.notifications.map((n) => n.options.title)).toContain('Annotator Companion is still running');

    // A Push notification about the assignment arrives while the window is closed.
    await waitFor(() => shell.call('app.status'), (status) => status.push === 'live', 20_000, 'the Push stream');
    sb.push.publish({ users: ['ana'], type: 'relabel.requested', title: 'Relabel requested: Support triage', summary: '12 items drifted; please look again.', data: { assignment_id: 'asg-support-triage' } });
    const notification = await waitFor(() => shell.electron.notifications.find((n) => n.options.title === 'Relabel requested: Support triage'), Boolean, 20_000, 'the notification');
    await page.getByRole('navigation', { name: 'Sections' }).getByTestId('unread-badge').waitFor();
    notification?.click();

    // The window opens at the assignment, and the notification is read.
    await waitFor(() => mainWindow.isVisible(), Boolean);
    await page.getByRole('heading', { level: 1, name: TRIAGE }).waitFor();
    expect(page.url()).toBe('https://bundle/index.html#/assignments/asg-support-triage');
    await expect.poll(() => page.getByRole('navigation', { name: 'Sections' }).getByTestId('unread-badge').count()).toBe(0);
    const list = await shell.call('notifications.list', {});
    expect(list.items.find((item) => item.title === 'Relabel requested: Support triage')).toMatchObject({ read: true });
    expect(list.unread).toBe(0);
    await screenshot(page, 'electron-double-notification-opened');

    // Stopping the session: now the restart is offered, in the status area and the tray.
    await page.keyboard.press('Control+2');
    await page.getByRole('article', { name: TRIAGE }).getByRole('button', { name: 'Stop' }).click();
    const restart = page.getByRole('button', { name: 'Restart to update to 0.2.0' });
    await restart.waitFor({ timeout: 20_000 });
    expect(shell.electron.tray().menu?.item('Restart to Update (0.2.0)')).not.toBeNull();
    await screenshot(page, 'electron-double-restart-to-update');
    await page.keyboard.press('Control+7');
    await page.getByTestId('updates-card').getByText('Ready to install (version 0.2.0)').waitFor();
    await page.getByRole('group', { name: 'Desktop' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'electron-double-settings');
    // The one console error is Chromium reporting the inline script it refused above.
    expect(errors).toEqual([expect.stringMatching(/^Executing inline script violates the following Content Security Policy directive 'script-src 'self''/)]);

    await restart.click();
    expect(await shell.electron.app.exited).toBe(0);
    expect(createHash('sha512').update(fs.readFileSync(appImage)).digest('base64')).toBe(createHash('sha512').update(fs.readFileSync(released)).digest('base64'));
    await waitFor(() => (fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : ''), (text) => text.includes('0.2.0 started'));
    await shell.quit();
  }, 120_000);
});

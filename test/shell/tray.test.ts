import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runShell, signedInShell, waitFor, type RunningShell } from '../support/electron-double/load';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

/** Life in the tray: the real dist/electron/main.cjs on the Electron double. */
async function started(options: Parameters<typeof runShell>[0] = {}): Promise<RunningShell> {
  const shell = runShell(options);
  await shell.windowShown();
  return shell;
}

const EXPLAINED = 'Annotator Companion is still running';
/** electron/login-item.ts's flag (that module needs Electron, so it is not imported here). */
const HIDDEN_FLAG = '--hidden';

describe('the app in the tray', () => {
  it('says in the tray what it is doing, opens from the tray, and quits from its menu', async () => {
    const shell = await started();
    const tray = shell.electron.tray();
    expect(tray.toolTip).toBe('Annotator Companion — No server set · 0 items waiting to upload');
    expect(tray.menu?.labels()).toEqual(['No server set · 0 items waiting to upload', 'separator', 'Open Annotator Companion', 'Quit']);
    expect(tray.menu?.item('No server set · 0 items waiting to upload')?.enabled).toBe(false);
    expect(shell.electron.app.getBadgeCount()).toBe(0);

    shell.electron.mainWindow()?.hide();
    tray.click();
    expect(shell.electron.mainWindow()?.isVisible()).toBe(true);
    shell.electron.mainWindow()?.hide();
    tray.menu?.click('Open Annotator Companion');
    expect(shell.electron.mainWindow()?.isVisible()).toBe(true);

    tray.menu?.click('Quit');
    expect(await shell.electron.app.exited).toBe(0);
    await shell.quit();
  });

  it('keeps running when the window is closed, explains it the first time only, and File → Quit still quits', async () => {
    const shell = await started();
    await shell.call('app.takePendingRoute');
    const window = shell.electron.mainWindow();
    window?.close();
    expect(window?.isDestroyed()).toBe(false);
    expect(window?.isVisible()).toBe(false);
    const explained = shell.electron.notifications.filter((n) => n.options.title === EXPLAINED);
    expect(explained.map((n) => n.options.body)).toEqual([
      'Closing the window leaves it in the tray, so notifications, reminders, sync and uploads go on. Quit from the tray menu; Settings → Desktop changes this.',
    ]);
    expect(explained[0]?.shown).toBe(true);
    // Still working with the window closed.
    expect((await shell.call('app.status')).connection).toBe('not-configured');
    expect(shell.electron.app.exitCode).toBeNull();

    window?.show();
    window?.close();
    expect(shell.electron.notifications.filter((n) => n.options.title === EXPLAINED)).toHaveLength(1);
    // Its click leads to the setting.
    explained[0]?.click();
    await waitFor(() => shell.events('navigate'), (routes) => routes.length === 1);
    expect(shell.events('navigate')).toEqual([{ section: 'settings' }]);
    expect(window?.isVisible()).toBe(true);

    window?.close();
    shell.electron.applicationMenu?.clickRole('quit');
    expect(await shell.electron.app.exited).toBe(0);
    await shell.quit();
  });

  it('quits when the window closes if the user turned the tray off', async () => {
    const shell = await started();
    await shell.call('settings.update', { values: { keepInTray: false } });
    shell.electron.mainWindow()?.close();
    expect(await shell.electron.app.exited).toBe(0);
    expect(shell.electron.notifications.filter((n) => n.options.title === EXPLAINED)).toEqual([]);
    await shell.quit();
  });

  it('remembers that it explained the tray, across restarts', async () => {
    const first = await started();
    first.electron.mainWindow()?.close();
    expect(first.electron.notifications.filter((n) => n.options.title === EXPLAINED)).toHaveLength(1);
    expect(await first.quit()).toBe(0);

    const again = await started({ dataDir: first.dataDir });
    again.electron.mainWindow()?.close();
    expect(again.electron.notifications.filter((n) => n.options.title === EXPLAINED)).toEqual([]);
    expect(await again.quit()).toBe(0);
  });

  it('opens at login through an XDG autostart entry on Linux, in the tray, and removes it when turned off', async () => {
    const appImage = path.join(tempDir(), 'My Apps', 'Annotator Companion $1.AppImage');
    const shell = await started({ env: { APPIMAGE: appImage } });
    const entry = path.join(process.env.XDG_CONFIG_HOME ?? '', 'autostart', 'annotator-companion.desktop');
    expect(fs.existsSync(entry)).toBe(false);
    await shell.call('settings.update', { values: { openAtLogin: true } });
    await waitFor(() => fs.existsSync(entry), Boolean);
    const text = fs.readFileSync(entry, 'utf8');
    expect(text.split('\n')).toEqual([
      '[Desktop Entry]',
      'Type=Application',
      'Name=Annotator Companion',
      'Comment=Keeps your File 360 assignments, Prodigy sessions and uploads going',
      `Exec="${path.dirname(appImage)}/Annotator Companion \\$1.AppImage" --hidden`,
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ]);
    expect((fs.statSync(entry).mode & 0o777).toString(8)).toBe('644');
    const audit = (await shell.call('audit.list', { type: 'settings.changed', limit: 10 })).entries.map((e) => e.details);
    expect(audit).toEqual([{ key: 'openAtLogin', from: false, to: true }]);

    await shell.call('settings.update', { values: { openAtLogin: false } });
    await waitFor(() => fs.existsSync(entry), (exists) => !exists);
    expect(await shell.quit()).toBe(0);
  });

  it('uses Electron’s login item where there is one (macOS, Windows), asking to start hidden', async () => {
    const shell = await started();
    const platform = Object.getOwnPropertyDescriptor(process, 'platform');
    Object.defineProperty(process, 'platform', { value: 'win32' });
    try {
      await shell.call('settings.update', { values: { openAtLogin: true } });
    } finally {
      if (platform) Object.defineProperty(process, 'platform', platform);
    }
    await waitFor(() => shell.electron.calls('app.setLoginItemSettings'), (calls) => calls.length === 1);
    expect(shell.electron.calls('app.setLoginItemSettings')).toEqual([[{ openAtLogin: true, args: [HIDDEN_FLAG] }]]);
    expect(await shell.quit()).toBe(0);
  });

  it('started at login (--hidden) stays in the tray until opened', async () => {
    const shell = runShell({ args: [HIDDEN_FLAG] });
    await shell.loaded;
    await waitFor(() => shell.electron.trays.length, (n) => n === 1, 20_000, 'the tray icon');
    expect(shell.electron.windows.size).toBe(0);
    shell.electron.tray().menu?.click('Open Annotator Companion');
    await shell.windowShown();
    expect(shell.electron.mainWindow()?.isVisible()).toBe(true);
    expect(await shell.quit()).toBe(0);
  });

  it('with the window closed, a Push notification clicked opens the item it is about and marks it read; the badge follows', async () => {
    const sb = await sandbox();
    // No reminders of the sample assignments' due dates: the only notifications are the ones published here.
    const dataDir = path.join(tempDir(), 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ reminderHours: [] }));
    const shell = await signedInShell(sb, { dataDir });
    await shell.call('app.takePendingRoute');
    await waitFor(() => shell.call('app.status'), (status) => status.push === 'live', 20_000, 'the Push stream');
    shell.electron.mainWindow()?.close();
    expect(shell.electron.mainWindow()?.isVisible()).toBe(false);

    sb.push.publish({ users: ['ana'], type: 'annotation.rejected', title: 'Answers sent back', summary: 'Maria asks you to look at 3 items again.', data: { assignment_id: 'asg-support-triage' } });
    const notification = await waitFor(() => shell.electron.notifications.find((n) => n.options.title === 'Answers sent back'), Boolean, 20_000, 'the native notification');
    expect(notification?.options.body).toBe('Maria asks you to look at 3 items again.');
    await waitFor(() => shell.electron.app.getBadgeCount(), (count) => count === 1);
    expect(shell.electron.tray().toolTip).toContain('1 unread notification');
    expect(shell.electron.tray().menu?.item('Notifications (1 unread)…')).not.toBeNull();

    notification?.click();
    await waitFor(() => shell.events('navigate'), (routes) => routes.length === 1);
    expect(shell.events('navigate')).toEqual([{ section: 'assignments', id: 'asg-support-triage' }]);
    expect(shell.electron.mainWindow()?.isVisible()).toBe(true);
    const list = await shell.call('notifications.list', {});
    expect(list.items.find((item) => item.title === 'Answers sent back')).toMatchObject({ read: true });
    expect(list.unread).toBe(0);
    await waitFor(() => shell.electron.app.getBadgeCount(), (count) => count === 0);
    expect(shell.electron.tray().menu?.labels().some((label) => label.startsWith('Notifications ('))).toBe(false);

    // The tray's unread line leads to the notification center.
    sb.push.publish({ users: ['ana'], type: 'dataset.ready', title: 'Dataset complete', summary: 'All items are in.', data: {} });
    await waitFor(() => shell.electron.tray().menu?.item('Notifications (1 unread)…') ?? null, Boolean);
    shell.electron.tray().menu?.click('Notifications (1 unread)…');
    await waitFor(() => shell.events('navigate'), (routes) => routes.length === 2);
    expect(shell.events('navigate').at(-1)).toEqual({ section: 'notifications' });
    expect(await shell.quit()).toBe(0);
  }, 60_000);
});

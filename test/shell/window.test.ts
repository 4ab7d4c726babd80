import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { rendererCsp } from '../../electron/core/kernel/platform/renderer-files';
import { APP_FRAME, MAIN_BUNDLE, PRELOAD_BUNDLE, runShell, waitFor, type RunningShell } from '../support/electron-double/load';
import type { BrowserWindowDouble } from '../support/electron-double/main-process';

/**
 * The real dist/electron/main.cjs on the Electron double: the window, the
 * app:// scheme, IPC, and what web content may do, as DESIGN §4 and
 * electron/policy.ts say, asked the way Electron asks.
 */
async function started(options: Parameters<typeof runShell>[0] = {}): Promise<RunningShell & { window: BrowserWindowDouble }> {
  const shell = runShell(options);
  await shell.windowShown();
  const window = shell.electron.mainWindow();
  if (!window) throw new Error('no window');
  return Object.assign(shell, { window });
}

function logText(shell: RunningShell): string {
  const dir = path.join(shell.dataDir, 'logs');
  return fs.readdirSync(dir).map((name) => fs.readFileSync(path.join(dir, name), 'utf8')).join('\n');
}

describe('the desktop window', () => {
  it('is sandboxed and isolated, with the bundled preload, and loads the app from app://bundle', async () => {
    const shell = await started();
    expect(shell.window.options.webPreferences).toEqual({
      preload: PRELOAD_BUNDLE,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    });
    expect(shell.electron.calls('window.loadURL')).toEqual([['app://bundle/index.html']]);
    expect(shell.window.isVisible()).toBe(true);
    // Before ready, as Electron requires: the scheme's privileges and the sandbox for every renderer.
    const whats = shell.electron.asked.map((entry) => entry.what);
    expect(whats.slice(0, 2)).toEqual(['protocol.registerSchemesAsPrivileged', 'app.enableSandbox']);
    expect(shell.electron.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    // Chromium's profile goes where the app's data is.
    expect(shell.electron.calls('app.setPath')).toEqual([['userData', shell.dataDir]]);
    expect(shell.electron.calls('app.setAsDefaultProtocolClient')).toEqual([['companion']]);
    expect(await shell.quit()).toBe(0);
  });

  it('serves the renderer over app:// with the strict CSP, and nothing outside it', async () => {
    const shell = await started();
    const page = await shell.electron.fetch('app://bundle/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(rendererCsp());
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    expect((await shell.electron.fetch('app://bundle/')).status).toBe(200);
    const script = html.match(/src="\/(assets\/[^"]+\.js)"/)?.[1];
    const asset = await shell.electron.fetch(`app://bundle/${script}`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');

    for (const outside of [
      'app://bundle/%2e%2e/%2e%2e/package.json',
      'app://bundle/..%2f..%2fpackage.json',
      'app://bundle/..%5c..%5cpackage.json',
      'app://bundle/index.html%00.js',
      'app://bundle/electron/main.cjs',
      'app://other/index.html',
      'app://bundle/missing.js',
    ]) {
      const response = await shell.electron.fetch(outside);
      expect({ outside, status: response.status }).toEqual({ outside, status: 404 });
    }
    expect(fs.existsSync(MAIN_BUNDLE)).toBe(true);
    expect(await shell.quit()).toBe(0);
  });

  it('answers IPC from its own top frame only; a foreign page or a sub-frame is refused and logged', async () => {
    const shell = await started();
    expect(await shell.raw('app.info')).toMatchObject({ ok: true, value: { shell: 'electron', name: 'Annotator Companion' } });
    for (const frame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'app://bundle/index.html', parent: APP_FRAME },
      { url: 'app://bundle.evil.example/index.html', parent: null },
      { url: 'http://127.0.0.1:8080/', parent: null },
      null,
    ]) {
      expect(await shell.raw('app.info', {}, frame)).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN_SENDER', message: 'That request came from a page the app does not trust, so it was refused.' },
      });
    }
    expect(await shell.raw('no.such.method')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    // The log is written asynchronously.
    await waitFor(() => logText(shell), (text) => text.includes('refused IPC from an untrusted frame') && text.includes('https://evil.example/'));
    expect(await shell.quit()).toBe(0);
  });

  it('refuses navigation away from the app, new windows (links go to the browser, web links only) and webviews, in every web contents', async () => {
    const shell = await started();
    const contents = shell.window.webContents;
    expect(contents.navigate('https://example.com/')).toBe(false);
    expect(contents.navigate('app://bundle.example.com/index.html')).toBe(false);
    expect(contents.navigate('app://user:pass@bundle/index.html')).toBe(false);
    expect(contents.navigate('file:///etc/passwd')).toBe(false);
    expect(contents.navigate('app://bundle/index.html#/audit')).toBe(true);
    expect(contents.redirect('https://example.com/')).toBe(false);

    expect(contents.openWindow('https://docs.example.org/guide?x=1')).toEqual({ action: 'deny' });
    expect(contents.openWindow('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(contents.openWindow('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(contents.openWindow('companion://reviews/esc-1')).toEqual({ action: 'deny' });
    expect(shell.electron.opened).toEqual(['https://docs.example.org/guide?x=1']);
    expect(contents.attachWebview('https://example.com/')).toBe(false);

    // A web contents the app never meant to make gets the same rules.
    const { BrowserWindow } = shell.electron.module as { BrowserWindow: new (options: object) => BrowserWindowDouble };
    const stray = new BrowserWindow({});
    expect(stray.webContents.navigate('https://example.com/')).toBe(false);
    expect(stray.webContents.navigate('app://bundle/index.html')).toBe(true);
    expect(stray.webContents.openWindow('https://example.com/')).toEqual({ action: 'deny' });
    stray.destroy();
    expect(await shell.quit()).toBe(0);
  });

  it('grants notifications to its own window’s page only, and nothing else to anyone', async () => {
    const shell = await started();
    const session = shell.electron.defaultSession;
    const own = shell.window.webContents;
    const page = { requestingUrl: 'app://bundle/index.html', isMainFrame: true };
    expect(await session.request(own, 'notifications', page)).toBe(true);
    expect(await session.request(own, 'notifications', { ...page, isMainFrame: false })).toBe(false);
    expect(await session.request(own, 'notifications', { requestingUrl: 'https://example.com/', isMainFrame: true })).toBe(false);
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen'] as const) expect(await session.request(own, permission, page)).toBe(false);
    const { BrowserWindow } = shell.electron.module as { BrowserWindow: new (options: object) => BrowserWindowDouble };
    const other = new BrowserWindow({});
    expect(await session.request(other.webContents, 'notifications', page)).toBe(false);
    expect(session.check(own, 'notifications', 'app://bundle', page)).toBe(true);
    expect(session.check(own, 'geolocation', 'app://bundle', page)).toBe(false);
    expect(session.check(null, 'notifications', 'app://bundle', page)).toBe(false);
    other.destroy();
    expect(await shell.quit()).toBe(0);
  });

  it('opens a deep link given at first start once the page asks, and one from a second instance at once', async () => {
    const shell = await started({ args: ['companion://reviews/esc-9'] });
    expect(await shell.call('app.takePendingRoute')).toEqual({ section: 'reviews', id: 'esc-9' });

    // Windows and Linux start a second instance with the link; the first one takes it.
    shell.window.hide();
    shell.window.minimized = true;
    shell.electron.secondInstance(['/opt/Annotator Companion/annotator-companion', '--', 'companion://assignments/asg-3']);
    await waitFor(() => shell.events('navigate'), (routes) => routes.length === 1);
    expect(shell.events('navigate')).toEqual([{ section: 'assignments', id: 'asg-3' }]);
    expect(shell.window.isVisible()).toBe(true);
    expect(shell.window.isMinimized()).toBe(false);

    // A malformed link shows nothing and is logged; a plain second start just brings the window forward.
    shell.electron.secondInstance(['annotator-companion', 'companion://nowhere/../../etc']);
    shell.window.hide();
    shell.electron.secondInstance(['annotator-companion']);
    expect(shell.window.isVisible()).toBe(true);
    // macOS hands links over with open-url.
    expect(shell.electron.openUrl('companion://outbox')).toBe(true);
    await waitFor(() => shell.events('navigate').length, (n) => n === 2);
    expect(shell.events('navigate').at(-1)).toEqual({ section: 'outbox' });
    await waitFor(() => logText(shell), (text) => text.includes('ignored a malformed deep link'));
    expect(await shell.quit()).toBe(0);
  });

  it('has the standard menu with the sections, the data folder and updates', async () => {
    const shell = await started();
    await shell.call('app.takePendingRoute');
    const menu = shell.electron.applicationMenu;
    expect(menu?.labels()).toEqual(['File', 'editMenu', 'View', 'windowMenu', 'help']);
    expect(menu?.item('Settings…')).toMatchObject({ accelerator: 'CmdOrCtrl+,' });
    expect(menu?.item('Audit')).toMatchObject({ accelerator: 'CmdOrCtrl+6' });
    menu?.click('Audit');
    menu?.click('Settings…');
    await waitFor(() => shell.events('navigate'), (routes) => routes.length === 2);
    expect(shell.events('navigate')).toEqual([{ section: 'audit' }, { section: 'settings' }]);
    menu?.click('Open Data Folder');
    expect(shell.electron.calls('shell.openPath')).toEqual([[shell.dataDir]]);
    menu?.click('Check for Updates…');
    await waitFor(() => shell.events('navigate').length, (n) => n === 3);
    expect(menu?.role('quit')).toEqual({ role: 'quit' });
    // A packaged build has no developer tools in its menu.
    expect(menu?.role('toggleDevTools')).toBeNull();
    expect(await shell.quit()).toBe(0);
  });

  it('gives way to the instance already running: no window, no data touched', async () => {
    const shell = runShell({ lockTaken: true });
    expect(await shell.electron.app.exited).toBe(0);
    expect(shell.electron.windows.size).toBe(0);
    expect(fs.existsSync(path.join(shell.dataDir, 'companion.db'))).toBe(false);
    await shell.quit();
  });

  it('says what is wrong with a bad flag and exits before anything starts', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });
    let failure: Error & { electron?: { errorBoxes: unknown[]; windows: Set<unknown> } } = new Error('runShell did not fail');
    try {
      runShell({ args: ['--server', 'ftp://file360.example.com'] });
    } catch (error) {
      failure = error as typeof failure;
    } finally {
      exit.mockRestore();
    }
    expect(failure.message).toBe('exit 2');
    expect(failure.electron?.errorBoxes).toEqual([{ title: 'Annotator Companion could not start', content: expect.stringContaining('--server is not valid') }]);
    expect(failure.electron?.windows.size).toBe(0);
  });

  it('says why it could not start when another app holds the data folder, and exits 1', async () => {
    const shell = runShell();
    fs.mkdirSync(shell.dataDir, { recursive: true });
    // Process 1 is alive, so the lock is not a leftover from a crash.
    fs.writeFileSync(path.join(shell.dataDir, 'companion.lock'), '1');
    await shell.loaded;
    expect(await shell.electron.app.exited).toBe(1);
    expect(shell.electron.errorBoxes).toEqual([{ title: 'Annotator Companion could not start', content: expect.stringContaining('is already running with the data folder') }]);
    await shell.quit();
  });
});

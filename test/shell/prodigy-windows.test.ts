import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../electron/core/services/prodigy/process';
import { signedInShell, waitFor, type RunningShell } from '../support/electron-double/load';
import type { BrowserWindowDouble } from '../support/electron-double/main-process';
import { livePids } from '../support/prodigy';
import { sandbox } from '../support/sandbox-file360';

const TRIAGE = 'asg-support-triage';

async function syncedShell(): Promise<RunningShell> {
  const sb = await sandbox();
  // The Prodigy stand-in answers to `python3 -m prodigy` with sandbox/ on PYTHONPATH.
  const shell = await signedInShell(sb, { env: { PYTHONPATH: path.resolve('sandbox') } });
  await waitFor(() => shell.call('assignments.list'), (list) => list.length > 0 && list.every((a) => ['synced', 'problem', 'wiped'].includes(a.sync.state)), 30_000, 'the sync');
  return shell;
}

function prodigyWindow(shell: RunningShell): BrowserWindowDouble {
  const window = [...shell.electron.windows].find((candidate) => candidate.options.webPreferences?.partition === 'prodigy');
  if (!window) throw new Error('no Prodigy window');
  return window;
}

describe('Prodigy in its own window', () => {
  it('opens in a separate partition with no preload and no permissions, answers its Basic auth for it alone, and stays on its origin', async () => {
    const shell = await syncedShell();
    await shell.call('sessions.start', { assignmentId: TRIAGE });
    expect(await shell.call('sessions.open', { assignmentId: TRIAGE })).toBeDefined();
    const window = prodigyWindow(shell);
    expect(window.options).toMatchObject({
      title: expect.stringContaining('Support tickets'),
      webPreferences: { partition: 'prodigy', contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
    expect(window.options.webPreferences?.preload).toBeUndefined();
    const url = window.webContents.getURL();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?session=u-ana$/);

    // Basic auth: answered from memory for this window and its origin only.
    const credentials = await shell.electron.login(window.webContents, `${new URL(url).origin}/project`);
    expect(credentials?.username).toBeTruthy();
    const authorization = `Basic ${Buffer.from(`${credentials?.username}:${credentials?.password}`).toString('base64')}`;
    expect((await fetch(`${new URL(url).origin}/project`, { headers: { authorization } })).status).toBe(200);
    expect(await shell.electron.login(shell.electron.mainWindow()?.webContents ?? null, `${new URL(url).origin}/project`)).toBeNull();
    expect(await shell.electron.login(window.webContents, 'http://127.0.0.1:1/project')).toBeNull();
    expect(await shell.electron.login(window.webContents, `${new URL(url).origin}/project`, true)).toBeNull();
    expect(await shell.electron.login(null, `${new URL(url).origin}/project`)).toBeNull();

    // Its partition grants nothing, not even notifications; it may move within its own origin only.
    const partition = shell.electron.sessions.get('prodigy');
    expect(await partition?.request(window.webContents, 'notifications', { requestingUrl: url, isMainFrame: true })).toBe(false);
    expect(partition?.check(window.webContents, 'notifications', new URL(url).origin, { requestingUrl: url, isMainFrame: true })).toBe(false);
    expect(window.webContents.navigate(`${new URL(url).origin}/?session=u-ana&view=help`)).toBe(true);
    expect(window.webContents.navigate('app://bundle/index.html')).toBe(false);
    expect(shell.electron.messageBoxes).toHaveLength(0);

    // A link out of a Prodigy page (task content from File 360) asks first, showing the address; Cancel opens nothing.
    expect(window.webContents.navigate('https://example.com/guide?x=1')).toBe(false);
    await waitFor(() => shell.electron.messageBoxes.length, (count) => count === 1, 5_000, 'the question');
    expect(shell.electron.messageBoxes[0]).toMatchObject({ message: 'Open example.com in your browser?', detail: expect.stringContaining('https://example.com/guide?x=1') });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(shell.electron.opened).not.toContain('https://example.com/guide?x=1');
    // Saying yes opens it in the browser; a window.open goes the same way and never opens a window.
    shell.electron.messageBoxAnswers.push(0);
    expect(window.webContents.openWindow('https://example.com/popup')).toEqual({ action: 'deny' });
    await waitFor(() => shell.electron.opened, (opened) => opened.includes('https://example.com/popup'), 5_000, 'the link to open');
    // A link that is not web (file:, javascript:) is dropped without a question.
    expect(window.webContents.navigate('file:///etc/passwd')).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(shell.electron.messageBoxes).toHaveLength(2);

    // Sub-frames may show Prodigy's own pages or an empty document, nothing else; the app's own page has none.
    expect(window.webContents.navigateFrame(`${new URL(url).origin}/help`, false)).toBe(true);
    expect(window.webContents.navigateFrame('about:blank', false)).toBe(true);
    expect(window.webContents.navigateFrame('https://example.com/', false)).toBe(false);
    expect(shell.electron.mainWindow()?.webContents.navigateFrame('https://example.com/', false)).toBe(false);

    // Prodigy sends no CSP of its own: its partition's answers get one, with frame-ancestors 'none'.
    const headers = await partition?.webRequest.headersReceived(url, { 'content-type': ['text/html'], 'X-Frame-Options': ['SAMEORIGIN'] });
    expect(headers?.['Content-Security-Policy']?.[0]).toContain("frame-ancestors 'none'");
    expect(headers?.['X-Frame-Options']).toEqual(['DENY']);
    expect(headers?.['content-type']).toEqual(['text/html']);
    expect(shell.electron.defaultSession.webRequest.headersListener).toBeNull();
    // No IPC for it either.
    expect(await shell.raw('app.info', {}, { url, parent: null })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });

    // Opening again brings the same window forward.
    window.hide();
    await shell.call('sessions.open', { assignmentId: TRIAGE });
    expect([...shell.electron.windows].filter((candidate) => candidate.options.webPreferences?.partition === 'prodigy')).toEqual([window]);
    expect(window.isVisible()).toBe(true);

    // Stopping the session closes its window.
    await shell.call('sessions.stop', { assignmentId: TRIAGE });
    expect(window.isDestroyed()).toBe(true);
    expect(await shell.quit()).toBe(0);
  });

  it('quits only after every Prodigy session has stopped', async () => {
    const shell = await syncedShell();
    await shell.call('sessions.start', { assignmentId: TRIAGE });
    await shell.call('sessions.open', { assignmentId: TRIAGE });
    const [pid] = livePids(shell.dataDir);
    expect(pid).toBeDefined();
    const aliveAtQuit: boolean[] = [];
    shell.electron.app.on('quit', () => aliveAtQuit.push(isAlive(pid ?? 0)));

    // Quit from the tray, with the main window closed to the tray and Prodigy's window open.
    shell.electron.mainWindow()?.close();
    shell.electron.tray().menu?.click('Quit');
    expect(await shell.electron.app.exited).toBe(0);
    expect(aliveAtQuit).toEqual([false]);
    expect(isAlive(pid ?? 0)).toBe(false);
    expect(shell.electron.windows.size).toBe(0);
    await shell.quit();
  });
});

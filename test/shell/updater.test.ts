import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../shared/api/schemas/updates';
import { runShell, waitFor, type RunningShell } from '../support/electron-double/load';
import { tempDir } from '../support/tmp';
import { fakeAppImage, startFeed, type Feed } from '../support/update-feed';

/**
 * electron-updater itself, bundled in dist/electron/main.cjs, against an update
 * feed electron-builder's own code wrote, over real HTTP on 127.0.0.1. Only
 * Electron's API is a double (its `net.request` is carried by Node's http).
 */
const require = createRequire(import.meta.url);
const { appendBlockmap } = require('app-builder-lib/out/targets/differentialUpdateInfoBuilder') as { appendBlockmap(file: string): Promise<unknown> };

/** The AppImage this computer runs (APPIMAGE), version 0.1.0, built like a release. */
async function installedAppImage(marker: string): Promise<string> {
  const file = path.join(tempDir(), 'Annotator_Companion.AppImage');
  fs.writeFileSync(file, fakeAppImage('0.1.0', marker), { mode: 0o755 });
  await appendBlockmap(file);
  return file;
}

async function packagedShell(feed: Feed, appImage: string, extra: { args?: string[]; env?: Record<string, string>; version?: string; dataDir?: string } = {}): Promise<RunningShell> {
  const shell = runShell({ resources: { 'app-update.yml': await feed.appUpdateYml() }, env: { APPIMAGE: appImage, ...extra.env }, args: extra.args, version: extra.version, dataDir: extra.dataDir });
  await shell.windowShown();
  return shell;
}

const states = (shell: RunningShell) => shell.events('updates.changed').map((status) => status.state);
const settled = (shell: RunningShell, state: UpdateStatus['state'], after = 0) =>
  waitFor(() => shell.events('updates.changed').slice(after), (list) => list.some((status) => status.state === state), 60_000, `update state ${state}`);

async function auditOf(shell: RunningShell, type: string) {
  const page = await shell.call('audit.list', { limit: 200 });
  return page.entries.filter((entry) => entry.type === type).map((entry) => entry.details);
}

describe('updates in the desktop shell, through electron-updater', () => {
  it('finds an update, shows progress, refuses a download that fails its sha512, takes the good one, offers the restart and installs after the app closed', async () => {
    const feed = await startFeed();
    const marker = path.join(tempDir(), 'started.log');
    const released = await feed.release('0.2.0', { marker });
    const publishedSha512 = createHash('sha512').update(fs.readFileSync(released)).digest('base64');
    feed.tamper('0.2.0');
    // Slow enough that electron-updater reports progress (it does once a second).
    feed.throttle(1024 * 1024);
    const appImage = await installedAppImage(marker);
    const shell = await packagedShell(feed, appImage);

    // The feed comes from app-update.yml, which electron-builder wrote from electron-builder.yml's `publish`.
    await settled(shell, 'failed');
    const refused = shell.events('updates.changed').find((status) => status.state === 'failed');
    expect(refused?.message).toBe(
      'Version 0.2.0 was downloaded but did not match the checksum (sha512) the update server published, so it was thrown away and not installed. The app tries again at the next check.',
    );
    expect(states(shell)).toEqual(expect.arrayContaining(['downloading', 'failed']));
    const progress = shell.events('updates.changed').flatMap((status) => (status.progress ? [status.progress.percent] : []));
    expect(progress.some((percent) => percent > 0 && percent < 100)).toBe(true);
    expect(await auditOf(shell, 'update.checked')).toEqual([expect.objectContaining({ channel: 'stable', current: '0.1.0', offered: '0.2.0' })]);
    expect(await auditOf(shell, 'update.refused')).toEqual([
      expect.objectContaining({ version: '0.2.0', expectedSha512: publishedSha512, reason: expect.stringContaining('sha512 checksum mismatch') }),
    ]);
    expect(await auditOf(shell, 'update.downloaded')).toEqual([]);
    // Nothing unverified is left where the installer would take it from.
    const pending = path.join(process.env.XDG_CACHE_HOME ?? '', 'annotator-companion-updater', 'pending');
    expect(fs.existsSync(pending) ? fs.readdirSync(pending).filter((name) => name.endsWith('.AppImage')) : []).toEqual([]);
    expect(shell.electron.tray().menu?.item('Restart to Update (0.2.0)')).toBeNull();

    // The mirror is fixed; the user asks again (Settings → Check now).
    feed.restore('0.2.0');
    const before = shell.events('updates.changed').length;
    await shell.call('updates.check');
    await settled(shell, 'ready', before);
    const ready = await shell.call('updates.status');
    expect(ready).toMatchObject({ state: 'ready', version: '0.2.0', canRestart: true, waitingFor: [], message: null });
    expect(await auditOf(shell, 'update.downloaded')).toEqual([{ version: '0.2.0', sha512: publishedSha512, size: fs.statSync(released).size }]);
    const downloaded = fs.readdirSync(pending).find((name) => name.endsWith('.AppImage')) ?? '';
    expect(createHash('sha512').update(fs.readFileSync(path.join(pending, downloaded))).digest('base64')).toBe(publishedSha512);
    // Offered, in the tray and as a notification, since no session runs and nothing uploads.
    await waitFor(() => shell.electron.notifications.map((n) => n.options.title), (titles) => titles.includes('Annotator Companion 0.2.0 is ready to install'));
    await waitFor(() => shell.electron.tray().menu?.item('Restart to Update (0.2.0)') ?? null, Boolean);

    shell.electron.tray().menu?.click('Restart to Update (0.2.0)');
    expect(await shell.electron.app.exited).toBe(0);
    // The AppImage was replaced by the verified download and the new version started.
    expect(createHash('sha512').update(fs.readFileSync(appImage)).digest('base64')).toBe(publishedSha512);
    await waitFor(() => (fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : ''), (text) => text.includes('0.2.0 started'));
    await shell.quit();

    // The next start, as 0.2.0, records what was installed.
    const next = await packagedShell(feed, appImage, { version: '0.2.0', dataDir: shell.dataDir });
    expect(await auditOf(next, 'update.install_requested')).toEqual([{ from: '0.1.0', to: '0.2.0' }]);
    expect(await auditOf(next, 'update.installed')).toEqual([{ from: '0.1.0', to: '0.2.0' }]);
    await waitFor(() => next.call('updates.status'), (status) => status.state === 'idle', 30_000);
    expect(await next.quit()).toBe(0);
  });
});

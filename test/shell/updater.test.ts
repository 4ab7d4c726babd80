import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../shared/api/schemas/updates';
import { runShell, waitFor, type RunningShell } from '../support/electron-double/load';
import { tempDir } from '../support/tmp';
import { installedAppImage, startFeed, type Feed } from '../support/update-feed';

/**
 * electron-updater itself, bundled in dist/electron/main.cjs, against an update
 * feed electron-builder's own code wrote, over real HTTP on 127.0.0.1. Only
 * Electron's API is a double (its `net.request` is carried by Node's http).
 */
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };


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
    // electron-builder's feed format (UpdateInfo in builder-util-runtime): the artifact with its sha512, size and embedded block map.
    expect(yaml.load(fs.readFileSync(path.join(feed.dir, 'latest-linux.yml'), 'utf8'))).toEqual({
      version: '0.2.0',
      files: [{ url: 'annotator-companion-0.2.0-x86_64.AppImage', sha512: publishedSha512, size: fs.statSync(released).size, blockMapSize: expect.any(Number) }],
      path: 'annotator-companion-0.2.0-x86_64.AppImage',
      sha512: publishedSha512,
      releaseDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
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

  it('honours a staged rollout: a computer outside the percentage is not offered the release, one inside is', async () => {
    const feed = await startFeed();
    const marker = path.join(tempDir(), 'started.log');
    await feed.release('0.2.0', { marker, stagingPercentage: 40 });
    const appImage = await installedAppImage(marker);
    // electron-updater places each computer by the staging id it keeps in userData (.updaterId): this one sits at 50 %.
    const dataDir = path.join(tempDir(), 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, '.updaterId'), '6ba7b810-9dad-41d1-80b4-00c07fffffff');
    const shell = await packagedShell(feed, appImage, { dataDir });
    await waitFor(() => auditOf(shell, 'update.checked'), (list) => list.length === 1, 30_000);
    expect(await auditOf(shell, 'update.checked')).toEqual([expect.objectContaining({ offered: null })]);
    expect(await shell.call('updates.status')).toMatchObject({ state: 'idle', version: null });
    expect(feed.requests.filter((request) => request.path.endsWith('.AppImage'))).toEqual([]);

    // The rollout widens to 60 %: now it reaches this computer.
    await feed.release('0.2.0', { marker, stagingPercentage: 60 });
    await shell.call('updates.check');
    await settled(shell, 'ready');
    expect(await auditOf(shell, 'update.checked')).toEqual([
      expect.objectContaining({ offered: '0.2.0', stagingPercentage: 60 }),
      expect.objectContaining({ offered: null }),
    ]);
    expect(await shell.quit()).toBe(0);
  });

  it('follows the channel setting: stable stays on releases, beta also gets previews, and the change is audited', async () => {
    const feed = await startFeed();
    const marker = path.join(tempDir(), 'started.log');
    await feed.release('0.2.0', { marker });
    await feed.release('0.3.0-beta.1', { marker });
    // electron-builder wrote the preview to beta (and alpha) only; latest still names the release.
    expect(fs.readFileSync(path.join(feed.dir, 'latest-linux.yml'), 'utf8')).toMatch(/^version: 0\.2\.0$/m);
    expect(fs.readFileSync(path.join(feed.dir, 'beta-linux.yml'), 'utf8')).toMatch(/^version: 0\.3\.0-beta\.1$/m);
    const shell = await packagedShell(feed, await installedAppImage(marker));
    await settled(shell, 'ready');
    expect((await shell.call('updates.status')).version).toBe('0.2.0');
    expect(feed.requests.map((request) => path.basename(request.path))).toContain('latest-linux.yml');
    expect(feed.requests.map((request) => path.basename(request.path))).not.toContain('beta-linux.yml');
    expect(await shell.quit()).toBe(0);

    // Switching to beta with 0.2.0 already downloaded: the preview is newer, so it replaces it.
    const beta = await packagedShell(feed, await installedAppImage(marker));
    await settled(beta, 'ready');
    await beta.call('settings.update', { values: { updateChannel: 'beta' } });
    await waitFor(() => beta.call('updates.status'), (status) => status.version === '0.3.0-beta.1' && status.state === 'ready', 60_000);
    expect(feed.requests.map((request) => path.basename(request.path))).toContain('beta-linux.yml');
    expect(await auditOf(beta, 'settings.changed')).toEqual([{ key: 'updateChannel', from: 'stable', to: 'beta' }]);
    expect(await auditOf(beta, 'update.checked')).toEqual(expect.arrayContaining([expect.objectContaining({ channel: 'beta', offered: '0.3.0-beta.1' })]));
    expect(await beta.quit()).toBe(0);
  });

  it('asks no feed at all in the sandbox workspace, and says why', async () => {
    const feed = await startFeed();
    await feed.release('0.2.0');
    const shell = await packagedShell(feed, await installedAppImage(path.join(tempDir(), 'started.log')), { args: ['--sandbox-workspace'] });
    expect(await shell.call('updates.status')).toMatchObject({
      state: 'off',
      offReason: 'This is the sandbox workspace, run from this folder: it never updates itself. Packaged releases do.',
    });
    expect(await shell.raw('updates.restart')).toMatchObject({ ok: false, error: { code: 'UPDATE_NOT_READY' } });
    await shell.call('updates.check');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(feed.requests).toEqual([]);
    expect(await auditOf(shell, 'update.checked')).toEqual([]);
    expect(await shell.quit()).toBe(0);
  });

  it('leaves a development build alone unless COMPANION_UPDATE_URL names a feed, and refuses one that is not https', async () => {
    const feed = await startFeed();
    await feed.release('0.2.0');
    const appImage = await installedAppImage(path.join(tempDir(), 'started.log'));

    const dev = runShell({ isPackaged: false, env: { APPIMAGE: appImage } });
    await dev.windowShown();
    expect(await dev.call('updates.status')).toMatchObject({ state: 'off', offReason: expect.stringContaining('development build') });
    expect(await dev.quit()).toBe(0);

    const plain = runShell({ isPackaged: false, env: { APPIMAGE: appImage, COMPANION_UPDATE_URL: 'http://updates.example.org/annotator-companion' } });
    await plain.windowShown();
    expect(await plain.call('updates.status')).toMatchObject({ state: 'off', offReason: expect.stringContaining('COMPANION_UPDATE_URL is not an https:// address') });
    expect(await plain.quit()).toBe(0);
    expect(feed.requests).toEqual([]);

    // With a feed named, an unpackaged run reads dev-app-update.yml and asks COMPANION_UPDATE_URL/linux/x64.
    const withFeed = runShell({ isPackaged: false, env: { APPIMAGE: appImage, COMPANION_UPDATE_URL: feed.url } });
    await withFeed.windowShown();
    await settled(withFeed, 'ready');
    expect(feed.requests[0]?.path).toBe('/feed/linux/x64/latest-linux.yml');
    expect(await withFeed.quit()).toBe(0);
  });

  it('is off, with the reason, for a Linux copy that is neither the AppImage nor the .deb package', async () => {
    const feed = await startFeed();
    const shell = runShell({ resources: { 'app-update.yml': await feed.appUpdateYml() } });
    await shell.windowShown();
    expect(await shell.call('updates.status')).toMatchObject({ state: 'off', offReason: 'Only the AppImage and the .deb package update themselves; this copy was installed another way.' });
    expect(await shell.quit()).toBe(0);
  });
});

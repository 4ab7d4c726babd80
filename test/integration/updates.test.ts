import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startFile360Sandbox } from '../../sandbox/file360';
import type { UpdateChannel, UpdateStatus } from '../../shared/api/schemas/updates';
import { createEventHub } from '../../electron/core/kernel/api/event-hub';
import { openLocalData } from '../../electron/core/kernel/db/local-data';
import { CHECK_EVERY_MS, UpdateService } from '../../electron/core/updates/service';
import type { UpdateDownload, UpdateOffer, UpdaterPort } from '../../electron/core/kernel/ports';
import { startCompanion } from '../support/companion';
import { FAST, idle, nextEvent, signedInApp, until } from '../support/file360-app';
import { ManualClock, recordingLogger, recordingNotifier } from '../support/ports';
import { PRODIGY_ENV } from '../support/prodigy';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

/**
 * The updates service in plain Node, behind its port: what electron-updater
 * answers is controlled here (the real one runs in test/shell/updater.test.ts);
 * the sessions, uploads, database and audit log are the app's own.
 */
const OFFER: UpdateOffer = { version: '0.2.0', releaseDate: '2026-11-20T10:00:00.000Z', sha512: 'c2hhNTEy', size: 1000, stagingPercentage: null };

function controlledUpdater(offer: UpdateOffer | null = OFFER) {
  const checks: UpdateChannel[] = [];
  let installs = 0;
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const port: UpdaterPort & { checks: UpdateChannel[]; installs(): number; hold(): void; let(): void; answer: UpdateDownload; feedError: Error | null } = {
    off: null,
    checks,
    answer: { ok: true },
    feedError: null,
    installs: () => installs,
    /** The next checks wait until `let()`. */
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    let: () => release(),
    async check(channel) {
      checks.push(channel);
      await gate;
      if (port.feedError) throw port.feedError;
      return offer;
    },
    async download(progress) {
      progress(400, 1000);
      progress(1000, 1000);
      return port.answer;
    },
    install() {
      installs += 1;
    },
  };
  return port;
}

describe('updates, as the core decides them', () => {
  it('waits for a running Prodigy session before it offers the restart, refuses one asked for meanwhile, then offers it once', async () => {
    const sb = await sandbox();
    const updater = controlledUpdater();
    updater.hold();
    const notifier = recordingNotifier();
    const app = await signedInApp(sb, path.join(tempDir(), 'data'), { env: PRODIGY_ENV, ports: { updater, notifier }, tuning: FAST });
    await idle(app);
    await app.call('sessions.start', { assignmentId: 'asg-support-triage' });

    const ready = nextEvent(app, 'updates.changed', (status) => status.state === 'ready');
    updater.let();
    expect(await ready).toMatchObject({ version: '0.2.0', canRestart: false, waitingFor: ['the Prodigy session for “Support tickets: intent triage (batch 7)”'] });
    const refused = await app.raw('updates.restart');
    expect(refused).toEqual({
      ok: false,
      error: { code: 'UPDATE_WAITING', message: 'Version 0.2.0 waits for the Prodigy session for “Support tickets: intent triage (batch 7)” to finish, so nothing is cut off.' },
    });
    expect(updater.installs()).toBe(0);
    expect(notifier.shown.filter((n) => n.title.includes('ready to install'))).toEqual([]);

    const offered = nextEvent(app, 'updates.changed', (status) => status.canRestart);
    await app.call('sessions.stop', { assignmentId: 'asg-support-triage' });
    expect(await offered).toMatchObject({ state: 'ready', waitingFor: [] });
    await until(async () => notifier.shown.filter((n) => n.title === 'Annotator Companion 0.2.0 is ready to install'), (list) => list.length === 1);

    expect(await app.call('updates.restart')).toMatchObject({ state: 'ready' });
    expect(updater.installs()).toBe(1);
    const audit = (await app.call('audit.list', { limit: 200 })).entries.filter((entry) => entry.type.startsWith('update.'));
    expect(audit.map((entry) => [entry.type, entry.details])).toEqual([
      ['update.install_requested', { from: '0.1.0-test', to: '0.2.0' }],
      ['update.downloaded', { version: '0.2.0', sha512: 'c2hhNTEy', size: 1000 }],
      ['update.checked', { channel: 'stable', current: '0.1.0-test', offered: '0.2.0' }],
    ]);
    // Offered once, not again for each later status change.
    await app.call('sessions.start', { assignmentId: 'asg-support-triage' });
    await app.call('sessions.stop', { assignmentId: 'asg-support-triage' });
    expect(notifier.shown.filter((n) => n.title.includes('ready to install'))).toHaveLength(1);
  });

  it('waits for uploads in flight, then offers the restart when the outbox says they are done', async () => {
    // The service on its own, with the app's event hub, database and audit log; the uploads in flight are counted here.
    const logger = recordingLogger();
    const clock = new ManualClock();
    const data = openLocalData(path.join(tempDir(), 'companion.db'), clock, () => 'local', logger);
    onTestFinished(() => data.close());
    const events = createEventHub(logger);
    const seen: UpdateStatus[] = [];
    events.subscribe((name, payload) => name === 'updates.changed' && seen.push(payload as UpdateStatus));
    const notifier = recordingNotifier();
    let inFlight = 2;
    const updates = new UpdateService({
      port: controlledUpdater(),
      off: null,
      version: '0.1.0',
      data,
      events,
      clock,
      logger,
      notifier,
      channel: () => 'stable',
      online: () => true,
      uploadsInFlight: () => inFlight,
    });
    onTestFinished(() => updates.close());
    updates.start();
    await until(async () => seen.at(-1), (status) => status?.state === 'ready');
    expect(updates.status()).toMatchObject({ canRestart: false, waitingFor: ['2 uploads'] });
    expect(() => updates.restart()).toThrow('Version 0.2.0 waits for 2 uploads to finish, so nothing is cut off.');

    inFlight = 1;
    events.emit('outbox.changed', {});
    expect(seen.at(-1)?.waitingFor).toEqual(['1 upload']);
    inFlight = 0;
    events.emit('outbox.changed', {});
    expect(seen.at(-1)).toMatchObject({ canRestart: true, waitingFor: [] });
    expect(notifier.shown.map((n) => n.title)).toEqual(['Annotator Companion 0.2.0 is ready to install']);
  });

  it('checks at start and every four hours', async () => {
    const clock = new ManualClock();
    const updater = controlledUpdater(null);
    const app = await startCompanion(path.join(tempDir(), 'data'), { ports: { updater, clock } });
    await until(async () => updater.checks, (checks) => checks.length === 1);
    clock.advance(CHECK_EVERY_MS - 1);
    expect(updater.checks).toHaveLength(1);
    clock.advance(1);
    await until(async () => updater.checks, (checks) => checks.length === 2);
    expect((await app.call('updates.status')).lastCheckedAt).toBe(clock.now().toISOString());
    const checked = (await app.call('audit.list', { type: 'update.checked', limit: 10 })).entries;
    expect(checked.map((entry) => entry.details)).toEqual([
      { channel: 'stable', current: '0.1.0-test', offered: null },
      { channel: 'stable', current: '0.1.0-test', offered: null },
    ]);
  });

  it('does not check while File 360 cannot be reached, and checks as soon as it answers again', async () => {
    const sbDir = tempDir();
    let sb = await startFile360Sandbox({ dataDir: sbDir });
    onTestFinished(() => sb.close());
    const port = Number(new URL(sb.url).port);
    const clock = new ManualClock();
    const updater = controlledUpdater(null);
    const app = await signedInApp(sb, path.join(tempDir(), 'data'), { ports: { updater, clock }, tuning: FAST });
    await idle(app);
    expect(updater.checks).toHaveLength(1);

    await sb.close();
    await app.raw('sync.start', {});
    await until(() => app.call('app.status'), (status) => status.connection === 'offline');
    clock.advance(CHECK_EVERY_MS);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(updater.checks).toHaveLength(1);

    sb = await startFile360Sandbox({ dataDir: sbDir, port });
    await app.raw('sync.start', {});
    await until(async () => updater.checks, (checks) => checks.length === 2);
  });

  it('says in words when the feed cannot be read or the download is refused, and tries again at the next check', async () => {
    const clock = new ManualClock();
    const updater = controlledUpdater();
    updater.feedError = new Error('Cannot find channel "latest-linux.yml" update info: HttpError: 404 Not Found\n"method: GET url: https://updates.example.org/…"');
    const app = await startCompanion(path.join(tempDir(), 'data'), { ports: { updater, clock } });
    const unread = await until(() => app.call('updates.status'), (status) => status.state === 'failed');
    expect(unread.message).toBe('The update server could not be asked (Cannot find channel "latest-linux.yml" update info: HttpError: 404 Not Found). The app tries again in a few hours.');
    expect((await app.call('audit.list', { type: 'update.checked', limit: 10 })).entries[0]?.details).toMatchObject({ offered: null, error: expect.stringContaining('404') });

    updater.feedError = null;
    updater.answer = { ok: false, reason: 'checksum', message: 'sha512 checksum mismatch, expected c2hhNTEy, got b3RoZXI=' };
    await app.call('updates.check');
    const failed = await until(() => app.call('updates.status'), (status) => status.state === 'failed');
    expect(failed).toMatchObject({ version: null, canRestart: false, message: expect.stringContaining('did not match the checksum (sha512)') });
    expect((await app.call('audit.list', { type: 'update.refused', limit: 10 })).entries.map((entry) => entry.details)).toEqual([
      { version: '0.2.0', expectedSha512: 'c2hhNTEy', reason: 'sha512 checksum mismatch, expected c2hhNTEy, got b3RoZXI=' },
    ]);

    updater.answer = { ok: false, reason: 'failed', message: 'net::ERR_INTERNET_DISCONNECTED' };
    clock.advance(CHECK_EVERY_MS);
    const broken = await until(() => app.call('updates.status'), (status) => status.state === 'failed' && status.message !== failed.message);
    expect(broken.message).toBe('Version 0.2.0 could not be downloaded (net::ERR_INTERNET_DISCONNECTED). The app tries again at the next check.');

    updater.answer = { ok: true };
    clock.advance(CHECK_EVERY_MS);
    await until(() => app.call('updates.status'), (status) => status.state === 'ready');
  });

  it('is off in the browser shell (no updater) and says why, without asking anything', async () => {
    const app = await startCompanion(path.join(tempDir(), 'data'));
    expect(await app.call('updates.status')).toMatchObject({ state: 'off', offReason: expect.stringContaining('browser shell') });
    expect(await app.call('updates.check')).toMatchObject({ state: 'off' });
  });

  it('records the installed version once, at the first start of a new version', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const first = await startCompanion(dataDir);
    await first.companion.close();
    const again = await startCompanion(dataDir);
    expect((await again.call('audit.list', { type: 'update.installed', limit: 10 })).entries).toEqual([]);
    await again.companion.close();
    // The same folder, as a newer build starts on it.
    const newer = await startCompanion(dataDir, { version: '0.2.0' });
    expect((await newer.call('audit.list', { type: 'update.installed', limit: 10 })).entries.map((entry) => entry.details)).toEqual([{ from: '0.1.0-test', to: '0.2.0' }]);
  });
});

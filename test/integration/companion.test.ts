import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/api/contract';
import { startCompanion } from '../support/companion';
import { tempDir } from '../support/tmp';

describe('the core, through its API', () => {
  it('records each start in the audit log with a stable installation id', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const first = await startCompanion(dataDir);
    const [started] = (await first.call('audit.list', { type: 'app.started' })).entries;
    expect(started?.details).toMatchObject({ version: '0.1.0-test', shell: 'browser', platform: 'linux' });
    const installationId = started?.details.installationId;
    expect(installationId).toMatch(/^[0-9a-f-]{36}$/);
    await first.companion.close();

    const second = await startCompanion(dataDir);
    const entries = (await second.call('audit.list', { type: 'app.started' })).entries;
    expect(entries).toHaveLength(2);
    expect(entries[0]?.details.installationId).toBe(installationId);
    // Each start here checks the log and notes that secrets are in memory only: three entries per start.
    expect(await second.call('audit.verify')).toMatchObject({ ok: true, checked: 6 });
  });

  it('notes in the audit log when secrets can only be kept in memory', async () => {
    const app = await startCompanion(path.join(tempDir(), 'data'));
    expect((await app.call('audit.list', { type: 'keychain.unavailable' })).entries).toHaveLength(1);
    expect((await app.call('app.status')).keychain.kind).toBe('memory');
  });

  it('refuses a second app on the same data folder, and takes over a lock left by a crash', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const first = await startCompanion(dataDir);
    await expect(startCompanion(dataDir)).rejects.toThrow(/already running with the data folder/);
    await first.companion.close();
    // A crashed run leaves its lock behind with a process id that no longer exists.
    fs.writeFileSync(path.join(dataDir, 'companion.lock'), '2147483646');
    const again = await startCompanion(dataDir);
    expect((await again.call('app.info')).startupProblem).toBeNull();
  });

  it('sends a deep link that arrives before the window to the window once it asks', async () => {
    const app = await startCompanion(path.join(tempDir(), 'data'));
    const seen: Array<[EventName, unknown]> = [];
    app.companion.events.subscribe((event, payload) => seen.push([event, payload]));
    app.companion.navigate({ section: 'reviews', id: 'esc-1' });
    expect(seen).toEqual([]);
    expect(await app.call('app.takePendingRoute')).toEqual({ section: 'reviews', id: 'esc-1' });
    expect(await app.call('app.takePendingRoute')).toBeNull();
    app.companion.navigate({ section: 'audit' });
    expect(seen).toEqual([['navigate', { section: 'audit' }]]);
  });
});

describe('settings', () => {
  it('come from flags, then the environment, then the file, then defaults, and say which', async () => {
    const dataDir = path.join(tempDir(), 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ tenant: 'from-file', syncConcurrency: 4, server: 'https://file.example' }));
    const app = await startCompanion(dataDir, { argv: ['--server', 'https://flag.example'], env: { COMPANION_TENANT: 'from-env' } });
    const view = await app.call('settings.get');
    expect(view.values).toEqual({
      server: 'https://flag.example',
      tenant: 'from-env',
      syncConcurrency: 4,
      syncIntervalMinutes: 30,
      prodigyCommand: 'python3 -m prodigy',
      autoExport: true,
      sendBeforeExpiryMinutes: 15,
      reviewedDataset: '{dataset}_reviewed',
      mutedNotificationTypes: ['annotation.completed'],
      mutedTopics: [],
      quietHours: null,
      reminderHours: [24, 1],
      auditRetentionDays: 365,
      keepInTray: true,
      openAtLogin: false,
      updateChannel: 'stable',
    });
    expect(view.sources).toEqual({
      server: 'flag',
      tenant: 'env',
      syncConcurrency: 'file',
      syncIntervalMinutes: 'default',
      prodigyCommand: 'default',
      autoExport: 'default',
      sendBeforeExpiryMinutes: 'default',
      reviewedDataset: 'default',
      mutedNotificationTypes: 'default',
      mutedTopics: 'default',
      quietHours: 'default',
      reminderHours: 'default',
      auditRetentionDays: 'default',
      keepInTray: 'default',
      openAtLogin: 'default',
      updateChannel: 'default',
    });
    expect(view.lockedBy).toEqual({ server: 'Set by --server for this run', tenant: 'Set by COMPANION_TENANT for this run' });
  });

  it('are saved atomically, readable only by the user, audited with old and new values, and announced', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const app = await startCompanion(dataDir);
    const events: EventName[] = [];
    app.companion.events.subscribe((event) => events.push(event));
    expect((await app.call('app.status')).connection).toBe('not-configured');

    const view = await app.call('settings.update', { values: { server: 'https://file360.example.com', syncConcurrency: 3 } });
    expect(view.sources.server).toBe('file');
    const file = path.join(dataDir, 'settings.json');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ server: 'https://file360.example.com', syncConcurrency: 3 });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const audit = (await app.call('audit.list', { type: 'settings.changed' })).entries.map((e) => e.details);
    expect(audit).toEqual(
      expect.arrayContaining([
        { key: 'server', from: null, to: 'https://file360.example.com' },
        { key: 'syncConcurrency', from: 8, to: 3 },
      ]),
    );
    expect(events).toContain('status.changed');
    // A server without a tenant is not yet somewhere to sign in to.
    expect((await app.call('app.status')).connection).toBe('not-configured');
    await app.call('settings.update', { values: { tenant: 'acme' } });
    expect((await app.call('app.status')).connection).toBe('signed-out');

    await app.call('settings.update', { values: { syncConcurrency: 3 } });
    expect((await app.call('audit.list', { type: 'settings.changed' })).entries).toHaveLength(3);
  });

  it('cannot change a setting fixed by a flag for this run', async () => {
    const app = await startCompanion(path.join(tempDir(), 'data'), { argv: ['--tenant', 'acme'] });
    const result = await app.raw('settings.update', { values: { tenant: 'other' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'SETTING_LOCKED' } });
    if (!result.ok) expect(result.error.message).toContain('--tenant');
  });

  it('refuse a plain-http server that is not on this computer, in words', async () => {
    const app = await startCompanion(path.join(tempDir(), 'data'));
    const result = await app.raw('settings.update', { values: { server: 'http://file360.example.com' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues?.[0]).toEqual({ path: 'values.server', message: expect.stringContaining('https://') });
  });

  it('survive a settings file that is not JSON: defaults are used, the problem is shown, and saving keeps the old file', async () => {
    const dataDir = path.join(tempDir(), 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'settings.json');
    fs.writeFileSync(file, '{"server": "https://file360.example.com",');
    const app = await startCompanion(dataDir);
    const view = await app.call('settings.get');
    expect(view.values.server).toBeNull();
    expect(view.fileProblem).toMatch(/is not valid JSON/);

    await app.call('settings.update', { values: { tenant: 'acme' } });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ tenant: 'acme' });
    const kept = fs.readdirSync(dataDir).find((name) => name.startsWith('settings.json.invalid-'));
    expect(kept && fs.readFileSync(path.join(dataDir, kept), 'utf8')).toBe('{"server": "https://file360.example.com",');
    expect((await app.call('settings.get')).fileProblem).toBeNull();
  });

  it('keep values a newer version wrote, and name the ones that are invalid', async () => {
    const dataDir = path.join(tempDir(), 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'settings.json');
    fs.writeFileSync(file, JSON.stringify({ futureThing: { a: 1 }, syncConcurrency: 999 }));
    const app = await startCompanion(dataDir);
    const view = await app.call('settings.get');
    expect(view.values.syncConcurrency).toBe(8);
    expect(view.fileProblem).toContain('syncConcurrency');
    await app.call('settings.update', { values: { syncIntervalMinutes: 5 } });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ futureThing: { a: 1 }, syncIntervalMinutes: 5 });
  });
});

describe('a damaged database at start', () => {
  it('is reported, blocks only what needs data, and can be moved aside from the UI', async () => {
    const dataDir = path.join(tempDir(), 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'companion.db');
    fs.writeFileSync(file, 'not a database at all '.repeat(100));
    const app = await startCompanion(dataDir);

    const info = await app.call('app.info');
    expect(info.startupProblem).toMatchObject({ code: 'DB_CORRUPT', file, canMoveAside: true });
    expect(await app.raw('audit.list')).toMatchObject({ ok: false, error: { code: 'DB_UNAVAILABLE' } });
    expect(await app.raw('settings.update', { values: { tenant: 'x' } })).toMatchObject({ ok: false, error: { code: 'DB_UNAVAILABLE' } });
    expect((await app.call('settings.get')).values.tenant).toBeNull();

    const after = await app.call('app.recoverDatabase', { action: 'move-aside' });
    expect(after.startupProblem).toBeNull();
    const moved = fs.readdirSync(dataDir).find((name) => name.startsWith('companion.db.damaged-'));
    expect(moved).toBeDefined();
    const [entry] = (await app.call('audit.list', { type: 'database.moved_aside' })).entries;
    expect(entry?.details).toEqual({ file, movedTo: path.join(dataDir, moved as string) });
    expect(await app.raw('app.recoverDatabase', { action: 'move-aside' })).toMatchObject({ ok: false, error: { code: 'NOTHING_TO_RECOVER' } });
  });

  it('from a newer app is never moved aside', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const first = await startCompanion(dataDir);
    await first.companion.close();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(dataDir, 'companion.db'));
    db.pragma('user_version = 999');
    db.close();

    const app = await startCompanion(dataDir);
    expect((await app.call('app.info')).startupProblem).toMatchObject({ code: 'DB_TOO_NEW', canMoveAside: false });
    expect(await app.raw('app.recoverDatabase', { action: 'move-aside' })).toMatchObject({ ok: false, error: { code: 'DB_TOO_NEW' } });
    expect(fs.readdirSync(dataDir).some((name) => name.includes('damaged'))).toBe(false);
  });
});

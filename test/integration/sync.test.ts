import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountKey } from '../../electron/core/kernel/credentials/open-secret-store';
import { MemorySecretStore } from '../../electron/core/kernel/credentials/memory-store';
import { FAST, approvingOpener, filesUnder, idle, nextEvent, onDisk, signedInApp, syncedThenClosed, until } from '../support/file360-app';
import { startCompanion } from '../support/companion';
import { sandbox, submitApprovePage, tokenRequest } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

const TRIAGE = 'asg-support-triage';
const NOTES = 'asg-release-notes';

describe('signing in to File 360', () => {
  it('signs in through the browser, keeps the refresh token only in the keychain, and syncs every file with its checksum', async () => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'data');
    const secrets = new MemorySecretStore({ kind: 'keychain', detail: 'test keychain' });
    const app = await signedInApp(sb, dataDir, { ports: { secrets } });

    expect(app.companion.status()).toMatchObject({ connection: 'online', user: { id: 'u-ana', displayName: 'Ana Ruiz' } });
    expect(await secrets.list()).toEqual([accountKey(sb.url, 'u-ana')]);
    const [opened] = (app.ports.opener as unknown as { opened: string[] }).opened;
    const authorize = new URL(opened ?? '');
    expect(authorize.pathname).toBe(`/tenants/${sb.tenant}/oauth2/auth`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const list = await idle(app);
    expect(list.map((a) => [a.id, a.sync.state])).toEqual(
      expect.arrayContaining([
        [NOTES, 'synced'],
        [TRIAGE, 'synced'],
      ]),
    );
    for (const id of [TRIAGE, NOTES]) {
      for (const { item, exists, sha256 } of onDisk(sb, dataDir, id)) {
        expect(exists, item.path).toBe(true);
        expect(sha256, item.path).toBe(item.sha256);
      }
    }
    // Nothing secret in the database, the settings or the logs.
    const refreshToken = await secrets.get(accountKey(sb.url, 'u-ana'));
    for (const file of filesUnder(dataDir)) {
      expect(fs.readFileSync(path.join(dataDir, file)).includes(refreshToken ?? '\u0000'), file).toBe(false);
    }
    const audit = (await app.call('audit.list', { limit: 500 })).entries.map((e) => e.type);
    expect(audit).toContain('auth.signed_in');
    expect(audit.filter((t) => t === 'file.downloaded')).toHaveLength(sb.admin.files(TRIAGE).length + sb.admin.files(NOTES).length);
    // The downloads reach File 360's audit trail after this first sync, not one sync later.
    const reported = () => Promise.resolve(sb.admin.audit().filter((event) => event.source === 'client' && event.event_type === 'file.downloaded').length);
    await until(reported, (n) => n === sb.admin.files(TRIAGE).length + sb.admin.files(NOTES).length, 10_000);
  });

  it('says plainly when the user cancels in the browser', async () => {
    const sb = await sandbox();
    const app = await startCompanion(path.join(tempDir(), 'data'), {
      argv: ['--server', sb.url, '--tenant', sb.tenant],
      ports: { opener: approvingOpener(sb, 'ana', 'deny') },
      tuning: FAST,
    });
    const outcome = nextEvent(app, 'auth.changed', (s) => s.state !== 'waiting');
    expect(await app.call('auth.signIn')).toMatchObject({ state: 'waiting', authorizeUrl: expect.stringContaining('code_challenge_method=S256') });
    expect(await outcome).toEqual({ state: 'failed', authorizeUrl: null, message: 'Sign-in was cancelled in the browser. File 360 said: “The user denied access.”' });
    expect(app.companion.status().connection).toBe('signed-out');
  });

  it('says what File 360 said when the code exchange fails, in the app and in the browser tab', async () => {
    const sb = await sandbox();
    const browser: { tab?: Promise<{ status: number; html: string }> } = {};
    const opener = {
      async openExternal(url: string) {
        const answer = await submitApprovePage(url, { username: 'ana', password: 'ana-password', action: 'allow' });
        // The person took longer than the code lives before the browser came back to the app.
        sb.clock.advance(61_000);
        browser.tab = fetch(answer.headers.get('location') ?? '').then(async (page) => ({ status: page.status, html: await page.text() }));
      },
    };
    const app = await startCompanion(path.join(tempDir(), 'data'), { argv: ['--server', sb.url, '--tenant', sb.tenant], ports: { opener }, tuning: FAST });
    const outcome = nextEvent(app, 'auth.changed', (s) => s.state !== 'waiting');
    await app.call('auth.signIn');
    expect((await outcome).message).toBe('File 360 did not accept the sign-in: The authorization code is unknown, expired or already used.');
    const shown = await browser.tab;
    expect(shown?.status).toBe(400);
    expect(shown?.html).toContain('<h1>Sign-in did not finish</h1>');
    expect(shown?.html).toContain('The authorization code is unknown, expired or already used.');
    expect(shown?.html).not.toContain('You are signed in');
  });

  it('refreshes an expired access token once, stores the rotated refresh token, and the old one is dead', async () => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'data');
    const secrets = new MemorySecretStore({ kind: 'keychain', detail: 'test keychain' });
    const app = await signedInApp(sb, dataDir, { ports: { secrets } });
    await idle(app);
    const key = accountKey(sb.url, 'u-ana');
    const before = await secrets.get(key);

    sb.faults.expireTokensNow();
    await app.call('sync.start', {});
    await idle(app);
    expect(sb.stats().tokenRefreshes).toBe(1);
    const after = await secrets.get(key);
    expect(after).not.toBe(before);
    const replay = await tokenRequest(sb, { grant_type: 'refresh_token', refresh_token: before ?? '' });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    expect(app.companion.status().user?.id).toBe('u-ana');
  });

  it('stays signed in when refresh answers carry no new refresh token and no expires_in (RFC 6749 §6, §5.1)', async () => {
    const sb = await sandbox({ rotateRefreshTokens: false, sendExpiresIn: false });
    const secrets = new MemorySecretStore({ kind: 'keychain', detail: 'test keychain' });
    const app = await signedInApp(sb, path.join(tempDir(), 'data'), { ports: { secrets } });
    await idle(app);
    const key = accountKey(sb.url, 'u-ana');
    const kept = await secrets.get(key);
    for (let round = 1; round <= 2; round += 1) {
      sb.faults.expireTokensNow();
      await app.call('sync.start', {});
      await idle(app);
      expect(sb.stats().tokenRefreshes).toBe(round);
    }
    expect(await secrets.get(key)).toBe(kept);
    expect(app.companion.status()).toMatchObject({ connection: 'online', user: { id: 'u-ana' } });
  });

  it('stays signed in across a restart, using the keychain', async () => {
    const sb = await sandbox();
    const { dataDir, secrets } = await syncedThenClosed(sb);

    const second = await startCompanion(dataDir, { argv: ['--server', sb.url, '--tenant', sb.tenant], ports: { secrets }, tuning: FAST });
    expect(second.companion.status().user?.id).toBe('u-ana');
    await second.call('sync.start', {});
    await idle(second);
    expect(sb.stats().tokenRefreshes).toBe(1);
  });

  it('signs out when File 360 refuses the refresh token, and says so', async () => {
    const sb = await sandbox();
    const secrets = new MemorySecretStore({ kind: 'keychain', detail: 'test keychain' });
    const app = await signedInApp(sb, path.join(tempDir(), 'data'), { ports: { secrets } });
    await idle(app);
    await secrets.set(accountKey(sb.url, 'u-ana'), 'a-token-the-server-never-issued');
    sb.faults.expireTokensNow();
    expect(await app.raw('sync.start', {})).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } });
    expect(app.companion.status()).toMatchObject({ connection: 'signed-out', user: null });
    expect(await secrets.list()).toEqual([]);
    expect((await app.call('audit.list', { type: 'auth.session_expired' })).entries).toHaveLength(1);
  });

  it('signs out: the keychain entry is deleted and files of assignments still shared stay', async () => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'data');
    const secrets = new MemorySecretStore({ kind: 'keychain', detail: 'test keychain' });
    const app = await signedInApp(sb, dataDir, { ports: { secrets } });
    await idle(app);
    const refreshToken = await secrets.get(accountKey(sb.url, 'u-ana'));
    const status = await app.call('auth.signOut');
    expect(status).toMatchObject({ connection: 'signed-out', user: null });
    expect(await secrets.list()).toEqual([]);
    expect(onDisk(sb, dataDir, TRIAGE).every((f) => f.exists)).toBe(true);
    expect(await app.raw('sync.start', {})).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    // RFC 7009 at the metadata's revocation_endpoint: the refresh token no longer works at File 360 either.
    expect(sb.stats().requests['POST /tenants/:tenant/oauth2/revoke']).toBe(1);
    expect((await tokenRequest(sb, { grant_type: 'refresh_token', refresh_token: refreshToken ?? '' })).status).toBe(400);
  });
});

describe('a resync with no change', () => {
  it('downloads nothing and does not even fetch the manifest', async () => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir);
    await idle(app);
    sb.admin.resetStats();
    const before = (await app.call('audit.list', { limit: 500 })).entries.length;

    await app.call('sync.start', {});
    const list = await idle(app);
    expect(list.filter((a) => !a.wiped && a.status === 'active').every((a) => a.sync.state === 'synced')).toBe(true);
    const stats = sb.stats();
    expect(stats.contentRequests).toEqual({});
    expect(stats.requests['GET /file360/v1/assignments/:id/files']).toBeUndefined();
    expect(stats.requests['GET /file360/v1/assignments']).toBe(1);
    expect((await app.call('audit.list', { limit: 500 })).entries.length).toBe(before);
  });

  it('notices a local file that was deleted or edited, and fetches only that one', async () => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir);
    await idle(app);
    const [first, second] = onDisk(sb, dataDir, TRIAGE);
    fs.rmSync(first?.file ?? '');
    fs.appendFileSync(second?.file ?? '', 'edited by hand');
    sb.admin.resetStats();

    await app.call('sync.start', { id: TRIAGE });
    await idle(app);
    expect(Object.keys(sb.stats().contentRequests).sort()).toEqual([first?.item.id, second?.item.id].sort());
    expect(onDisk(sb, dataDir, TRIAGE).every((f) => f.sha256 === f.item.sha256)).toBe(true);
  });
});

describe('sign-in and sign-out racing the network', () => {
  it('never leaves a refreshed token in the keychain after signing out mid-refresh', async () => {
    const sb = await sandbox();
    const secrets = new MemorySecretStore({ kind: 'keychain', detail: 'test keychain' });
    const app = await signedInApp(sb, path.join(tempDir(), 'data'), { ports: { secrets } });
    await idle(app);
    sb.faults.expireTokensNow();
    // The token endpoint answers slowly, so the sign-out lands while the refresh is in flight.
    sb.faults.set({ slowBodyBytesPerSecond: { bytesPerSecond: 400, pathPrefix: `/tenants/${sb.tenant}/oauth2/token` } });
    const syncing = app.raw('sync.start', {});
    await until(() => Promise.resolve(sb.stats().requests['POST /tenants/:tenant/oauth2/token'] ?? 0), (n) => n > 1);
    await app.call('auth.signOut');
    expect(await syncing).toMatchObject({ ok: false, error: { code: expect.stringMatching(/SIGNED_OUT|NOT_SIGNED_IN/) } });
    expect(await secrets.list()).toEqual([]);
  });

  it('refreshes once when several calls fail with the same expired token', async () => {
    const sb = await sandbox();
    const app = await signedInApp(sb, path.join(tempDir(), 'data'));
    await idle(app);
    sb.faults.expireTokensNow();
    const before = sb.stats().tokenRefreshes;
    await Promise.all([app.call('sync.start', { id: TRIAGE }), app.call('sync.start', { id: 'asg-release-notes' }), app.call('sync.start', {})]);
    await idle(app);
    expect(sb.stats().tokenRefreshes - before).toBe(1);
  });
});

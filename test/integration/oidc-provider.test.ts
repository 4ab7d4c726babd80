/**
 * The app's own sign-in code, unchanged, against a certified OpenID provider
 * (panva's oidc-provider) instead of the sandbox: a public native client with
 * any-port loopback redirects, PKCE required, rotating refresh tokens with
 * reuse detection, short access tokens, RFC 7009 revocation, RP-initiated
 * logout, and the provider's own login and consent pages driven in Chromium.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { accountKey, openSecretStore } from '../../electron/core/kernel/credentials/open-secret-store';
import { MemorySecretStore } from '../../electron/core/kernel/credentials/memory-store';
import type { Opener, SecretStore } from '../../electron/core/kernel/ports';
import { useChromium } from '../support/chromium';
import { startCompanion, type Started } from '../support/companion';
import { FAST, filesUnder, nextEvent } from '../support/file360-app';
import { startOidcServer, type OidcServer, type TenantOptions } from '../support/oidc-server';
import { freePort } from '../../electron/core/services/prodigy/process';
import { ManualClock, recordingLogger } from '../support/ports';
import { tempDir } from '../support/tmp';

const chromium = useChromium(null);

/** What the person saw in the browser tab once the provider sent them back to the app. */
interface Tab {
  title: string;
  text: string;
  callback: URL;
}

/**
 * The system browser and the person in front of it: the provider's login page
 * (`ana` and any password, as its development login takes), then its consent
 * page, Continue or Cancel, and the app's loopback page at the end.
 */
function person(context: BrowserContext, options: { login?: string; consent?: 'continue' | 'cancel'; rewrite?: (url: string) => string } = {}): Opener & { opened: string[]; tabs: Array<Promise<Tab>> } {
  const opened: string[] = [];
  const tabs: Array<Promise<Tab>> = [];
  return {
    opened,
    tabs,
    async openExternal(url) {
      opened.push(url);
      const tab = (async () => {
        const page = await context.newPage();
        await page.goto(options.rewrite ? options.rewrite(url) : url);
        await page.getByPlaceholder('Enter any login').fill(options.login ?? 'ana');
        await page.getByPlaceholder('and password').fill('correct horse battery staple');
        await page.getByRole('button', { name: 'Sign-in' }).click();
        await page.getByRole('button', { name: 'Continue' }).waitFor();
        if (options.consent === 'cancel') await page.getByRole('link', { name: '[ Cancel ]' }).click();
        else await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
        const shown = { title: (await page.locator('h1').textContent()) ?? '', text: (await page.locator('p').textContent()) ?? '', callback: new URL(page.url()) };
        await page.close();
        return shown;
      })();
      tab.catch(() => undefined);
      tabs.push(tab);
    },
  };
}

async function server(tenants: Record<string, TenantOptions> = { acme: {} }): Promise<OidcServer> {
  const started = await startOidcServer(tenants);
  onTestFinished(() => started.close());
  return started;
}

async function app(where: { url: string }, opener: Opener, extra: { secrets?: SecretStore; clock?: ManualClock; tenant?: string; dataDir?: string } = {}): Promise<Started> {
  return startCompanion(extra.dataDir ?? path.join(tempDir(), 'data'), {
    argv: ['--server', where.url, '--tenant', extra.tenant ?? 'acme'],
    ports: { opener, secrets: extra.secrets ?? new MemorySecretStore({ kind: 'keychain', detail: 'test keychain' }), clock: extra.clock ?? new ManualClock() },
    tuning: FAST,
  });
}

async function signIn(started: Started) {
  const outcome = nextEvent(started, 'auth.changed', (state) => state.state !== 'waiting', 30_000);
  const first = await started.call('auth.signIn');
  return { first, outcome: await outcome };
}

function browserContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext().then((context) => (onTestFinished(() => context.close()), context));
}

const refreshes = (oidc: OidcServer) => oidc.grants.filter((grant) => grant === 'refresh_token').length;

/** A refresh token straight to the provider's token endpoint, as an attacker holding a copy would send it. */
async function replay(oidc: OidcServer, tenant: string, refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${oidc.issuer(tenant)}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'annotator-companion' }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('signing in to a standard OpenID provider', () => {
  it('signs in with PKCE, offline_access and prompt=consent, and the browser says so only after the exchange', async (ctx) => {
    const oidc = await server();
    const opener = person(await browserContext(chromium(ctx)));
    const secrets = new MemorySecretStore({ kind: 'keychain', detail: 'test keychain' });
    const started = await app(oidc, opener, { secrets });
    const { first, outcome } = await signIn(started);

    expect(first.state).toBe('waiting');
    expect(outcome).toEqual({ state: 'signed-in', authorizeUrl: null, message: 'Signed in as Ana Ruiz.' });
    const authorize = new URL(opener.opened[0] ?? '');
    // Found through OpenID Connect discovery at the tenant's issuer, not assumed.
    expect(authorize.origin + authorize.pathname).toBe(`${oidc.issuer('acme')}/auth`);
    expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'offline_access']));
    expect(authorize.searchParams.get('prompt')).toBe('consent');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const tab = await opener.tabs[0];
    expect(tab).toMatchObject({ title: 'You are signed in', text: expect.stringContaining('Signed in as Ana Ruiz') });
    expect(tab?.callback.searchParams.get('iss')).toBe(oidc.issuer('acme'));
    expect(await secrets.get(accountKey(oidc.url, 'u-ana'))).toEqual(expect.any(String));
    expect(started.companion.status().user).toEqual({ id: 'u-ana', displayName: 'Ana Ruiz', reviews: false, annotates: true });
  });

  it('refreshes once on a 401 and ahead of expiry for a 10-minute token, but never early for a 20-second one', async (ctx) => {
    const oidc = await server({ acme: { accessTtl: 600 }, brief: { accessTtl: 20 } });
    const clock = new ManualClock();
    const started = await app(oidc, person(await browserContext(chromium(ctx))), { clock });
    expect((await signIn(started)).outcome.state).toBe('signed-in');

    // The provider drops the access token (as at expiry): one 401, one refresh, the call goes through.
    await (await oidc.provider('acme').AccessToken.find(oidc.bearers.at(-1) ?? ''))?.destroy();
    oidc.apiAnswers.length = 0;
    await started.call('sync.start', {});
    // Calls already under way with the same token may see the 401 too; they share the one refresh.
    expect(oidc.apiAnswers[0]).toBe(401);
    expect(oidc.apiAnswers.at(-1)).toBe(200);
    expect(refreshes(oidc)).toBe(1);

    // 9 min 40 s later by the laptop's clock: renewed before the call, so File 360 never says 401.
    oidc.apiAnswers.length = 0;
    clock.advance(580_000);
    await started.call('sync.start', {});
    expect(oidc.apiAnswers.every((status) => status === 200)).toBe(true);
    expect(refreshes(oidc)).toBe(2);

    // A 20-second token is used until it expires: five calls, no refresh; after it expires, one.
    const brief = await app(oidc, person(await browserContext(chromium(ctx))), { clock: new ManualClock(), tenant: 'brief' });
    const briefClock = brief.ports.clock as ManualClock;
    expect((await signIn(brief)).outcome.state).toBe('signed-in');
    const before = refreshes(oidc);
    for (let call = 0; call < 5; call += 1) {
      await brief.call('sync.start', {});
      briefClock.advance(2000);
    }
    expect(refreshes(oidc)).toBe(before);
    briefClock.advance(11_000);
    for (let call = 0; call < 3; call += 1) await brief.call('sync.start', {});
    expect(refreshes(oidc)).toBe(before + 1);
  });

  it('keeps the rotated refresh token; the old one is refused, and its reuse ends the session with words', async (ctx) => {
    const oidc = await server();
    const secrets = new MemorySecretStore({ kind: 'keychain', detail: 'test keychain' });
    const started = await app(oidc, person(await browserContext(chromium(ctx))), { secrets });
    expect((await signIn(started)).outcome.state).toBe('signed-in');
    const key = accountKey(oidc.url, 'u-ana');
    const original = (await secrets.get(key)) ?? '';

    await (await oidc.provider('acme').AccessToken.find(oidc.bearers.at(-1) ?? ''))?.destroy();
    await started.call('sync.start', {});
    const rotated = await secrets.get(key);
    expect(rotated).not.toBe(original);

    // Someone replays the old token: refused, and the provider ends the whole grant (reuse detection).
    expect(await replay(oidc, 'acme', original)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    await (await oidc.provider('acme').AccessToken.find(oidc.bearers.at(-1) ?? ''))?.destroy();
    expect(await started.raw('sync.start', {})).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT', message: 'Your File 360 session ended. Sign in again to continue.' } });
    expect(started.companion.status().user).toBeNull();
    expect(await secrets.list()).toEqual([]);
  });

  it('keeps the refresh token when a refresh answer carries none (RFC 6749 §6)', async (ctx) => {
    const oidc = await server({ steady: { rotate: false } });
    const secrets = new MemorySecretStore({ kind: 'keychain', detail: 'test keychain' });
    const started = await app(oidc, person(await browserContext(chromium(ctx))), { secrets, tenant: 'steady' });
    expect((await signIn(started)).outcome.state).toBe('signed-in');
    const kept = await secrets.get(accountKey(oidc.url, 'u-ana'));
    for (let round = 0; round < 2; round += 1) {
      await (await oidc.provider('steady').AccessToken.find(oidc.bearers.at(-1) ?? ''))?.destroy();
      await started.call('sync.start', {});
    }
    expect(refreshes(oidc)).toBe(2);
    expect(await secrets.get(accountKey(oidc.url, 'u-ana'))).toBe(kept);
    expect(started.companion.status().user?.id).toBe('u-ana');
  });

  it('revokes the refresh token on sign-out (RFC 7009), also after a restart, and offers the provider’s own sign-out page', async (ctx) => {
    const oidc = await server();
    const secrets = new MemorySecretStore({ kind: 'keychain', detail: 'test keychain' });
    const dataDir = path.join(tempDir(), 'data');
    const first = await app(oidc, person(await browserContext(chromium(ctx))), { secrets, dataDir });
    expect((await signIn(first)).outcome.state).toBe('signed-in');
    const token = (await secrets.get(accountKey(oidc.url, 'u-ana'))) ?? '';
    const signedOut = nextEvent(first, 'auth.changed');
    await first.call('auth.signOut');
    expect((await signedOut).endSessionUrl).toMatch(new RegExp(`^${oidc.issuer('acme')}/session/end\\?client_id=annotator-companion&id_token_hint=`));
    expect(oidc.requests).toContain('POST /tenants/acme/oauth2/token/revocation');
    expect(await replay(oidc, 'acme', token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await secrets.list()).toEqual([]);
    await first.companion.close();

    // Signed in again, closed, restarted: no access token in memory, only the keychain's refresh token.
    const again = await app(oidc, person(await browserContext(chromium(ctx))), { secrets, dataDir });
    expect((await signIn(again)).outcome.state).toBe('signed-in');
    const second = (await secrets.get(accountKey(oidc.url, 'u-ana'))) ?? '';
    await again.companion.close();
    const restarted = await app(oidc, { openExternal: async () => undefined }, { secrets, dataDir });
    expect(restarted.companion.status().user?.id).toBe('u-ana');
    await restarted.call('auth.signOut');
    expect(await replay(oidc, 'acme', second)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // Sign-out waits a few seconds for the revocation, then goes on; the keychain entry leaves once the server confirmed it.
    await vi.waitFor(async () => expect(await secrets.list()).toEqual([]), { timeout: 20_000, interval: 100 });
  });

  it('signs out at once while offline, keeps the token to revoke in the keychain only, and revokes it once the server is back', async (ctx) => {
    const oidc = await server();
    const privateKeyring = process.env.COMPANION_TEST_KEYRING === 'private';
    if (!privateKeyring && process.env.COMPANION_REQUIRE_KEYRING) throw new Error('COMPANION_REQUIRE_KEYRING is set but no private gnome-keyring was started.');
    const secrets = privateKeyring ? await openSecretStore(recordingLogger(), `annotator-companion-test-${randomUUID()}`) : new MemorySecretStore({ kind: 'keychain', detail: 'test keychain' });
    const clock = new ManualClock();
    const dataDir = path.join(tempDir(), 'data');
    const started = await app(oidc, person(await browserContext(chromium(ctx))), { secrets, clock, dataDir });
    expect((await signIn(started)).outcome.state).toBe('signed-in');
    const token = (await secrets.get(accountKey(oidc.url, 'u-ana'))) ?? '';

    await oidc.stop();
    const began = Date.now();
    expect(await started.call('auth.signOut')).toMatchObject({ user: null, connection: 'signed-out' });
    expect(Date.now() - began).toBeLessThan(5000);
    const left = await secrets.list();
    expect(left).toEqual([expect.stringMatching(new RegExp(`^revoke\\|${oidc.issuer('acme').replace(/[.]/g, '\\.')}\\|`))]);
    expect(await secrets.get(left[0] ?? '')).toBe(token);
    for (const file of filesUnder(dataDir)) expect(fs.readFileSync(path.join(dataDir, file)).includes(token), file).toBe(false);

    // Back online: a later retry (they back off from 30 s to 30 min) revokes it, and the keychain is empty.
    await oidc.listen();
    await expect
      .poll(
        () => {
          clock.advance(31 * 60_000);
          return secrets.list();
        },
        { timeout: 15_000, interval: 250 },
      )
      .toEqual([]);
    expect(await replay(oidc, 'acme', token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});

describe('a sign-in that cannot finish says why', () => {
  it('says the person cancelled on the consent page, in the app and in the browser tab', async (ctx) => {
    const oidc = await server();
    const opener = person(await browserContext(chromium(ctx)), { consent: 'cancel' });
    const started = await app(oidc, opener);
    const { outcome } = await signIn(started);
    expect(outcome).toEqual({ state: 'failed', authorizeUrl: null, message: 'Sign-in was cancelled in the browser. File 360 said: “End-User aborted interaction”' });
    expect(await opener.tabs[0]).toMatchObject({ title: 'Sign-in cancelled' });
    expect(oidc.grants).toEqual([]);
  });

  it('ignores a forged redirect without the right state and finishes with the real one', async (ctx) => {
    const oidc = await server();
    const context = await browserContext(chromium(ctx));
    const real = person(context);
    let redirectUri = '';
    const opener: Opener = {
      async openExternal(url) {
        redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
        // Another page on this computer tries to hand the app a code of its choosing first.
        const forged = await fetch(`${redirectUri}?code=attacker-code&state=guessed&iss=${encodeURIComponent(oidc.issuer('acme'))}`);
        expect(forged.status).toBe(400);
        expect(await forged.text()).toContain('This link is not for this sign-in');
        await real.openExternal(url);
      },
    };
    const started = await app(oidc, opener);
    expect((await signIn(started)).outcome).toMatchObject({ state: 'signed-in' });
    expect(await real.tabs[0]).toMatchObject({ title: 'You are signed in' });
    expect(oidc.grants).toEqual(['authorization_code']);
  });

  it('refuses an answer from another issuer (RFC 9207 mix-up) and says where it came from', async (ctx) => {
    const oidc = await server({ acme: {}, other: {} });
    // The browser is steered to another authorization server that knows the same client.
    const opener = person(await browserContext(chromium(ctx)), { rewrite: (url) => url.replace('/tenants/acme/', '/tenants/other/') });
    const started = await app(oidc, opener);
    const { outcome } = await signIn(started);
    expect(outcome.state).toBe('failed');
    expect(outcome.message).toBe(`The answer in your browser came from ${oidc.issuer('other')}, not from File 360 at ${oidc.issuer('acme')}, so the app did not use it.`);
    expect(await opener.tabs[0]).toMatchObject({ title: 'Sign-in did not finish', text: expect.stringContaining(oidc.issuer('other')) });
    // The code from the other server was never sent anywhere.
    expect(oidc.grants).toEqual([]);
  });

  it('names a wrong tenant and an unreachable server within seconds, before any browser opens', async () => {
    const oidc = await server();
    const opened: string[] = [];
    const opener: Opener = { openExternal: async (url) => void opened.push(url) };

    const typo = await app(oidc, opener, { tenant: 'acmee' });
    let began = Date.now();
    expect(await typo.call('auth.signIn')).toEqual({ state: 'failed', authorizeUrl: null, message: `File 360 at ${oidc.url} has no tenant 'acmee' — check the tenant name.` });
    expect(Date.now() - began).toBeLessThan(5000);

    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await app({ url: nowhere }, opener);
    began = Date.now();
    expect(await unreachable.call('auth.signIn')).toEqual({ state: 'failed', authorizeUrl: null, message: `No File 360 answers at ${nowhere} — check the address.` });
    expect(Date.now() - began).toBeLessThan(5000);
    expect(opened).toEqual([]);
  });

  it('gives a hint while the browser is silent, and stops waiting after five minutes', async () => {
    const oidc = await server();
    const clock = new ManualClock();
    // The browser opens but never comes back (the server refused the redirect, the tab was closed…).
    const started = await app(oidc, { openExternal: async () => undefined }, { clock });
    const hinted = nextEvent(started, 'auth.changed', (state) => state.state === 'waiting' && state.message !== null);
    expect((await started.call('auth.signIn')).state).toBe('waiting');
    clock.advance(45_000);
    expect((await hinted).message).toMatch(/^Still waiting for your browser\. If it shows an error page/);
    const ended = nextEvent(started, 'auth.changed', (state) => state.state === 'failed');
    clock.advance(5 * 60_000);
    expect((await ended).message).toBe('No answer came back from your browser within 5 minutes, so the app stopped waiting. Sign in again when you are ready.');
  });
});

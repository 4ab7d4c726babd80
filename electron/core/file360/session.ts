import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log';
import { accountKey } from '../credentials/open-secret-store';
import { AppError } from '../errors';
import type { Clock, Logger, Opener, SecretStore } from '../ports';
import type { Account, AccountStore } from './accounts';
import { File360Error } from './errors';
import type { Http } from './http';
import { startLoopbackListener } from './loopback';
import { createPkce, randomState } from './pkce';
import { Me, TokenResponse } from './wire';

export const CLIENT_ID = 'annotator-companion';
const SCOPE = 'openid file360 push';
/** Refresh a little before the server would refuse the token. */
const EXPIRY_SKEW_MS = 30_000;
const SIGN_IN_TIMEOUT_MS = 10 * 60_000;

export interface SessionDeps {
  http: Http;
  secrets: SecretStore;
  accounts: AccountStore;
  /** Runs `fn` in a database transaction with the audit log. */
  record(fn: (audit: AuditLog) => void): void;
  clock: Clock;
  logger: Logger;
  opener: Opener;
  /** Called whenever who is signed in changes. */
  changed(): void;
}

export interface SignIn {
  authorizeUrl: string;
  done: Promise<Account>;
}

/**
 * One File 360 sign-in: the refresh token in the keychain only, the access
 * token in memory only. Every API call goes through `authorized`, which
 * refreshes once on a 401 and signs out on a second.
 */
export class File360Session {
  private current: Account | null = null;
  private accessToken: { value: string; expiresAt: number } | null = null;
  private refreshing: Promise<string> | null = null;
  private pendingSignIn: { close(): void } | null = null;

  constructor(
    private readonly deps: SessionDeps,
    readonly server: string,
    readonly tenant: string,
  ) {}

  private get oauthBase(): string {
    return `${this.server}/tenants/${encodeURIComponent(this.tenant)}/oauth2`;
  }

  account(): Account | null {
    return this.current;
  }

  /** Picks up the last sign-in, without the network, if the keychain still has its token. */
  async restore(): Promise<void> {
    const saved = this.deps.accounts.find(this.server, this.tenant);
    if (!saved) return;
    const token = await this.deps.secrets.get(accountKey(this.server, saved.userId)).catch(() => null);
    if (token) this.current = saved;
  }

  async beginSignIn(): Promise<SignIn> {
    this.pendingSignIn?.close();
    const pkce = createPkce();
    const state = randomState();
    const listener = await startLoopbackListener(state, SIGN_IN_TIMEOUT_MS);
    this.pendingSignIn = listener;
    const authorize = new URL(`${this.oauthBase}/auth`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: listener.redirectUri,
      scope: SCOPE,
      state,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    }).toString();
    const authorizeUrl = authorize.href;
    this.deps.opener.openExternal(authorizeUrl).catch((error: unknown) => this.deps.logger.warn('could not open the browser for sign-in', { error }));

    const done = (async () => {
      try {
        const { code } = await listener.result;
        const tokens = await this.tokenRequest({
          grant_type: 'authorization_code',
          code,
          redirect_uri: listener.redirectUri,
          client_id: CLIENT_ID,
          code_verifier: pkce.verifier,
        });
        const me = await this.deps.http.json(
          { method: 'GET', url: `${this.server}/file360/v1/me`, headers: { authorization: `Bearer ${tokens.access_token}` }, retry: 'idempotent' },
          Me,
        );
        // Cancelled (or replaced by a new attempt) while the code was being exchanged: keep nothing.
        if (this.pendingSignIn !== listener) {
          await this.logout(tokens.access_token);
          throw new AppError('SIGN_IN_FAILED', 'Sign-in was cancelled.');
        }
        await this.deps.secrets.set(accountKey(this.server, me.id), tokens.refresh_token);
        this.keepAccessToken(tokens);
        let account!: Account;
        this.deps.record((audit) => {
          account = this.deps.accounts.save(this.server, this.tenant, me, this.deps.clock.now());
          audit.append({ type: 'auth.signed_in', details: { server: this.server, tenant: this.tenant, userId: me.id } });
        });
        this.current = account;
        this.deps.changed();
        return account;
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError('SIGN_IN_FAILED', error instanceof Error ? error.message : String(error));
      } finally {
        if (this.pendingSignIn === listener) this.pendingSignIn = null;
      }
    })();
    done.catch(() => undefined);
    return { authorizeUrl, done };
  }

  cancelSignIn(): void {
    this.pendingSignIn?.close();
    this.pendingSignIn = null;
  }

  /** Runs `call` with a valid access token; one refresh and retry on a 401, then signed out. */
  async authorized<T>(call: (token: string) => Promise<T>): Promise<T> {
    if (!this.current) throw new AppError('NOT_SIGNED_IN', 'Sign in to File 360 first.');
    const token = await this.validToken(false);
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof File360Error) || error.status !== 401) throw error;
    }
    const fresh = await this.refreshAccessToken(token);
    try {
      return await call(fresh);
    } catch (error) {
      if (error instanceof File360Error && error.status === 401) {
        await this.end('expired');
        throw new AppError('SIGNED_OUT', 'Your File 360 session ended. Sign in again to continue.');
      }
      throw error;
    }
  }

  /**
   * A new access token for a caller the server told, outside `authorized`, that
   * `stale` no longer works (a Push stream's `auth_expired`, a 401 on connect).
   * Several callers can report the same old token; only the first refreshes, the
   * rest get its result.
   */
  async refreshAccessToken(stale: string): Promise<string> {
    if (!this.current) throw new AppError('NOT_SIGNED_IN', 'Sign in to File 360 first.');
    return this.validToken(this.accessToken?.value === stale || !this.accessToken);
  }

  async signOut(): Promise<void> {
    const token = this.accessToken?.value;
    if (token) await this.logout(token);
    await this.end('user');
  }

  /** Best effort: the local sign-out happens whatever the server says. */
  private async logout(accessToken: string): Promise<void> {
    await this.deps.http
      .json({ method: 'GET', url: `${this.oauthBase}/logout`, headers: { authorization: `Bearer ${accessToken}` }, retry: 'never' }, z.unknown())
      .catch(() => undefined);
  }

  private async end(reason: 'user' | 'expired'): Promise<void> {
    const account = this.current;
    this.current = null;
    this.accessToken = null;
    if (!account) return;
    await this.deps.secrets.delete(accountKey(this.server, account.userId)).catch(() => false);
    this.deps.record((audit) => {
      this.deps.accounts.remove(this.server, this.tenant);
      audit.append({ type: reason === 'user' ? 'auth.signed_out' : 'auth.session_expired', details: { server: this.server, userId: account.userId } });
    });
    this.deps.changed();
  }

  private keepAccessToken(tokens: TokenResponse): void {
    this.accessToken = { value: tokens.access_token, expiresAt: this.deps.clock.now().getTime() + tokens.expires_in * 1000 - EXPIRY_SKEW_MS };
  }

  private async validToken(force: boolean): Promise<string> {
    if (!force && this.accessToken && this.accessToken.expiresAt > this.deps.clock.now().getTime()) return this.accessToken.value;
    // One refresh at a time: a rotated token can be spent only once.
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refresh(): Promise<string> {
    const account = this.current;
    if (!account) throw new AppError('NOT_SIGNED_IN', 'Sign in to File 360 first.');
    const key = accountKey(this.server, account.userId);
    const refreshToken = await this.deps.secrets.get(key);
    if (!refreshToken) {
      await this.end('expired');
      throw new AppError('SIGNED_OUT', 'Your File 360 session ended. Sign in again to continue.');
    }
    let tokens: TokenResponse;
    try {
      tokens = await this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID });
    } catch (error) {
      if (error instanceof File360Error && error.status === 400 && error.code === 'invalid_grant') {
        await this.end('expired');
        throw new AppError('SIGNED_OUT', 'Your File 360 session ended. Sign in again to continue.');
      }
      throw error;
    }
    // Signed out while the refresh was on its way: the new token must not land in the keychain.
    if (this.current !== account) {
      await this.logout(tokens.access_token);
      throw new AppError('SIGNED_OUT', 'You signed out of File 360.');
    }
    // The server has already retired the old token: keep the new one before anything else can fail.
    await this.deps.secrets.set(key, tokens.refresh_token);
    this.keepAccessToken(tokens);
    return tokens.access_token;
  }

  private tokenRequest(form: Record<string, string>): Promise<TokenResponse> {
    return this.deps.http.json(
      {
        method: 'POST',
        url: `${this.oauthBase}/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        retry: 'unsent-only',
      },
      TokenResponse,
    );
  }
}

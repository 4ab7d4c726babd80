import * as oauth from 'oauth4webapi';
import type { AuditLog } from '../../kernel/audit/audit-log';
import { accountKey } from '../../kernel/credentials/open-secret-store';
import { AppError } from '../../kernel/errors';
import type { Clock, Logger, Opener, SecretStore } from '../../kernel/ports';
import type { Account, AccountStore } from './accounts';
import { File360Error } from '../../kernel/http/errors';
import type { Http } from '../../kernel/http/http';
import { startLoopbackListener, type LoopbackListener, type LoopbackPage } from './loopback';
import {
  AuthorizationResponseError,
  authorizationUrl,
  discover,
  endSessionUrl,
  exchangeCode,
  issuerFor,
  refreshTokens,
  tenantExists,
  validateCallback,
  type AuthServer,
  type AuthServers,
  type Tokens,
} from './oauth';
import type { Revocations } from './revocations';
import { Me } from './wire';

/** Refresh this long before the server would refuse the token, for tokens that live long enough for that to matter. */
const EXPIRY_SKEW_MS = 30_000;
/** A token without `expires_in` is taken to live an hour, the usual default; a 401 corrects a shorter one. */
const DEFAULT_LIFETIME_S = 3600;
/** A person who has not come back from the browser by then will not; the hint comes much earlier. */
const SIGN_IN_TIMEOUT_MS = 5 * 60_000;
const SIGN_IN_HINT_MS = 45_000;
/** Before the browser opens: long enough for a slow network, short enough that a typo is told at once. */
const CHECK_TIMEOUT_MS = 4000;

const SIGNED_OUT = () => new AppError('SIGNED_OUT', 'Your File 360 session ended. Sign in again to continue.');

export interface SessionDeps {
  http: Http;
  secrets: SecretStore;
  accounts: AccountStore;
  revocations: Revocations;
  /** Every issuer's metadata, shared with revocation. */
  servers: AuthServers;
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

export interface SignInHooks {
  /** No answer from the browser yet: words that say what may be wrong. */
  hint?(message: string): void;
}

/** A sign-in failure the browser tab and the app both show, each in its own words. */
class SignInProblem extends AppError {
  constructor(
    message: string,
    readonly page: LoopbackPage,
  ) {
    super('SIGN_IN_FAILED', message);
  }
}

const failed = (message: string, pageText = message) => new SignInProblem(message, { ok: false, title: 'Sign-in did not finish', text: `${pageText} Return to Annotator Companion to try again.` });

const said = (description: string | null | undefined) => (description ? ` File 360 said: “${description.slice(0, 300)}”` : '');

/**
 * One File 360 sign-in: the refresh token in the keychain only, the access
 * token in memory only. Every API call goes through `authorized`, which
 * refreshes once on a 401 and signs out on a second.
 */
export class File360Session {
  private current: Account | null = null;
  private accessToken: { value: string; expiresAt: number } | null = null;
  private idToken: string | null = null;
  private refreshing: Promise<string> | null = null;
  private pendingSignIn: LoopbackListener | null = null;

  constructor(
    private readonly deps: SessionDeps,
    readonly server: string,
    readonly tenant: string,
  ) {}

  /** The tenant's issuer identifier: `{base}/tenants/{tenant}/oauth2` (CONTRACTS §A.1). */
  get issuer(): string {
    return issuerFor(this.server, this.tenant);
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

  /**
   * Before any browser opens: does a File 360 answer at this address, and does
   * it know this tenant? Each failure says which part of the settings is wrong.
   */
  private async check(): Promise<AuthServer> {
    const where = this.server;
    let found: AuthServer;
    try {
      found = await discover(this.deps.http, this.issuer, CHECK_TIMEOUT_MS);
      if (found.source === 'fallback' && !(await tenantExists(this.deps.http, found, CHECK_TIMEOUT_MS))) {
        const me = await this.deps.http.stream({ method: 'GET', url: `${where}/file360/v1/me`, signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) }).then(
          (response) => (response.body.destroy(), response.status),
          (error: unknown) => (error instanceof File360Error ? error.status : null),
        );
        throw new AppError(
          'SIGN_IN_FAILED',
          me === 401 ? `File 360 at ${where} has no tenant '${this.tenant}' — check the tenant name.` : `The server at ${where} answered, but not as File 360 — check the address.`,
        );
      }
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (!(error instanceof File360Error)) throw error;
      if (error.kind === 'network') throw new AppError('SIGN_IN_FAILED', `No File 360 answers at ${where} — check the address.`);
      if (error.kind === 'timeout') throw new AppError('SIGN_IN_FAILED', `File 360 at ${where} did not answer within ${CHECK_TIMEOUT_MS / 1000} seconds — check the address and your connection.`);
      if (error.kind === 'http') throw new AppError('SIGN_IN_FAILED', `File 360 at ${where} cannot sign you in right now (${error.message.replace(/\.$/, '')}). Try again in a few minutes.`);
      throw new AppError('SIGN_IN_FAILED', `File 360 at ${where} describes its sign-in in a way this app cannot use (${error.detail ?? error.message}).`);
    }
    this.deps.servers.remember(this.issuer, found);
    return found;
  }

  async beginSignIn(hooks: SignInHooks = {}): Promise<SignIn> {
    // A new attempt supersedes the last one; whatever that one still gets is revoked.
    this.cancelSignIn();
    const server = await this.check();
    const verifier = oauth.generateRandomCodeVerifier();
    const challenge = await oauth.calculatePKCECodeChallenge(verifier);
    const state = oauth.generateRandomState();
    const listener = await startLoopbackListener(state);
    let authorizeUrl: string;
    try {
      authorizeUrl = authorizationUrl(server, { redirectUri: listener.redirectUri, state, challenge });
    } catch (error) {
      listener.close();
      throw new AppError('SIGN_IN_FAILED', (error as Error).message);
    }
    this.pendingSignIn = listener;
    const stopHint = this.deps.clock.setTimeout(
      () =>
        hooks.hint?.(
          'Still waiting for your browser. If it shows an error page, File 360 may have refused this app or its way back to it: cancel, check the address and tenant, and try again. If the page is there, finish signing in on it.',
        ),
      SIGN_IN_HINT_MS,
    );
    const stopTimeout = this.deps.clock.setTimeout(
      () =>
        listener.close(
          new AppError('SIGN_IN_FAILED', `No answer came back from your browser within ${SIGN_IN_TIMEOUT_MS / 60_000} minutes, so the app stopped waiting. Sign in again when you are ready.`),
        ),
      SIGN_IN_TIMEOUT_MS,
    );
    this.deps.opener.openExternal(authorizeUrl).catch((error: unknown) => this.deps.logger.warn('could not open the browser for sign-in', { error }));

    const done = (async () => {
      try {
        const callback = await listener.result;
        stopHint();
        stopTimeout();
        try {
          const account = await this.finishSignIn(server, callback.params, state, listener, verifier);
          callback.respond({ ok: true, title: 'You are signed in', text: `Signed in as ${account.displayName}. You can close this tab and return to Annotator Companion.` });
          return account;
        } catch (error) {
          const problem = error instanceof SignInProblem ? error : failed(error instanceof Error ? error.message : String(error));
          callback.respond(problem.page);
          throw problem;
        }
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError('SIGN_IN_FAILED', error instanceof Error ? error.message : String(error));
      } finally {
        stopHint();
        stopTimeout();
        if (this.pendingSignIn === listener) this.pendingSignIn = null;
      }
    })();
    done.catch(() => undefined);
    return { authorizeUrl, done };
  }

  /** The redirect, the code exchange, who signed in; every step that fails says which it was. */
  private async finishSignIn(server: AuthServer, params: URLSearchParams, state: string, listener: LoopbackListener, verifier: string): Promise<Account> {
    let callback: URLSearchParams;
    try {
      callback = validateCallback(server, params, state);
    } catch (error) {
      if (error instanceof AuthorizationResponseError) {
        if (error.error === 'access_denied') {
          throw new SignInProblem(`Sign-in was cancelled in the browser.${said(error.error_description)}`, {
            ok: false,
            title: 'Sign-in cancelled',
            text: 'You did not allow Annotator Companion to use your File 360 account. You can close this tab; sign in again from the app when you are ready.',
          });
        }
        throw failed(`File 360 did not sign you in (${error.error}).${said(error.error_description)}`);
      }
      // RFC 9207: an answer naming another issuer may come from a mix-up attack; it is not used.
      const iss = params.get('iss');
      throw failed(
        iss ? `The answer in your browser came from ${iss}, not from File 360 at ${server.as.issuer}, so the app did not use it.` : `The answer in your browser did not say it came from File 360 at ${server.as.issuer}, so the app did not use it.`,
      );
    }
    let tokens: Tokens;
    try {
      tokens = await exchangeCode(this.deps.http, server, callback, listener.redirectUri, verifier);
    } catch (error) {
      const detail = error instanceof File360Error ? (error.detail ?? error.message) : String(error);
      throw failed(`File 360 did not accept the sign-in: ${detail.replace(/\.?$/, '.')}`, `File 360 did not accept the sign-in: ${detail.replace(/\.?$/, '.')}`);
    }
    if (!tokens.refreshToken) {
      // Without one the app would sign out within the hour and could not work offline; the access token is let go now.
      throw failed('File 360 signed you in but did not let this app stay signed in (it gave no refresh token). Ask your File 360 administrator to allow offline access for Annotator Companion.');
    }
    let me: Me;
    try {
      me = await this.deps.http.json(
        { method: 'GET', url: `${this.server}/file360/v1/me`, headers: { authorization: `Bearer ${tokens.accessToken}` }, retry: 'idempotent' },
        Me,
      );
    } catch (error) {
      await this.deps.revocations.discard(server.as.issuer, tokens.refreshToken);
      throw failed(`Signed in, but File 360 did not say who you are: ${(error as Error).message}`);
    }
    // Cancelled (or replaced by a new attempt) while the code was being exchanged: keep nothing.
    if (this.pendingSignIn !== listener) {
      await this.deps.revocations.discard(server.as.issuer, tokens.refreshToken);
      throw failed('Sign-in was cancelled in the app.');
    }
    const key = accountKey(this.server, me.id);
    const previous = await this.deps.secrets.get(key).catch(() => null);
    await this.deps.secrets.set(key, tokens.refreshToken);
    if (previous && previous !== tokens.refreshToken) await this.deps.revocations.discard(server.as.issuer, previous);
    this.keepAccessToken(tokens);
    let account!: Account;
    this.deps.record((audit) => {
      account = this.deps.accounts.save(this.server, this.tenant, me, this.deps.clock.now());
      // The name too, so the log can name who worked here after they signed out (the accounts row goes then).
      audit.append({ type: 'auth.signed_in', details: { server: this.server, tenant: this.tenant, userId: me.id, displayName: me.display_name } });
    });
    this.current = account;
    this.deps.changed();
    return account;
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
        await this.end('expired', true);
        throw SIGNED_OUT();
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

  /**
   * Forgets the tokens here at once, online or not, and revokes the refresh
   * token at File 360 (RFC 7009): now if it answers, else from the keychain
   * once it does. Returns File 360's own sign-out page where it has one.
   */
  async signOut(): Promise<{ endSessionUrl: string | null }> {
    const idToken = this.idToken;
    await this.end('user', true);
    const server = this.deps.servers.known(this.issuer);
    return { endSessionUrl: server ? endSessionUrl(server, idToken) : null };
  }

  /** `revoke`: the refresh token may still be good at File 360, so it goes to be revoked rather than just deleted. */
  private async end(reason: 'user' | 'expired', revoke: boolean): Promise<void> {
    const account = this.current;
    this.current = null;
    this.accessToken = null;
    this.idToken = null;
    if (!account) return;
    const key = accountKey(this.server, account.userId);
    const token = revoke ? await this.deps.secrets.get(key).catch(() => null) : null;
    if (token) await this.deps.revocations.add(this.issuer, token).catch((error: unknown) => this.deps.logger.warn('could not keep the token to revoke', { error }));
    await this.deps.secrets.delete(key).catch(() => false);
    this.deps.record((audit) => {
      this.deps.accounts.remove(this.server, this.tenant);
      audit.append({ type: reason === 'user' ? 'auth.signed_out' : 'auth.session_expired', details: { server: this.server, userId: account.userId } });
    });
    this.deps.changed();
    if (token) await this.deps.revocations.drain(5000);
  }

  private keepAccessToken(tokens: Tokens): void {
    const lifetimeMs = (tokens.expiresIn ?? DEFAULT_LIFETIME_S) * 1000;
    // Renewing early pays only when the token outlives the margin several times over: a 20-second token
    // is used until it expires, not refreshed before every call.
    const margin = lifetimeMs >= 4 * EXPIRY_SKEW_MS ? EXPIRY_SKEW_MS : 0;
    this.accessToken = { value: tokens.accessToken, expiresAt: this.deps.clock.now().getTime() + lifetimeMs - margin };
    if (tokens.idToken) this.idToken = tokens.idToken;
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
      await this.end('expired', false);
      throw SIGNED_OUT();
    }
    const server = await this.deps.servers.get(this.issuer);
    let tokens: Tokens;
    try {
      tokens = await refreshTokens(this.deps.http, server, refreshToken);
    } catch (error) {
      if (error instanceof File360Error && error.status === 400 && error.code === 'invalid_grant') {
        // File 360 no longer honours it: nothing to revoke.
        if (this.current === account) await this.end('expired', false);
        throw SIGNED_OUT();
      }
      throw error;
    }
    // Signed out while the refresh was on its way: the new token must not land in the keychain, and must end.
    if (this.current !== account) {
      if (tokens.refreshToken) await this.deps.revocations.discard(server.as.issuer, tokens.refreshToken);
      throw new AppError('SIGNED_OUT', 'You signed out of File 360.');
    }
    // RFC 6749 §6: a new refresh token replaces the old one, which the server has retired; none means keep the old.
    // The retired one is not revoked: RFC 7009 §2.1 lets a server end the whole grant for it, the new token too.
    if (tokens.refreshToken && tokens.refreshToken !== refreshToken) await this.deps.secrets.set(key, tokens.refreshToken);
    this.keepAccessToken(tokens);
    return tokens.accessToken;
  }
}

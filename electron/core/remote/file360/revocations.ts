import { randomBytes } from 'node:crypto';
import type { Clock, Logger, SecretStore } from '../../kernel/ports';
import { File360Error } from '../../kernel/http/errors';
import type { Http } from '../../kernel/http/http';
import { AuthServers, revokeRefreshToken } from './oauth';

/** Keychain entries of refresh tokens the app has let go of but the server may still honour. */
const PREFIX = 'revoke|';
const FIRST_RETRY_MS = 30_000;
const LAST_RETRY_MS = 30 * 60_000;

export interface RevocationsDeps {
  secrets: SecretStore;
  clock: Clock;
  logger: Logger;
  /** RFC 7009 at the issuer's revocation endpoint; false when it offers none. */
  revoke(issuer: string, token: string, signal: AbortSignal): Promise<boolean>;
}

/**
 * Tokens to revoke (sign-out, a cancelled or superseded sign-in), kept in the
 * keychain only until the server has taken them, so signing out works offline
 * and the token still ends once the laptop is back online, across restarts too.
 */
export class Revocations {
  private draining: Promise<void> | null = null;
  private again: Promise<void> | null = null;
  private retryMs = FIRST_RETRY_MS;
  private cancelRetry: (() => void) | null = null;
  private closed = false;

  constructor(private readonly deps: RevocationsDeps) {}

  /** Into the keychain first: from here on losing the network, or the app, loses nothing. */
  async add(issuer: string, token: string): Promise<void> {
    await this.deps.secrets.set(`${PREFIX}${issuer}|${randomBytes(8).toString('hex')}`, token);
  }

  /** Adds and tries at once, waiting at most `waitMs` for the server before leaving it to the retries. */
  async discard(issuer: string, token: string, waitMs = 5000): Promise<void> {
    await this.add(issuer, token).catch((error: unknown) => this.deps.logger.warn('could not keep a token to revoke in the keychain', { error }));
    await this.drain(waitMs);
  }

  /** One attempt at every queued token; what the server could not take yet stays queued. */
  drain(waitMs = 15_000): Promise<void> {
    if (this.closed) return Promise.resolve();
    // A token added while a round is under way waits for one more round, not for the next retry.
    if (this.draining) {
      this.again ??= this.draining.then(() => {
        this.again = null;
        return this.drain(waitMs);
      });
      return this.again;
    }
    this.draining = this.attempt(waitMs).finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  close(): void {
    this.closed = true;
    this.cancelRetry?.();
  }

  private async attempt(waitMs: number): Promise<void> {
    const keys = (await this.deps.secrets.list().catch(() => [])).filter((key) => key.startsWith(PREFIX));
    let left = 0;
    const signal = AbortSignal.timeout(waitMs);
    for (const key of keys) {
      const issuer = key.slice(PREFIX.length, key.lastIndexOf('|'));
      const token = await this.deps.secrets.get(key).catch(() => null);
      if (!token) {
        await this.deps.secrets.delete(key).catch(() => false);
        continue;
      }
      try {
        if (!(await this.deps.revoke(issuer, token, signal))) this.deps.logger.info('File 360 offers no token revocation; the token was dropped', { issuer });
        await this.deps.secrets.delete(key);
      } catch (error) {
        if (error instanceof File360Error && !error.retryable) {
          // The server said it never will (RFC 7009 §2.2.1: unsupported_token_type, an unknown client…).
          this.deps.logger.warn('File 360 refused to revoke a token; it was dropped', { issuer, reason: error.message });
          await this.deps.secrets.delete(key).catch(() => false);
        } else {
          left += 1;
          this.deps.logger.info('a token could not be revoked yet; trying again later', { issuer, reason: (error as Error).message });
        }
      }
    }
    this.schedule(left > 0);
  }

  private schedule(again: boolean): void {
    this.cancelRetry?.();
    this.cancelRetry = null;
    if (!again) {
      this.retryMs = FIRST_RETRY_MS;
      return;
    }
    if (this.closed) return;
    this.cancelRetry = this.deps.clock.setTimeout(() => void this.drain(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
  }
}

/** The metadata cache and the revocation queue a File 360 session needs, on one HTTP client. */
export function createAuthSupport(http: Http, deps: Omit<RevocationsDeps, 'revoke'>): { servers: AuthServers; revocations: Revocations } {
  const servers = new AuthServers(http);
  const revocations = new Revocations({ ...deps, revoke: async (issuer, token, signal) => revokeRefreshToken(http, await servers.get(issuer), token, signal) });
  return { servers, revocations };
}

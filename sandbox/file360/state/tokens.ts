import { createHash, randomBytes } from 'node:crypto';
import type { SandboxClock } from '../clock';
import { sql, type Db } from './db';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in?: number;
  refresh_token?: string;
  scope: string;
}

/** How this server answers where RFC 6749 leaves it the choice. */
export interface TokenPolicy {
  accessTtlSeconds: number;
  /** §6: a refresh answer may carry a new refresh token (the old one then stops) or none (the old one stays). */
  rotateRefreshTokens: boolean;
  /** §5.1: `expires_in` is only RECOMMENDED. */
  sendExpiresIn: boolean;
}

export interface CodeGrant {
  userId: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  challenge: string;
}

export type AccessCheck = { userId: string } | { problem: 'unknown' | 'expired' };

const CODE_TTL_MS = 60_000;
const REFRESH_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** Only hashes are stored, as a real server would: a copied database holds no usable token. */
const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');
const secret = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/** Authorization codes, access tokens and rotating refresh tokens, all timed by the sandbox clock. */
export class Tokens {
  constructor(
    private readonly db: Db,
    private readonly clock: SandboxClock,
    private readonly policy: TokenPolicy,
  ) {}

  private now(): number {
    return this.clock.now().getTime();
  }

  createCode(grant: CodeGrant): string {
    const code = secret('ac_');
    sql(this.db, 'INSERT INTO auth_codes (code_hash, user_id, client_id, redirect_uri, scope, challenge, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      digest(code),
      grant.userId,
      grant.clientId,
      grant.redirectUri,
      grant.scope,
      grant.challenge,
      this.now() + CODE_TTL_MS,
    );
    return code;
  }

  /** Uses up a code: it answers once, whether or not the rest of the exchange succeeds. */
  redeemCode(code: string): CodeGrant | undefined {
    const row = sql(this.db, 'SELECT * FROM auth_codes WHERE code_hash = ?').get(digest(code)) as
      | { user_id: string; client_id: string; redirect_uri: string; scope: string; challenge: string; expires_at: number; used: number }
      | undefined;
    if (!row || row.used === 1) return undefined;
    sql(this.db, 'UPDATE auth_codes SET used = 1 WHERE code_hash = ?').run(digest(code));
    if (row.expires_at <= this.now()) return undefined;
    return { userId: row.user_id, clientId: row.client_id, redirectUri: row.redirect_uri, scope: row.scope, challenge: row.challenge };
  }

  /**
   * Tokens for a new grant (a code exchange): an access token, and a refresh
   * token only when `offline_access` was granted, as standard servers do for
   * public clients (OpenID Connect Core §11; RFC 6749 §1.5 leaves it to the server).
   */
  issue(userId: string, clientId: string, scope: string): TokenResponse {
    const grantId = randomBytes(12).toString('hex');
    return this.db.transaction(() => {
      const refresh = scope.split(' ').includes('offline_access') ? this.insert('refresh', userId, clientId, scope, grantId) : undefined;
      return this.answer(this.insert('access', userId, clientId, scope, grantId), refresh, scope);
    })();
  }

  /** RFC 6749 §6: a new access token, and (when rotating) a new refresh token that retires the old one at once. */
  rotate(refreshToken: string, clientId: string): TokenResponse | undefined {
    const row = this.find(refreshToken, 'refresh');
    if (!row || row.revoked === 1 || row.expires_at <= this.now() || row.client_id !== clientId) return undefined;
    const grantId = this.grantOf(refreshToken) ?? randomBytes(12).toString('hex');
    return this.db.transaction(() => {
      let refresh: string | undefined;
      if (this.policy.rotateRefreshTokens) {
        sql(this.db, 'UPDATE tokens SET revoked = 1 WHERE token_hash = ?').run(digest(refreshToken));
        refresh = this.insert('refresh', row.user_id, row.client_id, row.scope, grantId);
      }
      return this.answer(this.insert('access', row.user_id, row.client_id, row.scope, grantId), refresh, row.scope);
    })();
  }

  /**
   * RFC 7009 §2.1: the token stops working; a refresh token takes the access
   * tokens of its grant with it. False for a token this server never issued
   * to `clientId` (still answered 200 by the endpoint).
   */
  revoke(token: string, clientId: string): { userId: string } | undefined {
    const row = (sql(this.db, 'SELECT kind, user_id, client_id FROM tokens WHERE token_hash = ?').get(digest(token)) as { kind: string; user_id: string; client_id: string } | undefined);
    if (!row || row.client_id !== clientId) return undefined;
    const grantId = row.kind === 'refresh' ? this.grantOf(token) : undefined;
    if (grantId) sql(this.db, 'UPDATE tokens SET revoked = 1 WHERE token_hash IN (SELECT token_hash FROM token_grants WHERE grant_id = ?)').run(grantId);
    sql(this.db, 'UPDATE tokens SET revoked = 1 WHERE token_hash = ?').run(digest(token));
    return { userId: row.user_id };
  }

  private insert(kind: 'access' | 'refresh', userId: string, clientId: string, scope: string, grantId: string): string {
    const token = secret(kind === 'access' ? 'at_' : 'rt_');
    const ttl = kind === 'access' ? this.policy.accessTtlSeconds * 1000 : REFRESH_TTL_MS;
    sql(this.db, 'INSERT INTO tokens (token_hash, kind, user_id, client_id, scope, expires_at) VALUES (?, ?, ?, ?, ?, ?)').run(digest(token), kind, userId, clientId, scope, this.now() + ttl);
    sql(this.db, 'INSERT INTO token_grants (token_hash, grant_id) VALUES (?, ?)').run(digest(token), grantId);
    return token;
  }

  private answer(access: string, refresh: string | undefined, scope: string): TokenResponse {
    return {
      access_token: access,
      token_type: 'Bearer',
      ...(this.policy.sendExpiresIn ? { expires_in: this.policy.accessTtlSeconds } : {}),
      ...(refresh ? { refresh_token: refresh } : {}),
      scope,
    };
  }

  private grantOf(token: string): string | undefined {
    return (sql(this.db, 'SELECT grant_id FROM token_grants WHERE token_hash = ?').get(digest(token)) as { grant_id: string } | undefined)?.grant_id;
  }

  checkAccess(accessToken: string): AccessCheck {
    const row = this.find(accessToken, 'access');
    if (!row || row.revoked === 1) return { problem: 'unknown' };
    if (row.expires_at <= this.now()) return { problem: 'expired' };
    return { userId: row.user_id };
  }

  /** Every access token issued so far (only the user's, given one) is expired from now on. */
  expireAllAccess(userId?: string): void {
    if (userId === undefined) sql(this.db, "UPDATE tokens SET expires_at = min(expires_at, ?) WHERE kind = 'access'").run(this.now());
    else sql(this.db, "UPDATE tokens SET expires_at = min(expires_at, ?) WHERE kind = 'access' AND user_id = ?").run(this.now(), userId);
  }

  private find(token: string, kind: 'access' | 'refresh') {
    return sql(this.db, 'SELECT * FROM tokens WHERE token_hash = ? AND kind = ?').get(digest(token), kind) as
      | { user_id: string; client_id: string; scope: string; expires_at: number; revoked: number }
      | undefined;
  }
}

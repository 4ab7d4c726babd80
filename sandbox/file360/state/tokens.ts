import { createHash, randomBytes } from 'node:crypto';
import type { SandboxClock } from '../clock';
import { sql, type Db } from './db';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
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
    private readonly accessTtlSeconds: number,
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

  issue(userId: string, clientId: string, scope: string): TokenResponse {
    const access = secret('at_');
    const refresh = secret('rt_');
    const insert = sql(this.db, 'INSERT INTO tokens (token_hash, kind, user_id, client_id, scope, expires_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      insert.run(digest(access), 'access', userId, clientId, scope, this.now() + this.accessTtlSeconds * 1000);
      insert.run(digest(refresh), 'refresh', userId, clientId, scope, this.now() + REFRESH_TTL_MS);
    })();
    return { access_token: access, token_type: 'Bearer', expires_in: this.accessTtlSeconds, refresh_token: refresh, scope };
  }

  /** Trades a refresh token for a new pair; the old one stops working at once. */
  rotate(refreshToken: string, clientId: string): TokenResponse | undefined {
    const row = this.find(refreshToken, 'refresh');
    if (!row || row.revoked === 1 || row.expires_at <= this.now() || row.client_id !== clientId) return undefined;
    sql(this.db, 'UPDATE tokens SET revoked = 1 WHERE token_hash = ?').run(digest(refreshToken));
    return this.issue(row.user_id, row.client_id, row.scope);
  }

  checkAccess(accessToken: string): AccessCheck {
    const row = this.find(accessToken, 'access');
    if (!row || row.revoked === 1) return { problem: 'unknown' };
    if (row.expires_at <= this.now()) return { problem: 'expired' };
    return { userId: row.user_id };
  }

  /** Whose token this is (access or refresh, even expired): logout needs only that. */
  ownerOf(token: string): string | undefined {
    return (sql(this.db, 'SELECT user_id FROM tokens WHERE token_hash = ?').get(digest(token)) as { user_id: string } | undefined)?.user_id;
  }

  revokeUser(userId: string): void {
    sql(this.db, 'UPDATE tokens SET revoked = 1 WHERE user_id = ?').run(userId);
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

import type { Context } from './context';
import { GatewayError } from './errors';
import type { Exchange } from './exchange';
import { header } from './exchange';
import type { User } from './state/users';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="file360", error="invalid_token"' };

export function bearerToken(ex: Exchange): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header(ex, 'authorization') ?? '')?.[1];
}

/** The caller behind `Authorization: Bearer …`, or a gateway 401 the client answers by refreshing. */
export function authenticate(ctx: Context, ex: Exchange): User {
  const token = bearerToken(ex);
  if (!token) throw new GatewayError(401, 'steps.oauth.v2.FailedToResolveAccessToken', 'No access token: send Authorization: Bearer <token>.', CHALLENGE);
  const check = ctx.tokens.checkAccess(token);
  if ('problem' in check) {
    throw check.problem === 'expired'
      ? new GatewayError(401, 'keymanagement.service.access_token_expired', 'Access Token expired', CHALLENGE)
      : new GatewayError(401, 'keymanagement.service.invalid_access_token', 'Invalid Access Token', CHALLENGE);
  }
  const user = ctx.users.byId(check.userId);
  if (!user) throw new GatewayError(401, 'keymanagement.service.invalid_access_token', 'Invalid Access Token', CHALLENGE);
  return user;
}

/** Wraps a handler that needs the signed-in user. */
export function withUser(ctx: Context, handler: (ex: Exchange, user: User) => Promise<void>): (ex: Exchange) => Promise<void> {
  return (ex) => handler(ex, authenticate(ctx, ex));
}

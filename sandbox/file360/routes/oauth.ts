import { createHash } from 'node:crypto';
import { approvePage, errorPage, type Page } from '../approve-page';
import type { Context } from '../context';
import { OAuthError, notFound } from '../errors';
import { header, readForm, type Exchange } from '../exchange';
import { sendJson } from '../respond';
import type { Route } from '../router';

/**
 * OAuth 2.0 for a native public client: RFC 6749 + RFC 8252 (loopback redirect)
 * + RFC 7636 (PKCE, S256 only), with RFC 8414 metadata, RFC 9207 `iss` on every
 * authorization response and RFC 7009 revocation. An authorization server, not
 * an OpenID provider: it publishes no OpenID configuration and issues no ID token.
 */
const SCOPES = new Set(['openid', 'file360', 'push', 'offline_access']);
const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;
const AUTHORIZE_FIELDS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;

type AuthorizeRequest = Record<(typeof AUTHORIZE_FIELDS)[number], string>;
type Checked = { problem: string } | { redirect: string } | { request: AuthorizeRequest };

const appName = (clientId: string) => clientId.split(/[-_]/).map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' ');

/** Any port, as RFC 8252 §7.3 asks, but only a loopback host and the /callback path. */
function isLoopbackCallback(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && url.port !== '' && url.pathname === '/callback' && !url.username && !url.hash;
  } catch {
    return false;
  }
}

function redirectTo(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}

/**
 * Errors before the redirect URI is trusted are shown on a page (never sent
 * to an unchecked address); later ones go back to the app as RFC 6749 §4.1.2.1 says.
 */
function checkAuthorize(ctx: Context, params: URLSearchParams, iss: string): Checked {
  const get = (name: string) => params.get(name) ?? '';
  if (get('client_id') !== ctx.clientId) return { problem: `Unknown client_id "${get('client_id')}". This sandbox knows only "${ctx.clientId}".` };
  const redirectUri = get('redirect_uri');
  if (!isLoopbackCallback(redirectUri)) return { problem: 'redirect_uri must be http://127.0.0.1:<port>/callback or http://localhost:<port>/callback.' };
  const state = get('state');
  const fail = (error: string, description: string) => ({ redirect: redirectTo(redirectUri, { error, error_description: description, ...(state ? { state } : {}), iss }) });
  if (get('response_type') !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported.');
  if (!state) return fail('invalid_request', 'state is required.');
  if (get('code_challenge_method') !== 'S256') return fail('invalid_request', 'PKCE is required with code_challenge_method=S256 (plain is not accepted).');
  if (!PKCE_VALUE.test(get('code_challenge'))) return fail('invalid_request', 'code_challenge must be the base64url SHA-256 of the code verifier (43 characters).');
  const scopes = get('scope').split(' ').filter(Boolean);
  if (scopes.length === 0) return fail('invalid_request', 'scope is required.');
  const unknown = scopes.filter((scope) => !SCOPES.has(scope));
  if (unknown.length > 0) return fail('invalid_scope', `Unknown scope: ${unknown.join(' ')}.`);
  return { request: Object.fromEntries(AUTHORIZE_FIELDS.map((name) => [name, get(name)])) as AuthorizeRequest };
}

function sendPage(ex: Exchange, status: number, page: Page): Promise<void> {
  const body = Buffer.from(page.html);
  return ex.send(
    status,
    {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': body.length,
      'Content-Security-Policy': page.csp,
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    },
    body,
  );
}

const redirect = (ex: Exchange, location: string) => ex.send(302, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0 });

function checkTenant(ctx: Context, ex: Exchange): void {
  if (ex.params.tenant !== ctx.tenant) throw notFound(`Tenant ${ex.params.tenant}`);
}

/** The tenant's issuer identifier (CONTRACTS §A.1), as metadata and `iss` name it. */
const issuerOf = (ctx: Context, ex: Exchange) => `${ex.url.origin}/tenants/${encodeURIComponent(ctx.tenant)}/oauth2`;

/**
 * RFC 8414 §3: served at `/.well-known/oauth-authorization-server` inserted
 * before the issuer's path (§3.1); `issuer` equal to that identifier (§3.3).
 */
function metadata(ctx: Context, ex: Exchange): Promise<void> {
  checkTenant(ctx, ex);
  const issuer = issuerOf(ctx, ex);
  return sendJson(ex, 200, {
    issuer,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    revocation_endpoint: `${issuer}/revoke`,
    scopes_supported: [...SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    // RFC 9207 §3.
    authorization_response_iss_parameter_supported: true,
  });
}

function showApprovePage(ctx: Context, ex: Exchange, request: AuthorizeRequest, extra: { username?: string; error?: string } = {}): Promise<void> {
  const page = approvePage({
    appName: appName(ctx.clientId),
    tenant: ctx.tenant,
    scopes: request.scope.split(' ').filter(Boolean),
    request,
    redirectOrigin: new URL(request.redirect_uri).origin,
    ...extra,
  });
  return sendPage(ex, 200, page);
}

async function authorize(ctx: Context, ex: Exchange, params: URLSearchParams, form?: URLSearchParams): Promise<void> {
  checkTenant(ctx, ex);
  const iss = issuerOf(ctx, ex);
  const checked = checkAuthorize(ctx, params, iss);
  if ('problem' in checked) return sendPage(ex, 400, errorPage(checked.problem));
  if ('redirect' in checked) return redirect(ex, checked.redirect);
  const { request } = checked;
  if (!form) return showApprovePage(ctx, ex, request);

  const action = form.get('action');
  if (action === 'deny') return redirect(ex, redirectTo(request.redirect_uri, { error: 'access_denied', error_description: 'The user denied access.', state: request.state, iss }));
  const username = form.get('username') ?? '';
  if (action !== 'allow') return showApprovePage(ctx, ex, request, { username, error: 'Choose Allow or Deny.' });
  const user = ctx.users.authenticate(username, form.get('password') ?? '');
  if (!user) return showApprovePage(ctx, ex, request, { username, error: 'Wrong username or password. Try again.' });
  const code = ctx.tokens.createCode({ userId: user.id, clientId: request.client_id, redirectUri: request.redirect_uri, scope: request.scope, challenge: request.code_challenge });
  ctx.audit.record({ event_type: 'login', user_id: user.id, details: { client_id: request.client_id, scope: request.scope } });
  return redirect(ex, redirectTo(request.redirect_uri, { code, state: request.state, iss }));
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new OAuthError('invalid_request', `${name} is required.`);
  return value;
}

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

async function token(ctx: Context, ex: Exchange): Promise<void> {
  checkTenant(ctx, ex);
  if (!(header(ex, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthError('invalid_request', 'The token request must be a form (application/x-www-form-urlencoded).');
  }
  const form = await readForm(ex);
  const clientId = required(form, 'client_id');
  if (clientId !== ctx.clientId) throw new OAuthError('invalid_client', `Unknown client_id "${clientId}".`);
  const grantType = required(form, 'grant_type');
  let tokens;
  if (grantType === 'authorization_code') {
    const code = required(form, 'code');
    const redirectUri = required(form, 'redirect_uri');
    const verifier = required(form, 'code_verifier');
    if (!PKCE_VALUE.test(verifier)) throw new OAuthError('invalid_request', 'code_verifier must be 43-128 characters of [A-Za-z0-9._~-].');
    const grant = ctx.tokens.redeemCode(code);
    if (!grant) throw new OAuthError('invalid_grant', 'The authorization code is unknown, expired or already used.');
    if (grant.clientId !== clientId || grant.redirectUri !== redirectUri) throw new OAuthError('invalid_grant', 'client_id or redirect_uri differ from the authorization request.');
    if (s256(verifier) !== grant.challenge) throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge.');
    tokens = ctx.tokens.issue(grant.userId, clientId, grant.scope);
  } else if (grantType === 'refresh_token') {
    tokens = ctx.tokens.rotate(required(form, 'refresh_token'), clientId);
    if (!tokens) throw new OAuthError('invalid_grant', 'The refresh token is unknown, expired, revoked or already used.');
    ctx.stats.tokenRefreshed();
  } else {
    throw new OAuthError('unsupported_grant_type', `grant_type "${grantType}" is not supported; use authorization_code or refresh_token.`);
  }
  const body = Buffer.from(JSON.stringify(tokens));
  return ex.send(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store', Pragma: 'no-cache' }, body);
}

/**
 * RFC 7009: `token` (+ optional `token_type_hint`, which §2.1 lets a server
 * ignore) and the public client's `client_id`. 200 whether or not the token was
 * valid (§2.2); an unknown client is `invalid_client` (§2.2.1 → RFC 6749 §5.2).
 */
async function revoke(ctx: Context, ex: Exchange): Promise<void> {
  checkTenant(ctx, ex);
  const form = await readForm(ex);
  const token = required(form, 'token');
  const clientId = required(form, 'client_id');
  if (clientId !== ctx.clientId) throw new OAuthError('invalid_client', `Unknown client_id "${clientId}".`);
  const revoked = ctx.tokens.revoke(token, clientId);
  if (revoked) {
    ctx.audit.record({ event_type: 'logout', user_id: revoked.userId, details: { client_id: clientId } });
    ctx.push.hub.checkTokens();
  }
  return ex.send(200, { 'Cache-Control': 'no-store', 'Content-Length': 0 });
}

export function oauthRoutes(ctx: Context): Route[] {
  const base = '/tenants/:tenant/oauth2';
  return [
    { method: 'GET', pattern: `${base}/auth`, handle: (ex) => authorize(ctx, ex, ex.url.searchParams) },
    {
      method: 'POST',
      pattern: `${base}/auth`,
      handle: async (ex) => {
        const form = await readForm(ex);
        return authorize(ctx, ex, form, form);
      },
    },
    { method: 'POST', pattern: `${base}/token`, handle: (ex) => token(ctx, ex) },
    { method: 'POST', pattern: `${base}/revoke`, handle: (ex) => revoke(ctx, ex) },
    { method: 'GET', pattern: '/.well-known/oauth-authorization-server/tenants/:tenant/oauth2', handle: (ex) => metadata(ctx, ex) },
  ];
}

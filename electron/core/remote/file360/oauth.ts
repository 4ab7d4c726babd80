/**
 * The standard OAuth 2.0 side of signing in (CONTRACTS §A.1), on oauth4webapi:
 * metadata discovery (RFC 8414, OpenID Connect Discovery), the authorization
 * response checks (state, RFC 9207 `iss`), the token and revocation (RFC 7009)
 * requests and their answers. Every request goes through the app's own HTTP
 * client, so timeouts, the user agent and error bodies are handled as for any
 * File 360 call; what oauth4webapi rejects becomes a File360Error here.
 */
import type { Readable } from 'node:stream';
import * as oauth from 'oauth4webapi';
import { File360Error } from '../../kernel/http/errors';
import type { Http } from '../../kernel/http/http';

const CLIENT_ID = 'annotator-companion';
/** `offline_access` is what makes a standard server issue a refresh token to a public client. */
export const SCOPE = 'openid offline_access file360 push';
const CLIENT: oauth.Client = { client_id: CLIENT_ID, token_endpoint_auth_method: 'none' };
const MAX_BODY_BYTES = 1 << 20;

export interface AuthServer {
  as: oauth.AuthorizationServer;
  /** Where the endpoints came from: OpenID Connect discovery, RFC 8414, or the contract's paths. */
  source: 'oidc' | 'oauth2' | 'fallback';
}

export interface Tokens {
  accessToken: string;
  refreshToken: string | null;
  /** Seconds; servers may leave it out (RFC 6749 §5.1 only recommends it). */
  expiresIn: number | null;
  idToken: string | null;
}

export function issuerFor(server: string, tenant: string): string {
  return `${server}/tenants/${encodeURIComponent(tenant)}/oauth2`;
}

async function readCapped(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_BODY_BYTES) {
      body.destroy();
      throw new File360Error('invalid-response', 'File 360 sent a sign-in answer far larger than any sign-in answer.');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * oauth4webapi's fetch, made of the app's HTTP client: an error status arrives
 * as the File360Error the rest of the app knows (with the server's
 * `error_description`), a network failure as one of kind `network`.
 */
function transport(http: Http) {
  return async (url: string, init: oauth.CustomFetchOptions<string, unknown>): Promise<Response> => {
    const body = init.body === undefined || init.body === null ? undefined : String(init.body as string | URLSearchParams);
    const response = await http.stream({ method: init.method as 'GET' | 'POST', url, headers: init.headers, body, signal: init.signal });
    let text: string;
    try {
      text = await readCapped(response.body);
    } catch (error) {
      if (error instanceof File360Error) throw error;
      throw new File360Error('network', 'The connection to File 360 broke during sign-in.', null, (error as { code?: string }).code ?? null);
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      for (const each of [value ?? []].flat()) headers.append(name, each);
    }
    const empty = response.status === 204 || response.status === 205 || response.status === 304;
    return new Response(empty ? null : text, { status: response.status, headers });
  };
}

function options(http: Http, url: string, signal?: AbortSignal) {
  return {
    [oauth.customFetch]: transport(http),
    // http: is allowed only for a server on this computer (the settings refuse it elsewhere): the sandbox and tests.
    [oauth.allowInsecureRequests]: url.startsWith('http:'),
    signal,
  };
}

/** oauth4webapi's refusals are answers this app cannot use: said once, in words, never retried. */
async function checked<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof File360Error) throw error;
    if ((error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError') {
      throw new File360Error('timeout', `File 360 took too long to answer ${what}.`);
    }
    const reason = (error as Error).message;
    throw new File360Error('invalid-response', `File 360 sent ${what} this app cannot use: ${reason}`, null, null, null, null, reason);
  }
}

/** The contract's paths, for a server that publishes no metadata. */
function fallback(issuer: string): AuthServer {
  return {
    source: 'fallback',
    as: { issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, revocation_endpoint: `${issuer}/revoke` },
  };
}

const answered = (error: unknown): error is File360Error => error instanceof File360Error && error.kind === 'http';

/**
 * The server's metadata, OpenID Connect discovery and RFC 8414 asked at once.
 * Both answering 4xx means there is none: the contract's paths are used (and
 * `source` says so, so a caller can check the tenant another way). Anything
 * else (no answer, a timeout, a 5xx, unusable metadata) is thrown.
 */
export async function discover(http: Http, issuer: string, timeoutMs: number): Promise<AuthServer> {
  const id = new URL(issuer);
  const attempt = async (algorithm: 'oidc' | 'oauth2') => {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      return await checked('its sign-in settings', async () => {
        const response = await oauth.discoveryRequest(id, { ...options(http, issuer, signal), algorithm });
        return oauth.processDiscoveryResponse(id, response);
      });
    } catch (error) {
      if (signal.aborted) throw new File360Error('timeout', `File 360 did not answer within ${Math.round(timeoutMs / 1000)} seconds.`);
      throw error;
    }
  };
  const [oidc, oauth2] = await Promise.allSettled([attempt('oidc'), attempt('oauth2')]);
  if (oidc.status === 'fulfilled') return { as: oidc.value, source: 'oidc' };
  if (oauth2.status === 'fulfilled') return { as: oauth2.value, source: 'oauth2' };
  const errors = [oidc.reason, oauth2.reason] as unknown[];
  const notThere = (error: unknown) => answered(error) && (error.status ?? 0) >= 400 && (error.status ?? 0) < 500;
  if (errors.every(notThere)) return fallback(issuer);
  // The more telling of the two: metadata that is there but wrong beats a 404 of the other path.
  throw errors.find((error) => !notThere(error));
}

/**
 * A server without metadata: whether this tenant's token endpoint exists. A
 * token request missing its grant is answered 400 by any OAuth server
 * (RFC 6749 §5.2) and 404 where there is no such endpoint.
 */
export async function tenantExists(http: Http, server: AuthServer, timeoutMs: number): Promise<boolean> {
  try {
    await http.stream({
      method: 'POST',
      url: server.as.token_endpoint ?? '',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ client_id: CLIENT_ID, grant_type: 'authorization_code' }).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    }).then((response) => response.body.destroy());
    return true;
  } catch (error) {
    if (answered(error) && (error.status === 404 || error.status === 405)) return false;
    if (answered(error) && (error.status ?? 0) < 500) return true;
    throw error;
  }
}

/** What the authorization request needs from the server, checked before a browser opens. */
export function authorizationUrl(server: AuthServer, request: { redirectUri: string; state: string; challenge: string }): string {
  const endpoint = server.as.authorization_endpoint;
  if (!endpoint) throw new File360Error('invalid-response', 'File 360 publishes no authorization endpoint, so there is nowhere to sign in.');
  const methods = server.as.code_challenge_methods_supported;
  if (Array.isArray(methods) && !methods.includes('S256')) {
    throw new File360Error('invalid-response', 'File 360 does not offer PKCE with S256, which this app needs to sign in safely.');
  }
  const url = new URL(endpoint);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: request.redirectUri,
    scope: SCOPE,
    state: request.state,
    code_challenge: request.challenge,
    code_challenge_method: 'S256',
  };
  // OpenID Connect Core §11: an OpenID provider grants offline_access only with prompt=consent.
  if (server.source === 'oidc') params.prompt = 'consent';
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}

/** The authorization response as RFC 6749 §4.1.2 and RFC 9207 define it; throws oauth4webapi's errors. */
export function validateCallback(server: AuthServer, params: URLSearchParams, state: string): URLSearchParams {
  return oauth.validateAuthResponse(server.as, CLIENT, params, state);
}

export { AuthorizationResponseError } from 'oauth4webapi';

function tokens(answer: oauth.TokenEndpointResponse): Tokens {
  return {
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token ?? null,
    expiresIn: answer.expires_in ?? null,
    idToken: answer.id_token ?? null,
  };
}

export async function exchangeCode(http: Http, server: AuthServer, callback: URLSearchParams, redirectUri: string, verifier: string): Promise<Tokens> {
  const endpoint = server.as.token_endpoint ?? '';
  return checked('a sign-in answer', async () => {
    const response = await oauth.authorizationCodeGrantRequest(server.as, CLIENT, oauth.None(), callback, redirectUri, verifier, options(http, endpoint));
    return tokens(await oauth.processAuthorizationCodeResponse(server.as, CLIENT, response));
  });
}

export async function refreshTokens(http: Http, server: AuthServer, refreshToken: string): Promise<Tokens> {
  const endpoint = server.as.token_endpoint ?? '';
  return checked('a token refresh answer', async () => {
    const response = await oauth.refreshTokenGrantRequest(server.as, CLIENT, oauth.None(), refreshToken, options(http, endpoint));
    return tokens(await oauth.processRefreshTokenResponse(server.as, CLIENT, response));
  });
}

/** RFC 7009. False when the server offers no revocation at all: there is nothing more to do. */
export async function revokeRefreshToken(http: Http, server: AuthServer, token: string, signal?: AbortSignal): Promise<boolean> {
  const endpoint = server.as.revocation_endpoint;
  if (!endpoint) return false;
  await checked('an answer to revoking a token', async () => {
    const response = await oauth.revocationRequest(server.as, CLIENT, oauth.None(), token, {
      ...options(http, endpoint, signal),
      additionalParameters: { token_type_hint: 'refresh_token' },
    });
    await oauth.processRevocationResponse(response);
  });
  return true;
}

/** OpenID Connect RP-initiated logout, where the server offers it: the page that ends the browser's session too. */
export function endSessionUrl(server: AuthServer, idToken: string | null): string | null {
  const endpoint = server.as.end_session_endpoint;
  if (!endpoint) return null;
  const url = new URL(endpoint);
  url.searchParams.set('client_id', CLIENT_ID);
  if (idToken) url.searchParams.set('id_token_hint', idToken);
  return url.href;
}

/**
 * Each issuer's metadata, found once per run and shared by sign-in, refresh and
 * revocation; a failed discovery is not kept, so the next use asks again.
 */
export class AuthServers {
  private readonly found = new Map<string, AuthServer>();
  private readonly pending = new Map<string, Promise<AuthServer>>();

  constructor(
    private readonly http: Http,
    private readonly timeoutMs = 15_000,
  ) {}

  get(issuer: string): Promise<AuthServer> {
    const known = this.found.get(issuer);
    if (known) return Promise.resolve(known);
    let asking = this.pending.get(issuer);
    if (!asking) {
      asking = discover(this.http, issuer, this.timeoutMs).then((server) => {
        this.found.set(issuer, server);
        return server;
      });
      const settled = () => this.pending.delete(issuer);
      asking.then(settled, settled);
      this.pending.set(issuer, asking);
    }
    return asking;
  }

  /** What a sign-in just found replaces what was known. */
  remember(issuer: string, server: AuthServer): void {
    this.found.set(issuer, server);
  }

  known(issuer: string): AuthServer | null {
    return this.found.get(issuer) ?? null;
  }
}

/**
 * A certified OpenID Connect provider (panva's oidc-provider) standing where
 * File 360's authorization server would, one provider per tenant under
 * `/tenants/{tenant}/oauth2` (CONTRACTS §A.1), with the File 360 resource
 * endpoints the sign-in needs (`/file360/v1/me`, an empty assignment list)
 * checking its access tokens. Nothing here decides what the app sees: tokens,
 * their lifetimes, rotation, reuse detection and revocation are the provider's.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

export interface TenantOptions {
  /** Access token lifetime in seconds. */
  accessTtl?: number;
  /** False: refresh tokens are not rotated, and refresh answers carry none (RFC 6749 §6 allows both). */
  rotate?: boolean;
}

export interface OidcServer {
  url: string;
  issuer(tenant: string): string;
  provider(tenant: string): Provider;
  /** Grants by type, as the provider reported them. */
  grants: string[];
  /** What `/file360/v1/*` answered, in order: 200 or 401. */
  apiAnswers: number[];
  /** The access tokens `/file360/v1/*` was shown, in order. */
  bearers: string[];
  /** Every request the server received, `METHOD /path`. */
  requests: string[];
  /** Stops listening without forgetting anything; `listen` again on the same port. */
  stop(): Promise<void>;
  listen(): Promise<void>;
  close(): Promise<void>;
}

const PEOPLE: Record<string, { name: string; email: string }> = {
  ana: { name: 'Ana Ruiz', email: 'ana.ruiz@vendor.example' },
  sam: { name: 'Sam Okafor', email: 'sam@vendor.example' },
};

const GATEWAY_401 = JSON.stringify({ fault: { faultstring: 'Invalid Access Token', detail: { errorcode: 'keymanagement.service.invalid_access_token' } } });

export async function startOidcServer(tenants: Record<string, TenantOptions>, port = 0): Promise<OidcServer> {
  const listener = http.createServer();
  await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  const issuer = (tenant: string) => `${url}/tenants/${tenant}/oauth2`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' };
  const grants: string[] = [];
  const apiAnswers: number[] = [];
  const bearers: string[] = [];
  const requests: string[] = [];

  const providers = new Map<string, Provider>();
  for (const [tenant, options] of Object.entries(tenants)) {
    const prefix = `/tenants/${tenant}/oauth2`;
    const configuration: Configuration = {
      clients: [
        {
          client_id: 'annotator-companion',
          application_type: 'native',
          token_endpoint_auth_method: 'none',
          // RFC 8252 §7.3: for a native client the provider accepts this loopback URI on any port.
          redirect_uris: ['http://127.0.0.1/callback'],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
        },
      ],
      scopes: ['openid', 'offline_access', 'file360', 'push'],
      claims: { openid: ['sub'], profile: ['name', 'email'] },
      pkce: { required: () => true },
      ttl: { AccessToken: options.accessTtl ?? 600, AuthorizationCode: 60, IdToken: 600, RefreshToken: 86_400, Grant: 86_400, Interaction: 600, Session: 86_400 },
      rotateRefreshToken: options.rotate ?? true,
      features: { devInteractions: { enabled: true }, revocation: { enabled: true }, rpInitiatedLogout: { enabled: true } },
      interactions: { url: (_ctx, interaction) => `${prefix}/interaction/${interaction.uid}` },
      cookies: { keys: [randomBytes(16).toString('hex')] },
      jwks: { keys: [jwk as never] },
      findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, name: PEOPLE[id]?.name ?? id, email: PEOPLE[id]?.email }) }),
    };
    const provider = new Provider(issuer(tenant), configuration);
    provider.on('grant.success', (ctx: KoaContextWithOIDC) => grants.push(String(ctx.oidc.params?.grant_type)));
    // Keep the test's output to what the tests say.
    provider.on('server_error', () => undefined);
    if (options.rotate === false) {
      // A server that keeps refresh tokens says nothing about them when refreshing (Google, Entra ID):
      // RFC 6749 §6 makes refresh_token optional in the answer.
      provider.use(async (ctx, next) => {
        await next();
        const body = ctx.body as Record<string, unknown> | undefined;
        if (ctx.path.endsWith('/token') && ctx.oidc?.params?.grant_type === 'refresh_token' && body && typeof body === 'object') delete body.refresh_token;
      });
    }
    providers.set(tenant, provider);
  }

  /** File 360's resource side: a token the provider issued and still honours, or the gateway 401 of CONTRACTS §A.2. */
  async function api(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer) bearers.push(bearer);
    for (const provider of bearer ? providers.values() : []) {
      const token = await provider.AccessToken.find(bearer ?? '');
      if (!token) continue;
      apiAnswers.push(200);
      const person = PEOPLE[token.accountId];
      const body =
        path === '/file360/v1/me'
          ? { id: `u-${token.accountId}`, display_name: person?.name ?? token.accountId, email: person?.email, roles: ['annotator'], groups: [] }
          : { _embedded: { collection: [] }, _links: { self: { href: `${url}${path}` } }, page: 1, items_per_page: 100 };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    apiAnswers.push(401);
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token"' }).end(GATEWAY_401);
  }

  listener.on('request', (req, res) => {
    const path = new URL(req.url ?? '/', url).pathname;
    requests.push(`${req.method} ${path}`);
    const tenant = /^\/tenants\/([^/]+)\/oauth2(?=\/|$)/.exec(path)?.[1];
    const provider = tenant ? providers.get(tenant) : undefined;
    if (provider && tenant) {
      // Mounted as Express would: the provider sees its own paths, and the original URL for links.
      const mounted = req as http.IncomingMessage & { originalUrl?: string };
      mounted.originalUrl = req.url;
      req.url = (req.url ?? '').slice(`/tenants/${tenant}/oauth2`.length) || '/';
      void provider.callback()(req, res);
      return;
    }
    if (path === '/file360/v1/me' || path === '/file360/v1/assignments') {
      api(req, res, path).catch(() => res.writeHead(500).end());
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 404, code: 'NOT_FOUND', message: `${path} was not found.` }));
  });

  let open = true;
  const stop = async () => {
    if (!open) return;
    open = false;
    listener.closeAllConnections();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  };
  return {
    url,
    issuer,
    provider: (tenant) => providers.get(tenant) as Provider,
    grants,
    apiAnswers,
    bearers,
    requests,
    stop,
    async listen() {
      await new Promise<void>((resolve) => listener.listen(Number(new URL(url).port), '127.0.0.1', resolve));
      open = true;
    },
    close: stop,
  };
}

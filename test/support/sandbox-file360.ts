import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import { startFile360Sandbox, type File360Sandbox, type File360SandboxOptions } from '../../sandbox/file360';
import { submitApprovePage } from './approve';

export { hiddenFields, submitApprovePage } from './approve';

/** A sandbox closed when the current test finishes. */
export async function sandbox(options: File360SandboxOptions = {}): Promise<File360Sandbox> {
  const started = await startFile360Sandbox(options);
  onTestFinished(() => started.close());
  return started;
}

export interface Tokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  scope: string;
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The app's side of RFC 8252: a loopback listener that catches the one redirect. */
export async function callbackListener(): Promise<{ redirectUri: string; received: Promise<URLSearchParams> }> {
  let deliver: (params: URLSearchParams) => void = () => undefined;
  const received = new Promise<URLSearchParams>((resolve) => (deliver = resolve));
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('You can close this window.');
    deliver(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  return { redirectUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, received };
}

export function authorizeUrl(sb: File360Sandbox, params: Record<string, string>): string {
  return `${sb.url}/tenants/${sb.tenant}/oauth2/auth?${new URLSearchParams({ response_type: 'code', client_id: sb.clientId, scope: 'openid file360 push', state: randomBytes(8).toString('hex'), code_challenge_method: 'S256', ...params })}`;
}

export async function tokenRequest(sb: File360Sandbox, form: Record<string, string>): Promise<Response> {
  return fetch(`${sb.url}/tenants/${sb.tenant}/oauth2/token`, { method: 'POST', body: new URLSearchParams({ client_id: sb.clientId, ...form }) });
}

/** The whole browser sign-in: approve page, redirect to the loopback callback, code exchange. */
export async function signIn(sb: File360Sandbox, username = 'ana'): Promise<Tokens> {
  const user = sb.users.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`No sandbox user ${username}`);
  const { verifier, challenge } = pkce();
  const callback = await callbackListener();
  const answer = await submitApprovePage(authorizeUrl(sb, { redirect_uri: callback.redirectUri, code_challenge: challenge }), {
    username,
    password: user.password,
    action: 'allow',
  });
  await fetch(answer.headers.get('location') ?? '');
  const code = (await callback.received).get('code') ?? '';
  const response = await tokenRequest(sb, { grant_type: 'authorization_code', code, redirect_uri: callback.redirectUri, code_verifier: verifier });
  if (response.status !== 200) throw new Error(`Sign-in failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Tokens;
}

/** A JSON API call as the signed-in user; `T` is what the test expects the body to be. */
export async function api<T = Record<string, unknown>>(sb: File360Sandbox, token: string, path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: T }> {
  const response = await fetch(`${sb.url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

export interface Collection<T> {
  _embedded: { collection: T[] };
  _links: { self: { href: string }; next?: { href: string } };
  page: number;
  items_per_page: number;
  total?: number;
}

/** Every item of a HAL collection, following `_links.next`; also returns the pages seen. */
export async function allPages<T>(sb: File360Sandbox, token: string, path: string): Promise<{ items: T[]; pages: Collection<T>[] }> {
  const pages: Collection<T>[] = [];
  let url: string | undefined = `${sb.url}${path}`;
  while (url) {
    const { status, body }: { status: number; body: Collection<T> } = await api<Collection<T>>(sb, token, url.slice(sb.url.length));
    if (status !== 200) throw new Error(`GET ${url} answered ${status}`);
    pages.push(body);
    url = body._links.next?.href;
  }
  return { items: pages.flatMap((page) => page._embedded.collection), pages };
}

/** Reads a response body as far as it goes; a connection error ends it rather than throwing. */
export async function readUntilError(response: Response): Promise<{ bytes: Buffer; error?: unknown }> {
  const chunks: Buffer[] = [];
  const reader = response.body?.getReader();
  try {
    for (let next = await reader?.read(); next && !next.done; next = await reader?.read()) chunks.push(Buffer.from(next.value));
    return { bytes: Buffer.concat(chunks) };
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

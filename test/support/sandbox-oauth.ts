/**
 * Signing in to the File 360 sandbox over plain HTTP, as a person and a client
 * would: the approve page, the loopback redirect, the code exchange. Free of
 * Vitest, so child processes and benchmarks use it too.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Opener } from '../../electron/core/kernel/ports';
import type { File360Sandbox } from '../../sandbox/file360';

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

/** The client's side of RFC 8252: a loopback listener that catches the redirect; `close` when done. */
export async function callbackListener(): Promise<{ redirectUri: string; received: Promise<URLSearchParams>; close(): void }> {
  let deliver: (params: URLSearchParams) => void = () => undefined;
  const received = new Promise<URLSearchParams>((resolve) => (deliver = resolve));
  // Keeps listening after the callback: a browser follows it with requests of
  // its own (the favicon), and a refused one is a console error in the page.
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('You can close this window.');
    deliver(url.searchParams);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const close = (): void => {
    server.closeAllConnections();
    server.close();
  };
  return { redirectUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, received, close };
}

export function authorizeUrl(sb: File360Sandbox, params: Record<string, string>): string {
  return `${sb.url}/tenants/${sb.tenant}/oauth2/auth?${new URLSearchParams({ response_type: 'code', client_id: sb.clientId, scope: 'openid offline_access file360 push', state: randomBytes(8).toString('hex'), code_challenge_method: 'S256', ...params })}`;
}

export async function tokenRequest(sb: File360Sandbox, form: Record<string, string>): Promise<Response> {
  return fetch(`${sb.url}/tenants/${sb.tenant}/oauth2/token`, { method: 'POST', body: new URLSearchParams({ client_id: sb.clientId, ...form }) });
}

/** The hidden fields of the approve page's form, as a browser would submit them. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[name ?? ''] = (value ?? '').replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  }
  return fields;
}

/** Submits the approve page as a person would; returns the sandbox's answer without following it. */
export async function submitApprovePage(pageUrl: string, fields: Record<string, string>): Promise<Response> {
  const page = await fetch(pageUrl);
  const html = await page.text();
  return fetch(pageUrl, { method: 'POST', body: new URLSearchParams({ ...hiddenFields(html), ...fields }), redirect: 'manual' });
}

/**
 * The system browser, as a person would use it: open the sign-in page, type the
 * user name and password, press Allow (or Deny), and follow the redirect back to the app.
 */
export function approvingOpener(credentials: { username: string; password: string }, action: 'allow' | 'deny' = 'allow'): Opener & { opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    async openExternal(url) {
      opened.push(url);
      void (async () => {
        const answer = await submitApprovePage(url, { ...credentials, action });
        const location = answer.headers.get('location');
        if (location) await fetch(location);
      })();
    },
  };
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
  callback.close();
  const response = await tokenRequest(sb, { grant_type: 'authorization_code', code, redirect_uri: callback.redirectUri, code_verifier: verifier });
  if (response.status !== 200) throw new Error(`Sign-in failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Tokens;
}

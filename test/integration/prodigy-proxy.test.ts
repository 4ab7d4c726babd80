import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PROXY_BODY_BYTES, createProdigyProxy } from '../../electron/host/prodigy-proxy';
import { recordingLogger } from '../support/ports';

const upstreams: http.Server[] = [];
const proxy = createProdigyProxy(recordingLogger());

afterEach(() => {
  proxy.closeAll();
  for (const server of upstreams.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** A server that, like Prodigy with PRODIGY_BASIC_AUTH_*, answers only with the right credentials. */
async function basicAuthServer(user: string, pass: string): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const expected = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  const upstream = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} cookie=${req.headers.cookie ?? '-'}`);
    if (req.headers.authorization !== expected) return res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Prodigy"' }).end();
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ path: req.url }));
  });
  upstreams.push(upstream);
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, seen };
}

function request(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .request(url, { method, headers }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject)
      .end(method === 'POST' ? '{}' : undefined);
  });
}
const get = (url: string, headers: Record<string, string> = {}) => request(url, headers);

/** Opens a session through the proxy and walks its entry link, as the tab does; returns the cookie the tab then holds. */
async function enter(assignmentId: string, prodigyUrl: string): Promise<{ base: string; cookie: string }> {
  const entry = await proxy.open({ assignmentId, name: 'Support <triage>', url: `${prodigyUrl}/`, user: 'u', pass: 'p' });
  const entered = await get(entry ?? '');
  return { base: new URL(entry ?? '').origin, cookie: String(entered.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '' };
}

describe('the browser shell’s way into a Prodigy session', () => {
  it('lets the tab in once, then adds the credentials to every request without showing them to the page', async () => {
    const prodigy = await basicAuthServer('companion-x', 's3cret-pass');
    const entry = await proxy.open({ assignmentId: 'asg-1', name: 't', url: `${prodigy.url}/?session=ana`, user: 'companion-x', pass: 's3cret-pass' });
    const base = new URL(entry ?? '').origin;

    expect((await get(`${base}/project`)).status).toBe(401);
    const entered = await get(entry ?? '');
    expect(entered.status).toBe(302);
    expect(entered.headers.location).toBe('/?session=ana');
    const cookie = String(entered.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    expect(entered.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);

    const answer = await get(`${base}/project`, { cookie });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ path: '/project' });
    expect(answer.body).not.toContain('s3cret-pass');
    // Prodigy never sees the proxy's cookie.
    expect(prodigy.seen.at(-1)).toBe('GET /project cookie=-');

    expect((await get(entry ?? '')).status).toBe(403); // the entry link works once
  });

  it('refuses a rebound Host and never redirects off the proxy', async () => {
    const prodigy = await basicAuthServer('u', 'p');
    const entry = new URL((await proxy.open({ assignmentId: 'asg-2', name: 't', url: `${prodigy.url}/`, user: 'u', pass: 'p' })) ?? '');
    expect((await get(entry.href, { host: 'evil.example' })).status).toBe(421);
    for (const next of ['//evil.example/x', '/\\evil.example/x', 'http://evil.example/']) {
      const attempt = new URL((await proxy.open({ assignmentId: 'asg-2', name: 't', url: `${prodigy.url}/`, user: 'u', pass: 'p' })) ?? '');
      attempt.searchParams.set('next', next);
      expect((await get(attempt.href)).headers.location, next).toBe('/');
    }
  });

  it('keeps two open sessions apart: each tab stays signed in to its own', async () => {
    const first = await enter('asg-a', (await basicAuthServer('u', 'p')).url);
    const second = await enter('asg-b', (await basicAuthServer('u', 'p')).url);
    expect(first.cookie.split('=')[0]).not.toBe(second.cookie.split('=')[0]);
    // A browser sends every 127.0.0.1 cookie to every port.
    const jar = `${first.cookie}; ${second.cookie}`;
    expect((await get(`${first.base}/project`, { cookie: jar })).status).toBe(200);
    expect((await get(`${second.base}/project`, { cookie: jar })).status).toBe(200);
    expect((await get(`${second.base}/project`, { cookie: first.cookie })).status).toBe(401);
  });

  it('takes answers only from the session’s own page, not from another local page holding the cookie', async () => {
    const { base, cookie } = await enter('asg-4', (await basicAuthServer('u', 'p')).url);
    expect((await request(`${base}/give_answers`, { cookie, origin: base }, 'POST')).status).toBe(200);
    expect((await request(`${base}/give_answers`, { cookie, origin: 'http://127.0.0.1:1' }, 'POST')).status).toBe(403);
    expect((await request(`${base}/give_answers`, { cookie }, 'POST')).status).toBe(403);
  });

  it('tells a tab of a stopped session so, in words, and lets it work again when the session continues', async () => {
    const first = await basicAuthServer('u', 'p');
    const { base, cookie } = await enter('asg-3', first.url);
    proxy.close('asg-3');
    const seen = first.seen.length;

    // A reload: a page saying what happened and how to go on, not the browser's "This site can't be reached".
    const page = await get(`${base}/`, { cookie, accept: 'text/html,application/xhtml+xml', 'sec-fetch-mode': 'navigate' });
    expect(page.status).toBe(410);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('The Prodigy session for “Support &lt;triage&gt;” has stopped, and the answers it saved are kept. To go on, click Continue on its page in Annotator Companion (or under Sessions)');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    // An answer sent from the page left open: Prodigy's error shape with the same words, instead of "Failed to fetch".
    const answer = await request(`${base}/give_answers`, { cookie, origin: base }, 'POST');
    expect(answer.status).toBe(410);
    expect(JSON.parse(answer.body).detail).toMatch(/^The Prodigy session for “Support <triage>” has stopped/);
    expect(first.seen.length).toBe(seen); // nothing reached the stopped Prodigy
    // Without the tab's cookie, nothing, not even the title.
    expect((await get(`${base}/`)).status).toBe(401);

    // Continue: a new Prodigy behind the same address, so the old tab's next request reaches it.
    const second = await basicAuthServer('u', 'p2');
    const again = await proxy.open({ assignmentId: 'asg-3', name: 'Support <triage>', url: `${second.url}/`, user: 'u', pass: 'p2' });
    expect(new URL(again ?? '').origin).toBe(base);
    expect((await get(`${base}/project`, { cookie })).status).toBe(200);
    expect(second.seen.at(-1)).toBe('GET /project cookie=-');
  });

  it('tells a tab of a removed assignment that it cannot go on, not to click Continue', async () => {
    const prodigy = await basicAuthServer('u', 'p');
    const { base, cookie } = await enter('asg-6', prodigy.url);
    proxy.close('asg-6');
    proxy.close('asg-6', 'removed');
    const page = await get(`${base}/`, { cookie, accept: 'text/html', 'sec-fetch-mode': 'navigate' });
    expect(page.status).toBe(410);
    expect(page.body).toContain('<h1>This assignment was removed</h1>');
    expect(page.body).toContain('“Support &lt;triage&gt;” is no longer on this computer: its files and its Prodigy session were removed, so this session cannot go on.');
    expect(page.body).not.toContain('Continue');
    const answer = await request(`${base}/give_answers`, { cookie, origin: base }, 'POST');
    expect(JSON.parse(answer.body).detail).toMatch(/^“Support <triage>” is no longer on this computer/);
  });

  it('stops answering when the app quits', async () => {
    const prodigy = await basicAuthServer('u', 'p');
    const entry = await proxy.open({ assignmentId: 'asg-5', name: 't', url: `${prodigy.url}/`, user: 'u', pass: 'p' });
    proxy.closeAll();
    await expect(get(entry ?? '')).rejects.toThrow(/ECONNREFUSED/);
  });
});

/** What the proxy answers to raw bytes on a fresh connection, until it closes it (or a second passes). */
function rawReply(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    const timer = setTimeout(() => socket.destroy(), 1000);
    socket.on('data', (chunk: Buffer) => (text += chunk));
    socket.on('close', () => (clearTimeout(timer), resolve(text)));
    socket.on('error', () => resolve(text));
  });
}

describe('the proxy keeps Prodigy’s page to itself (issue 13)', () => {
  it('adds a CSP with frame-ancestors and X-Frame-Options to every answer', async () => {
    const { base, cookie } = await enter('asg-csp', (await basicAuthServer('u', 'p')).url);
    const answer = await get(`${base}/project`, { cookie });
    expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(answer.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses a body larger than a session sends with 413, before Prodigy sees it, and keeps answering', async () => {
    const prodigy = await basicAuthServer('u', 'p');
    const { base, cookie } = await enter('asg-big', prodigy.url);
    const seen = prodigy.seen.length;
    const port = Number(new URL(base).port);
    const reply = await rawReply(port, `POST /give_answers HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookie}\r\nOrigin: ${base}\r\nContent-Length: ${MAX_PROXY_BODY_BYTES + 1}\r\n\r\n{"answers":[`);
    expect(reply).toMatch(/^HTTP\/1\.1 413/);
    expect(prodigy.seen.length).toBe(seen);
    expect((await get(`${base}/project`, { cookie })).status).toBe(200);
  });

  it('answers 400 to a request target that is not a URL, and keeps answering', async () => {
    const { base, cookie } = await enter('asg-bad', (await basicAuthServer('u', 'p')).url);
    const port = Number(new URL(base).port);
    const reply = await rawReply(port, `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await get(`${base}/project`, { cookie })).status).toBe(200);
  });
});

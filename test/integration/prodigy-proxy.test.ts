import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createProdigyProxy } from '../../electron/host/prodigy-proxy';
import { recordingLogger } from '../support/ports';

let upstream: http.Server | null = null;
const proxy = createProdigyProxy(recordingLogger());

afterEach(() => {
  proxy.closeAll();
  upstream?.closeAllConnections();
  upstream?.close();
});

/** A server that, like Prodigy with PRODIGY_BASIC_AUTH_*, answers only with the right credentials. */
async function basicAuthServer(user: string, pass: string): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const expected = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  upstream = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} cookie=${req.headers.cookie ?? '-'}`);
    if (req.headers.authorization !== expected) return res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Prodigy"' }).end();
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ path: req.url }));
  });
  await new Promise<void>((resolve) => upstream?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, seen };
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

describe('the browser shell’s way into a Prodigy session', () => {
  it('lets the tab in once, then adds the credentials to every request without showing them to the page', async () => {
    const prodigy = await basicAuthServer('companion-x', 's3cret-pass');
    const entry = await proxy.open({ assignmentId: 'asg-1', title: 't', url: `${prodigy.url}/?session=ana`, user: 'companion-x', pass: 's3cret-pass' });
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
    const entry = new URL((await proxy.open({ assignmentId: 'asg-2', title: 't', url: `${prodigy.url}/`, user: 'u', pass: 'p' })) ?? '');
    expect((await get(entry.href, { host: 'evil.example' })).status).toBe(421);
    entry.searchParams.set('next', '//evil.example/x');
    expect((await get(entry.href)).headers.location).toBe('/');
  });

  it('stops answering when the session closes', async () => {
    const prodigy = await basicAuthServer('u', 'p');
    const entry = await proxy.open({ assignmentId: 'asg-3', title: 't', url: `${prodigy.url}/`, user: 'u', pass: 'p' });
    proxy.close('asg-3');
    await expect(get(entry ?? '')).rejects.toThrow(/ECONNREFUSED/);
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFile360Client } from '../../electron/core/remote/file360/client';
import { File360Error } from '../../electron/core/kernel/http/errors';
import { createHttp, type Http } from '../../electron/core/kernel/http/http';
import type { File360Session } from '../../electron/core/remote/file360/session';

/**
 * Answers the sandbox never gives on cue: other servers' error pages, a
 * Retry-After to honour, a next link to another host. A hand-rolled server
 * speaking the contract, for exactly these cases.
 */
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, hits: number) => void;

let server: http.Server | null = null;
let http360: Http | null = null;

async function serve(handler: Handler): Promise<string> {
  let hits = 0;
  server = http.createServer((req, res) => handler(req, res, ++hits));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await http360?.close();
  server?.closeAllConnections();
  server?.close();
});

/** A session that is always signed in, so only the client and HTTP layer are under test. */
function clientFor(base: string, options: Parameters<typeof createHttp>[0] = { userAgent: 'test' }) {
  http360 = createHttp({ initialDelayMs: 5, maxDelayMs: 20, ...options });
  const session = { server: base, authorized: <T>(call: (token: string) => Promise<T>) => call('token') } as unknown as File360Session;
  return createFile360Client(session, http360);
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));

const me = { id: 'u-1', display_name: 'Ana', roles: ['annotator'], groups: [] };

describe('the File 360 client reads every kind of error', () => {
  it('takes the code and words from a Documentum-style service error', async () => {
    const base = await serve((_req, res) => json(res, 403, { status: 403, code: 'ASSIGNMENT_REVOKED', message: 'The share was withdrawn.', details: '', id: 'r-1' }, { 'X-Request-Id': 'r-1' }));
    const error = await clientFor(base).me().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(File360Error);
    expect(error).toMatchObject({ status: 403, code: 'ASSIGNMENT_REVOKED', requestId: 'r-1', message: 'File 360 refused access: The share was withdrawn.' });
    expect((error as File360Error).retryable).toBe(false);
  });

  it('takes the code from an API gateway fault', async () => {
    const base = await serve((_req, res) => json(res, 401, { fault: { faultstring: 'Access Token expired', detail: { errorcode: 'keymanagement.service.access_token_expired' } } }));
    expect(await clientFor(base).me().catch((e: unknown) => e)).toMatchObject({ status: 401, code: 'keymanagement.service.access_token_expired' });
  });

  it('copes with a proxy’s HTML page, retries it as a 502, and says so in words', async () => {
    const base = await serve((_req, res) => res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html><body><h1>Bad Gateway</h1></body></html>'));
    const error = (await clientFor(base, { userAgent: 'test', maxAttempts: 2 }).me().catch((e: unknown) => e)) as File360Error;
    expect(error).toMatchObject({ status: 502, code: null, message: 'File 360 could not be reached through its gateway (HTTP 502).' });
  });

  it('refuses an answer that is not JSON, or not the shape the contract promises', async () => {
    const notJson = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id": '));
    expect(await clientFor(notJson).me().catch((e: unknown) => e)).toMatchObject({ kind: 'invalid-response', message: 'File 360 sent an answer that is not JSON.' });
    await http360?.close();
    server?.close();
    const wrongShape = await serve((_req, res) => json(res, 200, { id: 42 }));
    expect(await clientFor(wrongShape).me().catch((e: unknown) => e)).toMatchObject({ kind: 'invalid-response', message: expect.stringContaining('does not understand') });
  });
});

describe('retries', () => {
  it('wait as long as Retry-After says after a 429, then succeed', async () => {
    const times: number[] = [];
    const base = await serve((_req, res, hits) => {
      times.push(Date.now());
      if (hits === 1) json(res, 429, { fault: { faultstring: 'Rate limit' } }, { 'Retry-After': '1' });
      else json(res, 200, me);
    });
    expect(await clientFor(base).me()).toMatchObject({ id: 'u-1' });
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('give up on a Retry-After longer than the app is willing to wait', async () => {
    const base = await serve((_req, res) => json(res, 503, { status: 503, code: 'SERVICE_UNAVAILABLE', message: 'Maintenance.' }, { 'Retry-After': '3600' }));
    const started = Date.now();
    expect(await clientFor(base, { userAgent: 'test', maxRetryAfterMs: 10_000 }).me().catch((e: unknown) => e)).toMatchObject({ status: 503, retryAfterMs: 3_600_000 });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('pagination', () => {
  it('follows _links.next to the last page', async () => {
    const base = await serve((req, res) => {
      const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? 1);
      const next = page < 3 ? { next: { href: `/file360/v1/assignments?page=${page + 1}&items-per-page=1000` } } : {};
      const item = { id: `asg-${page}`, name: `A ${page}`, status: 'active', role: 'annotator', permissions: [], manifest_version: 1, file_count: 0, total_size: 0, project: { recipe: 'r', dataset: 'd' } };
      json(res, 200, { _embedded: { collection: [item] }, _links: { self: { href: req.url }, ...next }, page, items_per_page: 1000 });
    });
    expect((await clientFor(base).assignments()).items.map((a) => a.id)).toEqual(['asg-1', 'asg-2', 'asg-3']);
  });

  it('never follows a next link to another host, which would hand it the bearer token', async () => {
    const base = await serve((req, res) =>
      json(res, 200, { _embedded: { collection: [] }, _links: { self: { href: req.url }, next: { href: 'https://collector.example/steal?page=2' } } }),
    );
    expect(await clientFor(base).assignments().catch((e: unknown) => e)).toMatchObject({ message: 'File 360 pointed the next page at another server; the app did not follow it.' });
  });
});

describe('bodies and pages File 360 should not send (issue 13)', () => {
  it('a streamed body can be dropped unread without ending the process (Push answering HTML, a redirect for content)', async () => {
    const base = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('x'.repeat(256 * 1024)));
    http360 = createHttp({ userAgent: 'test' });
    const response = await http360.stream({ method: 'GET', url: `${base}/push/v1/stream` });
    response.body.destroy();
    // Before, undici's UND_ERR_ABORTED reached no listener: Vitest fails the run on such an uncaught error.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(response.body.destroyed).toBe(true);
  });

  it('stops at an empty page that still points on, and at a next link that is not an address', async () => {
    const empty = await serve((req, res) => {
      const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? 1);
      json(res, 200, { _embedded: { collection: [] }, _links: { next: { href: `/file360/v1/assignments?page=${page + 1}` } } });
    });
    expect(await clientFor(empty).assignments().catch((e: unknown) => e)).toMatchObject({ message: 'File 360 sent an empty page that still pointed to another; the app stopped following it.' });
    await http360?.close();
    server?.close();
    const broken = await serve((_req, res) => json(res, 200, { _embedded: { collection: [] }, _links: { next: { href: 'http://[' } } }));
    expect(await clientFor(broken).assignments().catch((e: unknown) => e)).toMatchObject({ message: 'File 360 sent a link to the next page that is not an address.' });
  });

  it('lists the assignments it can read and names the one it cannot', async () => {
    const good = { id: 'asg-1', name: 'Fine', status: 'active', role: 'annotator', permissions: [], manifest_version: 1, file_count: 0, total_size: 0, project: { recipe: 'r', dataset: 'd' } };
    const base = await serve((_req, res) => json(res, 200, { _embedded: { collection: [good, { ...good, id: 'asg-2', name: 'Broken', status: 'paused' }, 'not an object'] }, _links: {} }));
    expect(await clientFor(base).assignments()).toEqual({
      items: [expect.objectContaining({ id: 'asg-1' })],
      unreadable: [
        { id: 'asg-2', name: 'Broken', reason: expect.stringMatching(/^status: /) },
        { id: null, name: null, reason: expect.stringMatching(/^item: /) },
      ],
    });
  });
});

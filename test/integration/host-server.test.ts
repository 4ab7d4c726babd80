import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_PROTOCOL, WS_TOKEN_PREFIX, type ServerFrame } from '../../shared/api/wire';
import { createCompanion, type Companion } from '../../electron/core/companion';
import { resolveConfig } from '../../electron/core/kernel/config/config';
import { startHostServer, type HostServer } from '../../electron/host/server';
import { testPorts } from '../support/ports';
import { tempDir } from '../support/tmp';

let companion: Companion;
let server: HostServer;

async function start(): Promise<void> {
  const dir = tempDir();
  const rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside the renderer');
  const config = resolveConfig({ argv: ['--data-dir', path.join(dir, 'data')], env: {}, platform: 'linux', homedir: dir, version: '0.0.0-test', shell: 'browser' });
  const ports = testPorts();
  companion = await createCompanion(config, ports);
  server = await startHostServer({ router: companion.router, events: companion.events, rendererDir, logger: ports.logger });
}

afterEach(async () => {
  await server?.close();
  await companion?.close();
});

interface Attempt {
  protocols?: string[];
  origin?: string;
  host?: string;
}

/** Resolves with the HTTP status of a refused upgrade, or 101 and an open socket. */
function connect({ protocols, origin, host }: Attempt): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (host) headers.Host = host;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, protocols ?? [WS_PROTOCOL, WS_TOKEN_PREFIX + server.token], {
      origin: origin ?? server.origin,
      headers,
    });
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', (error) => reject(error));
  });
}

function nextFrame(ws: WebSocket): Promise<ServerFrame> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)) as ServerFrame)));
}

function get(urlPath: string, host?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: urlPath, headers: host ? { Host: host } : {} }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the browser shell server', () => {
  it('listens on 127.0.0.1 only and hands out a link with the token in its #fragment', async () => {
    await start();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers API calls and forwards events to a page with the right token, Origin and Host', async () => {
    await start();
    const { status, ws } = await connect({});
    expect(status).toBe(101);
    expect(ws?.protocol).toBe(WS_PROTOCOL);
    ws?.send(JSON.stringify({ type: 'call', id: 7, method: 'app.info', input: {} }));
    const frame = await nextFrame(ws as WebSocket);
    expect(frame).toMatchObject({ type: 'result', id: 7, result: { ok: true, value: { shell: 'browser', version: '0.0.0-test' } } });

    const event = nextFrame(ws as WebSocket);
    companion.events.emit('navigate', { section: 'audit' });
    expect(await event).toEqual({ type: 'event', event: 'navigate', payload: { section: 'audit' } });
    ws?.close();
  });

  it('refuses a socket with a wrong token', async () => {
    await start();
    expect((await connect({ protocols: [WS_PROTOCOL, `${WS_TOKEN_PREFIX}not-the-token`] })).status).toBe(401);
    expect((await connect({ protocols: [WS_PROTOCOL, WS_TOKEN_PREFIX + server.token.slice(0, -1)] })).status).toBe(401);
  });

  it('refuses a socket with no token', async () => {
    await start();
    expect((await connect({ protocols: [WS_PROTOCOL] })).status).toBe(401);
  });

  it('refuses a socket from a foreign Origin even with the right token', async () => {
    await start();
    expect((await connect({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await connect({ origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await connect({ origin: 'null' })).status).toBe(403);
  });

  it('refuses a socket whose Host is not 127.0.0.1 or localhost (DNS rebinding)', async () => {
    await start();
    expect((await connect({ host: `evil.example:${server.port}` })).status).toBe(421);
    expect((await connect({ host: `127.0.0.1.nip.io:${server.port}` })).status).toBe(421);
    expect((await connect({ host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` })).status).toBe(101);
  });

  it('refuses page requests for a rebound Host too', async () => {
    await start();
    expect((await get('/', `evil.example:${server.port}`)).status).toBe(421);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain(`ws://127.0.0.1:${server.port}`);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves only files inside the renderer folder', async () => {
    await start();
    expect((await get('/assets/app.js')).status).toBe(200);
    for (const probe of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/%00index.html', '/nope.js']) {
      const res = await get(probe);
      expect(res.status, probe).toBe(404);
      expect(res.body).not.toContain('outside the renderer');
    }
  });

  it('closes a socket that sends something other than a call frame', async () => {
    await start();
    const { ws } = await connect({});
    const closed = new Promise<number>((resolve) => ws?.once('close', (code) => resolve(code)));
    ws?.send('{"type":"call","id":"one"}');
    expect(await closed).toBe(1007);
  });
});

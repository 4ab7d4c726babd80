import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { WS_PATH, WS_PROTOCOL, WS_TOKEN_PREFIX, type ServerFrame } from '../../shared/api/wire';
import type { EventHub } from '../core/api/event-hub';
import type { Router } from '../core/api/router';
import type { Logger } from '../core/ports';
import { SECURITY_HEADERS, contentType, rendererCsp, resolveRendererFile } from '../core/platform/renderer-files';

export interface HostServerOptions {
  router: Router;
  events: EventHub;
  rendererDir: string;
  logger: Logger;
  /** 0 (the default) picks a free port. */
  port?: number;
  token?: string;
}

export interface HostServer {
  /** The address to open, carrying the token in the #fragment so it never reaches a server log. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const CallFrame = z.strictObject({
  type: z.literal('call'),
  id: z.int().min(0),
  method: z.string().max(200),
  input: z.unknown(),
});

const MAX_FRAME_BYTES = 1024 * 1024;

function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const text = http.STATUS_CODES[status] ?? 'Refused';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
}

/**
 * Serves the renderer and the API on 127.0.0.1 only. Every request must name
 * this server as its Host (a rebound DNS name is refused), and the socket also
 * needs this page's Origin and the per-run token.
 */
export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const { router, events, rendererDir, logger } = options;
  const token = options.token ?? randomBytes(32).toString('base64url');
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  let csp = rendererCsp();

  const server = http.createServer((req, res) => {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('This server only answers to 127.0.0.1 and localhost.');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    const file = resolveRendererFile(rendererDir, pathname);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': contentType(file),
      'Content-Security-Policy': csp,
      'Cache-Control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    // A file removed between the lookup and the read (a rebuild) ends this response, not the process.
    else fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  const clients = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    if (pathname !== WS_PATH) return refuseUpgrade(socket, 404, 'Not found');
    if (!allowedHosts.has(req.headers.host ?? '')) return refuseUpgrade(socket, 421, 'Wrong Host');
    if (!allowedOrigins.has(req.headers.origin ?? '')) return refuseUpgrade(socket, 403, 'Foreign Origin');
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const given = offered.find((p) => p.startsWith(WS_TOKEN_PREFIX))?.slice(WS_TOKEN_PREFIX.length) ?? '';
    if (!tokensMatch(given, token)) return refuseUpgrade(socket, 401, 'Missing or wrong token');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const send = (ws: WebSocket, frame: ServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };

  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('message', async (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'Text frames only');
      let frame: z.infer<typeof CallFrame>;
      try {
        frame = CallFrame.parse(JSON.parse(data.toString('utf8')));
      } catch {
        return ws.close(1007, 'Malformed frame');
      }
      const result = await router.call(frame.method, frame.input);
      send(ws, { type: 'result', id: frame.id, result });
    });
  });

  const unsubscribe = events.subscribe((event, payload) => {
    for (const ws of clients) send(ws, { type: 'event', event, payload });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  csp = rendererCsp([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);
  const origin = `http://127.0.0.1:${port}`;
  logger.info('browser shell listening', { origin });

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { ERROR_TEXT } from '../../shared/api/errors';
import { CONFIRMED_SETTINGS } from '../../shared/api/schemas/settings';
import { parseUrl } from '../../shared/url';
import { WS_PATH, WS_PROTOCOL, WS_TOKEN_PREFIX, type ServerFrame } from '../../shared/api/wire';
import type { Router } from '../core/kernel/api/router';
import type { Logger } from '../core/kernel/ports';
import { SECURITY_HEADERS, contentType, rendererCsp, resolveRendererFile } from '../core/kernel/platform/renderer-files';
import { listenLocal } from './listen';
import { isSameUser } from './peer';
import type { EventHub } from '../core/kernel/ports';

export interface HostServerOptions {
  router: Router;
  events: EventHub;
  rendererDir: string;
  logger: Logger;
  /** 0 (the default) picks a free port. */
  port?: number;
  token?: string;
  /** How long a launch link stays usable (default LAUNCH_TTL_MS). */
  launchTtlMs?: number;
}

export interface HostServer {
  /** The address to open, carrying the token in the #fragment so it never reaches a server log. */
  url: string;
  origin: string;
  port: number;
  token: string;
  /**
   * A one-time address for opening the page from a command line (`xdg-open`,
   * whose arguments other users of the computer can read in /proc): it carries
   * no token, only a code that trades for it once, within a few minutes, and
   * on Linux only for a connection of the user who started the app.
   */
  launchUrl(): string;
  close(): Promise<void>;
}

const CallFrame = z.strictObject({
  type: z.literal('call'),
  id: z.int().min(0),
  method: z.string().max(200),
  input: z.unknown(),
});

/**
 * The largest call frame the socket takes. The biggest real one is a settings
 * update or a reviewer's corrected task, a few KiB; a longer frame closes the
 * socket with 1009 (RFC 6455 §7.4.1) and the page reconnects.
 */
export const MAX_FRAME_BYTES = 1024 * 1024;
export const LAUNCH_PATH = '/launch';
export const LAUNCH_TTL_MS = 2 * 60_000;

/**
 * Calls the browser shell does not pass on. A page that holds the token could
 * otherwise make the app run any program (CONFIRMED_SETTINGS): those settings
 * change only outside a browser tab, by flag, environment or the settings file.
 */
export function refusedFromBrowser(method: string, input: unknown): string | null {
  if (method !== 'settings.update' || !input || typeof input !== 'object') return null;
  const values = (input as { values?: unknown }).values;
  if (!values || typeof values !== 'object') return null;
  if (!CONFIRMED_SETTINGS.some((key) => key in values)) return null;
  return 'The command that starts Prodigy runs a program on this computer, so it is not changed from a browser tab. Start the app with --prodigy-command "…" or COMPANION_PRODIGY_COMMAND, or set "prodigyCommand" in settings.json in the data folder and restart.';
}

export type Decoded = { frame: z.infer<typeof CallFrame> } | { close: [code: number, reason: string] };

/** One message from the page: a call frame, or how to close the socket (RFC 6455 §7.4.1 codes). */
export function decodeCallFrame(data: Buffer, isBinary: boolean): Decoded {
  if (isBinary) return { close: [1003, 'Text frames only'] };
  try {
    return { frame: CallFrame.parse(JSON.parse(data.toString('utf8'))) };
  } catch {
    return { close: [1007, 'Malformed frame'] };
  }
}

function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const text = http.STATUS_CODES[status] ?? 'Refused';
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
  else socket.destroy();
}

/** The path of a request target, or null when it is not one (`http://[`): such a request is refused, never thrown on. */
function pathOf(target: string | undefined): string | null {
  return parseUrl(target ?? '/', 'http://x')?.pathname ?? null;
}

function plain(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(text);
}

/**
 * Answers the page's calls on every socket the upgrade let through: each frame
 * decoded and checked, each call through the router, each answer written
 * safely. Returns the open sockets and how to write to one, for the events.
 */
function answerCalls(wss: WebSocketServer, router: Router, logger: Logger) {
  const clients = new Set<WebSocket>();
const send = (ws: WebSocket, frame: ServerFrame) => {
  if (ws.readyState !== ws.OPEN) return;
  let text: string;
  try {
    text = JSON.stringify(frame);
  } catch (error) {
    logger.error('a frame for the page could not be written', { error, type: frame.type });
    return;
  }
  ws.send(text);
};

wss.on('connection', (ws) => {
  clients.add(ws);
  ws.on('close', () => clients.delete(ws));
  // A protocol error (a frame over MAX_FRAME_BYTES, invalid UTF-8, RSV bits, an unmasked frame, a bad
  // opcode, a long ping) closes this socket with its code (1009, 1007, 1002); ws has sent the close already.
  ws.on('error', (error) => logger.info('the page’s socket broke the WebSocket protocol and was closed', { error: error.message }));
  ws.on('message', (data: Buffer, isBinary) => {
    const decoded = decodeCallFrame(data, isBinary);
    if ('close' in decoded) return ws.close(...decoded.close);
    const { frame } = decoded;
    const refused = refusedFromBrowser(frame.method, frame.input);
    if (refused) return send(ws, { type: 'result', id: frame.id, result: { ok: false, error: { code: 'SETTING_LOCKED', message: refused } } });
    router.call(frame.method, frame.input).then(
      (result) => send(ws, { type: 'result', id: frame.id, result }),
      (error: unknown) => {
        // The router never throws by contract; this is the last guard of one call, not of the socket.
        logger.error('a call from the page failed outside the router', { method: frame.method, error });
        send(ws, { type: 'result', id: frame.id, result: { ok: false, error: { code: 'INTERNAL', message: ERROR_TEXT.INTERNAL } } });
      },
    );
  });
});
  return { clients, send };
}

/** Why a WebSocket upgrade is refused (status and words), or null: the API's path, this server as Host, this page as Origin, the token. */
function upgradeRefusal(req: http.IncomingMessage, hosts: ReadonlySet<string>, origins: ReadonlySet<string>, token: string): [number, string] | null {
  const pathname = pathOf(req.url);
  if (pathname === null) return [400, 'Bad request target'];
  if (pathname !== WS_PATH) return [404, 'Not found'];
  if (!hosts.has(req.headers.host ?? '')) return [421, 'Wrong Host'];
  if (!origins.has(req.headers.origin ?? '')) return [403, 'Foreign Origin'];
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const given = offered.find((p) => p.startsWith(WS_TOKEN_PREFIX))?.slice(WS_TOKEN_PREFIX.length) ?? '';
  return tokensMatch(given, token) ? null : [401, 'Missing or wrong token'];
}

/** One-time links that open the page with the token, for this computer's user only, each for a short while. */
function launchLinks(token: string, ttlMs: number, logger: Logger) {
  const launches = new Map<string, number>();
  return {
    create(origin: string): string {
      const code = randomBytes(24).toString('base64url');
      const now = Date.now();
      for (const [old, until] of launches) if (until < now) launches.delete(old);
      launches.set(code, now + ttlMs);
      return `${origin}${LAUNCH_PATH}/${code}`;
    },
    async answer(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
      const code = pathname.slice(LAUNCH_PATH.length + 1);
      const until = launches.get(code);
      if (until === undefined || until < Date.now()) {
        return plain(res, 410, 'This launch link was used already or has expired. Open the address printed where Annotator Companion was started.');
      }
      if (!(await isSameUser(req.socket as Socket))) {
        logger.warn('a launch link was used by another user of this computer; refused');
        return plain(res, 403, 'This link belongs to another user of this computer.');
      }
      launches.delete(code);
      res.writeHead(303, { ...SECURITY_HEADERS, Location: `/#token=${token}`, 'Cache-Control': 'no-store' }).end();
    },
  };
}

function serveFile(req: http.IncomingMessage, res: http.ServerResponse, file: string, pathname: string, csp: string): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': contentType(file),
    'Content-Security-Policy': csp,
    'Cache-Control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
  });
  if (req.method === 'HEAD') res.end();
  // A file removed between the lookup and the read (a rebuild) ends this response, not the process.
  else fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
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
  const launches = launchLinks(token, options.launchTtlMs ?? LAUNCH_TTL_MS, logger);

  const server = http.createServer((req, res) => {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('This server only answers to 127.0.0.1 and localhost.');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const pathname = pathOf(req.url);
    if (pathname === null) return plain(res, 400, 'That is not an address this server knows.');
    if (pathname.startsWith(`${LAUNCH_PATH}/`)) {
      launches.answer(req, res, pathname).catch((error: unknown) => {
        logger.warn('a launch link could not be answered', { error });
        if (!res.headersSent) plain(res, 500, 'The launch link could not be checked.');
      });
      return;
    }
    const file = resolveRendererFile(rendererDir, pathname);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    serveFile(req, res, file, pathname, csp);
  });
  // After listening, an error (EMFILE on accept, say) costs that connection, not the app.
  const serverError = (error: Error) => logger.warn('the browser shell’s server reported an error', { error });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  wss.on('error', serverError);

  server.on('upgrade', (req, socket, head) => {
    // Node hands the socket over bare: without this, a reset during a refusal would end the process.
    socket.on('error', () => socket.destroy());
    const refused = upgradeRefusal(req, allowedHosts, allowedOrigins, token);
    if (refused) return refuseUpgrade(socket, ...refused);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const { clients, send } = answerCalls(wss, router, logger);
  const unsubscribe = events.subscribe((event, payload) => {
    for (const ws of clients) send(ws, { type: 'event', event, payload });
  });

  await listenLocal(server, options.port ?? 0, serverError);
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
    launchUrl: () => launches.create(origin),
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

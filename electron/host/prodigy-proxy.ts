import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transform, pipeline } from 'node:stream';
import { parseUrl } from '../../shared/url';
import type { Logger, SessionViewer, ViewerClosed } from '../core/kernel/ports';
import { escapeHtml } from '../core/kernel/platform/html';
import { PRODIGY_PAGE_HEADERS, withProdigyPageHeaders } from '../core/kernel/platform/prodigy-page';
import { basicAuthorization } from '../core/sessions/run';
import { listenLocal } from './listen';

const ENTRY = '/__companion/enter';
/** Methods a page from another local origin may not send: Prodigy's answers come in on POST. */
const SAFE_METHODS = new Set(['GET', 'HEAD']);
/**
 * The largest request the proxy passes to Prodigy. Its biggest is a batch of
 * answers (`batch_size` 10 by default); ten image tasks with their images
 * inlined are a few MiB. A larger body is refused with 413 and never reaches Prodigy.
 */
export const MAX_PROXY_BODY_BYTES = 64 * 1024 * 1024;

class TooLarge extends Error {}

/** Counts a request body past the proxy and fails it once it outgrows MAX_PROXY_BODY_BYTES. */
function bodyLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      callback(seen > limit ? new TooLarge() : null, chunk);
    },
  });
}

interface Proxy {
  server: http.Server;
  port: number;
  target: URL;
  authorization: string;
  cookie: string;
  entryToken: string;
  name: string;
  /** The session has ended: the tab is told how, in words, until a new run of it opens here again. */
  ended: ViewerClosed | null;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Cookies are shared by every port of a host: each proxy's cookie has its own name, so two open sessions do not sign each other out. */
function cookieName(port: number): string {
  return `companion_prodigy_${port}`;
}

function cookieValue(header: string | undefined, name: string): string {
  return (header ?? '')
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([candidate]) => candidate === name)?.[1] ?? '';
}

/** Where the entry link may send the tab: a path on the proxy itself, nothing that a browser reads as another host (`//x`, `/\\x`). */
function localPath(next: string | null, origin: string): string {
  const url = parseUrl(next ?? '/', origin);
  return url?.origin === origin ? url.pathname + url.search : '/';
}

function refuse(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...PRODIGY_PAGE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(text);
}

/**
 * What a tab of a stopped session gets instead of "This site can't be
 * reached" (a reload) or "Failed to fetch" (an answer): a page for a
 * navigation, and for Prodigy's own calls a 410 whose `detail` (FastAPI's
 * error shape, which Prodigy's server uses) its page shows.
 */
function endedAnswer(req: http.IncomingMessage, res: http.ServerResponse, name: string, why: ViewerClosed): void {
  // A wiped assignment has no Continue to click: its page in the app says what became of its answers.
  const words =
    why === 'removed'
      ? `“${name}” is no longer on this computer: its files and its Prodigy session were removed, so this session cannot go on. Its page in Annotator Companion says what became of the answers.`
      : `The Prodigy session for “${name}” has stopped, and the answers it saved are kept. To go on, click Continue on its page in Annotator Companion (or under Sessions).`;
  const title = why === 'removed' ? 'This assignment was removed' : 'This session has stopped';
  const headers = { ...PRODIGY_PAGE_HEADERS, 'Cache-Control': 'no-store' };
  if (req.headers['sec-fetch-mode'] === 'navigate' || (req.method === 'GET' && (req.headers.accept ?? '').includes('text/html'))) {
    const page = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title} · ${escapeHtml(name)}</title><body style="font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem"><main><h1>${title}</h1><p>${escapeHtml(words)}</p></main></body></html>`;
    res.writeHead(410, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end(page);
    return;
  }
  res.writeHead(410, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify({ detail: words }));
}

/** Passes one request to Prodigy with the session's Basic auth (the tab's cookie and Host left behind), and its answer back. */
function forward(proxy: Proxy, req: http.IncomingMessage, res: http.ServerResponse, path: string, logger: Logger): void {
  const { cookie: _cookie, host: _host, authorization: _authorization, ...headers } = req.headers;
  const { target } = proxy;
  const upstream = http.request(
    { host: target.hostname, port: target.port, method: req.method, path, headers: { ...headers, host: target.host, authorization: proxy.authorization } },
    (answer) => {
      const given = Object.entries(answer.headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, Array.isArray(value) ? value : [value]] as const]));
      res.writeHead(answer.statusCode ?? 502, withProdigyPageHeaders(Object.fromEntries(given)));
      // pipeline, not pipe: an answer cut off half way ends this response, with its error handled.
      pipeline(answer, res, (error) => error && logger.info('a Prodigy answer was cut off through the proxy', { error: error.message }));
    },
  );
  // Every error of this exchange ends here: Prodigy gone, the tab gone, or a body over the limit.
  pipeline(req, bodyLimit(MAX_PROXY_BODY_BYTES), upstream, (error) => {
    if (!error) return;
    upstream.destroy();
    if (error instanceof TooLarge) {
      res.setHeader('Connection', 'close');
      if (!res.headersSent) refuse(res, 413, 'That request is larger than a session sends; it was not passed to Prodigy.');
      return;
    }
    logger.warn('Prodigy did not answer through the proxy', { error: error.message });
    if (!res.headersSent && res.writable) refuse(res, 502, 'Prodigy is not answering. Check the session in Annotator Companion.');
    else res.destroy();
  });
}

/**
 * How the browser shell opens Prodigy in a tab "with the credentials handled":
 * a reverse proxy per session on 127.0.0.1 that adds Prodigy's Basic auth to
 * every request. The tab is let in once through a one-time entry link that
 * sets an HttpOnly cookie; the password never reaches the page, and other local
 * programs cannot use the proxy without that cookie.
 */
export function createProdigyProxy(logger: Logger): SessionViewer & { closeAll(): void } {
  const proxies = new Map<string, Proxy>();

  async function start(target: URL, authorization: string, name: string): Promise<Proxy> {
    const proxy: Proxy = { server: http.createServer(), port: 0, target, authorization, cookie: randomBytes(32).toString('base64url'), entryToken: '', name, ended: null };
    proxy.server.on('request', (req, res) => {
      const { port } = proxy;
      const origins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
      if (!origins.some((origin) => origin === `http://${req.headers.host}`)) return refuse(res, 421, 'Wrong Host.');
      const origin = `http://${req.headers.host}`;
      const url = parseUrl(req.url ?? '/', origin);
      if (!url) return refuse(res, 400, 'That is not an address of this session.');
      if (url.pathname === ENTRY) {
        if (!proxy.entryToken || !same(url.searchParams.get('token') ?? '', proxy.entryToken)) return refuse(res, 403, 'This link has been used. Open the session again from Annotator Companion.');
        proxy.entryToken = '';
        res.writeHead(302, {
          'Set-Cookie': `${cookieName(port)}=${proxy.cookie}; HttpOnly; SameSite=Strict; Path=/`,
          Location: localPath(url.searchParams.get('next'), origin),
          'Cache-Control': 'no-store',
        });
        return res.end();
      }
      if (!same(cookieValue(req.headers.cookie, cookieName(port)), proxy.cookie)) return refuse(res, 401, 'Open this session from Annotator Companion.');
      if (proxy.ended) {
        // The body is not wanted; reading it lets the answer go out on a connection that stays usable.
        req.resume();
        return endedAnswer(req, res, proxy.name, proxy.ended);
      }
      // SameSite does not tell ports apart, so the cookie alone would let another local page post answers.
      if (!SAFE_METHODS.has(req.method ?? 'GET') && req.headers.origin !== origin) return refuse(res, 403, 'Requests from other pages are refused.');
      if (Number(req.headers['content-length'] ?? 0) > MAX_PROXY_BODY_BYTES) {
        // Closing the connection, not reading the body: the proxy never takes in more than the cap.
        res.setHeader('Connection', 'close');
        return refuse(res, 413, 'That request is larger than a session sends; it was not passed to Prodigy.');
      }
      forward(proxy, req, res, url.pathname + url.search, logger);
    });
    // Prodigy's page uses no WebSocket: an upgrade is refused, on a socket that cannot end the process.
    proxy.server.on('upgrade', (_req, socket) => {
      socket.on('error', () => socket.destroy());
      socket.end('HTTP/1.1 501 Not Implemented\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    });
    await listenLocal(proxy.server, 0, (error) => logger.warn('a Prodigy proxy reported an error', { error }));
    proxy.port = (proxy.server.address() as AddressInfo).port;
    return proxy;
  }

  return {
    async open({ assignmentId, name, url, user, pass }) {
      const target = new URL(url);
      const authorization = basicAuthorization(user, pass);
      // A new run keeps the address (and the cookie) of the last one, so a tab left open from it works again.
      let proxy = proxies.get(assignmentId);
      if (proxy) Object.assign(proxy, { target, authorization, name, ended: null });
      else {
        proxy = await start(target, authorization, name);
        proxies.set(assignmentId, proxy);
      }
      proxy.entryToken = randomBytes(24).toString('base64url');
      return `http://127.0.0.1:${proxy.port}${ENTRY}?token=${proxy.entryToken}&next=${encodeURIComponent(target.pathname + target.search)}`;
    },
    close(assignmentId, why = 'stopped') {
      const proxy = proxies.get(assignmentId);
      if (!proxy) return;
      proxy.ended = why;
      proxy.entryToken = '';
    },
    closeAll() {
      for (const proxy of proxies.values()) {
        proxy.server.closeAllConnections();
        proxy.server.close();
      }
      proxies.clear();
    },
  };
}

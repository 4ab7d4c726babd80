import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger, SessionViewer } from '../core/ports';

const ENTRY = '/__companion/enter';
const COOKIE = 'companion_prodigy';

interface Proxy {
  server: http.Server;
  target: URL;
  authorization: string;
  cookie: string;
  entryToken: string;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string | undefined): string {
  return (header ?? '')
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === COOKIE)?.[1] ?? '';
}

function refuse(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(text);
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

  async function start(target: URL, authorization: string): Promise<Proxy> {
    const proxy: Proxy = { server: http.createServer(), target, authorization, cookie: randomBytes(32).toString('base64url'), entryToken: '' };
    proxy.server.on('request', (req, res) => {
      const port = (proxy.server.address() as AddressInfo).port;
      if (req.headers.host !== `127.0.0.1:${port}` && req.headers.host !== `localhost:${port}`) return refuse(res, 421, 'Wrong Host.');
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (url.pathname === ENTRY) {
        if (!proxy.entryToken || !same(url.searchParams.get('token') ?? '', proxy.entryToken)) return refuse(res, 403, 'This link has been used. Open the session again from Annotator Companion.');
        proxy.entryToken = '';
        const next = url.searchParams.get('next') ?? '/';
        res.writeHead(302, {
          'Set-Cookie': `${COOKIE}=${proxy.cookie}; HttpOnly; SameSite=Strict; Path=/`,
          Location: next.startsWith('/') && !next.startsWith('//') ? next : '/',
          'Cache-Control': 'no-store',
        });
        return res.end();
      }
      if (!same(cookieValue(req.headers.cookie), proxy.cookie)) return refuse(res, 401, 'Open this session from Annotator Companion.');
      const { cookie: _cookie, host: _host, authorization: _authorization, ...headers } = req.headers;
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...headers, host: target.host, authorization: proxy.authorization } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (error) => {
        logger.warn('Prodigy did not answer through the proxy', { error });
        if (!res.headersSent) refuse(res, 502, 'Prodigy is not answering. Check the session in Annotator Companion.');
        else res.destroy();
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  const close = (assignmentId: string) => {
    const proxy = proxies.get(assignmentId);
    if (!proxy) return;
    proxies.delete(assignmentId);
    proxy.server.closeAllConnections();
    proxy.server.close();
  };

  return {
    async open({ assignmentId, url, user, pass }) {
      const target = new URL(url);
      const authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
      let proxy = proxies.get(assignmentId);
      if (!proxy || proxy.target.origin !== target.origin || proxy.authorization !== authorization) {
        close(assignmentId);
        proxy = await start(target, authorization);
        proxies.set(assignmentId, proxy);
      }
      proxy.entryToken = randomBytes(24).toString('base64url');
      const port = (proxy.server.address() as AddressInfo).port;
      return `http://127.0.0.1:${port}${ENTRY}?token=${proxy.entryToken}&next=${encodeURIComponent(target.pathname + target.search)}`;
    },
    close,
    closeAll: () => [...proxies.keys()].forEach(close),
  };
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import type { File360Sandbox } from '../../sandbox/file360';

/**
 * A File 360 that means harm, or is simply broken: a proxy in front of the
 * sandbox (which keeps doing sign-in, state and bytes by the contract) that
 * bends one kind of answer per switch. Each switch is one row of issue 13's
 * lists; the app must fail that item alone, with words, and go on.
 */
export interface HostileSwitches {
  /** Content answered with this status instead of the bytes (204, 418, a 302…), with a body the app must drop. */
  contentStatus?: number;
  /** The Location sent with `contentStatus` (default https://storage.example/elsewhere). */
  contentLocation?: string;
  /** Content answered 206 for a range nobody asked for (`bytes 5-…`), on a request without Range. */
  unaskedRange?: boolean;
  /** One assignment's `project` carries an array nested this deep. */
  deepProject?: { assignmentId: string; depth: number };
  /** The assignment list is a valid-looking collection this many bytes long, sent chunked (no Content-Length). */
  hugeAssignments?: { bytes: number };
  /** Every collection page's `_links.next` points at the page itself. */
  selfNext?: boolean;
  /** Content dripped one byte every `everyMs` (each gap shorter than the idle timeout). */
  dripContent?: { everyMs: number };
  /** Limits the content switches to this file id (the others are served as they are). */
  onlyFile?: string;
}

export interface HostileFile360 {
  url: string;
  /** Flip switches; they apply to the next requests. */
  set(switches: HostileSwitches): void;
  /** Requests seen, by path (query stripped), and body bytes written for each. */
  seen: Array<{ path: string; query: string; bytesSent: number; closedEarly: boolean }>;
  close(): Promise<void>;
}

function readBody(stream: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export async function hostileFile360(sb: File360Sandbox): Promise<HostileFile360> {
  let switches: HostileSwitches = {};
  const seen: HostileFile360['seen'] = [];
  let base = '';
  // The sandbox's own address, also URL-encoded as in a redirect's `iss` parameter (RFC 9207), becomes this server's.
  const rewrite = (text: string) => text.split(sb.url).join(base).split(encodeURIComponent(sb.url)).join(encodeURIComponent(base));

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', sb.url);
    const record = { path: url.pathname, query: url.search, bytesSent: 0, closedEarly: false };
    seen.push(record);
    res.on('close', () => (record.closedEarly = !res.writableFinished));
    const write = (chunk: string | Buffer) => {
      record.bytesSent += Buffer.byteLength(chunk);
      return res.write(chunk);
    };
    const fileId = /^\/file360\/v1\/files\/([^/]+)\/content$/.exec(url.pathname)?.[1];
    const isContent = fileId !== undefined && (switches.onlyFile === undefined || switches.onlyFile === decodeURIComponent(fileId));
    const isAssignments = url.pathname === '/file360/v1/assignments';

    if (isContent && switches.contentStatus !== undefined) {
      req.resume();
      const body = Buffer.alloc(256 * 1024, 0x61);
      res.writeHead(switches.contentStatus, { 'Content-Length': body.length, 'Content-Type': 'application/octet-stream', Location: switches.contentLocation ?? 'https://storage.example/elsewhere' });
      write(body);
      return res.end();
    }
    if (isAssignments && switches.hugeAssignments) {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const item = JSON.stringify({ id: 'asg-huge', name: 'x'.repeat(400), status: 'active', role: 'annotator', permissions: [], manifest_version: 1, file_count: 0, total_size: 0, project: { recipe: 'r', dataset: 'd' } });
      const target = switches.hugeAssignments.bytes;
      write('{"_embedded":{"collection":[');
      const pump = () => {
        while (record.bytesSent < target && !res.destroyed) {
          if (!write(`${item},`)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end(`${item}]},"_links":{}}`);
      };
      return pump();
    }

    const upstream = http.request(
      new URL(req.url ?? '/', sb.url),
      { method: req.method, headers: { ...req.headers, host: new URL(sb.url).host } },
      (answer) => void bend(answer).catch(() => res.destroy()),
    );
    async function bend(answer: http.IncomingMessage): Promise<void> {
      {
        const headers = { ...answer.headers };
        if (typeof headers.location === 'string') headers.location = rewrite(headers.location);
        const type = String(headers['content-type'] ?? '');
        if (isContent && answer.statusCode === 200 && switches.unaskedRange && !req.headers.range) {
          const body = await readBody(answer);
          delete headers['content-length'];
          res.writeHead(206, { ...headers, 'Content-Range': `bytes 5-${body.length - 1}/${body.length}` });
          write(body.subarray(5));
          res.end();
          return;
        }
        if (isContent && answer.statusCode === 200 && switches.dripContent) {
          const body = await readBody(answer);
          res.writeHead(200, headers);
          let at = 0;
          const timer = setInterval(() => {
            if (res.destroyed || at >= body.length) {
              clearInterval(timer);
              if (!res.destroyed) res.end();
              return;
            }
            write(body.subarray(at, at + 1));
            at += 1;
          }, switches.dripContent.everyMs);
          res.on('close', () => clearInterval(timer));
          return;
        }
        if (!/^(application\/json|text\/html)/.test(type)) {
          res.writeHead(answer.statusCode ?? 502, headers);
          answer.on('data', (chunk: Buffer) => write(chunk));
          answer.on('end', () => res.end());
          answer.on('error', () => res.destroy());
          return;
        }
        let text = rewrite((await readBody(answer)).toString('utf8'));
        if (type.includes('json') && answer.statusCode === 200) {
          const body = JSON.parse(text) as { _embedded?: { collection?: Array<{ id?: string; project?: Record<string, unknown> }> }; _links?: { self?: { href: string }; next?: { href: string } } };
          const deep = switches.deepProject;
          const target = deep && isAssignments ? body._embedded?.collection?.find((item) => item.id === deep.assignmentId) : undefined;
          if (target?.project) target.project.nested = '__DEEP__';
          if (switches.selfNext && body._links?.self) body._links.next = { href: body._links.self.href };
          text = JSON.stringify(body);
          // Written by hand: the deep value is exactly what JSON.stringify cannot write.
          if (deep && target) text = text.replace('"__DEEP__"', `${'['.repeat(deep.depth)}${']'.repeat(deep.depth)}`);
        }
        delete headers['content-length'];
        delete headers['transfer-encoding'];
        res.writeHead(answer.statusCode ?? 502, { ...headers, 'Content-Length': Buffer.byteLength(text) });
        write(text);
        res.end();
      }
    }
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const hostile: HostileFile360 = {
    url: base,
    seen,
    set: (next) => (switches = { ...switches, ...next }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  onTestFinished(() => hostile.close());
  return hostile;
}

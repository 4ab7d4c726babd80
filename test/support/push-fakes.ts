/**
 * A Push server in memory for the stream client's unit tests: each stream the
 * client opens is a PassThrough the test writes SSE text into, and every other
 * call answers from plain fields. Time is a ManualClock, so backoff and the
 * watchdog move only when the test says.
 */
import { PassThrough } from 'node:stream';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { AppError } from '../../electron/core/kernel/errors';
import { File360Error } from '../../electron/core/kernel/http/errors';
import type { Http, HttpRequest, StreamResponse } from '../../electron/core/kernel/http/http';
import type { PushSession } from '../../electron/core/remote/push/api';
import type { SeqBounds } from '../../electron/core/remote/push/wire';
import type { IncomingNotification } from '../../electron/core/kernel/incoming';

export const BASE = 'http://push.test';

export interface OpenedStream {
  token: string;
  lastEventId: string | undefined;
  body: PassThrough;
  send(text: string): void;
}

export class FakePush implements Http {
  readonly streams: OpenedStream[] = [];
  readonly calls: string[] = [];
  /** What the next stream requests answer instead of a stream, in order. */
  readonly refuse: Array<File360Error> = [];
  bounds: SeqBounds = { current_min_seq: 1, current_max_seq: 0 };
  /** Catch-up pages by URL. */
  readonly pages = new Map<string, { _embedded: { collection: unknown[] }; _links: { next?: { href: string } } }>();

  async json<T extends z.ZodType>(req: HttpRequest, schema: T): Promise<z.output<T>> {
    const path = req.url.slice(BASE.length);
    this.calls.push(`${req.method} ${path}`);
    if (path === '/push/v1/notifications/seq-bounds') return schema.parse(this.bounds);
    const page = this.pages.get(req.url);
    if (page) return schema.parse(page);
    // CONTRACTS §B: the list of what is retained after a seq; with nothing there, an empty collection.
    if (req.method === 'GET' && path.startsWith('/push/v1/notifications?')) return schema.parse({ _embedded: { collection: [] }, _links: {} });
    if (path === '/push/v1/devices') return schema.parse({ id: 'dev-1' });
    if (req.method === 'PUT' || req.method === 'DELETE') return schema.parse(undefined);
    throw new File360Error('http', `no fake answer for ${req.method} ${path}`, 404);
  }

  async stream(req: Omit<HttpRequest, 'retry'>): Promise<StreamResponse> {
    const refused = this.refuse.shift();
    const token = (req.headers?.authorization ?? '').replace(/^Bearer /, '');
    this.calls.push(`STREAM ${token}`);
    if (refused) throw refused;
    const body = new PassThrough();
    req.signal?.addEventListener('abort', () => body.destroy(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true });
    this.streams.push({ token, lastEventId: req.headers?.['last-event-id'], body, send: (text) => body.write(text) });
    return { status: 200, headers: { 'content-type': 'text/event-stream' }, body };
  }

  /** Push never answers with another server's content. */
  async raw(req: Omit<HttpRequest, 'retry'>): Promise<StreamResponse> {
    return this.stream(req);
  }

  async close(): Promise<void> {}

  last(): OpenedStream {
    const stream = this.streams.at(-1);
    if (!stream) throw new Error('no stream opened');
    return stream;
  }
}

export const unauthorized = () => new File360Error('http', 'File 360 asked you to sign in again (HTTP 401).', 401);

/** A session whose token the test controls; `refreshAccessToken` hands out token-1, token-2, … */
export function fakeSession(): PushSession & { token: string; refreshes: string[]; signedOut: boolean } {
  const session = {
    server: BASE,
    token: 'token-0',
    refreshes: [] as string[],
    signedOut: false,
    async authorized<T>(call: (token: string) => Promise<T>): Promise<T> {
      if (session.signedOut) throw new AppError('SIGNED_OUT', 'Your File 360 session ended.');
      return call(session.token);
    },
    async refreshAccessToken(stale: string): Promise<string> {
      session.refreshes.push(stale);
      session.token = `token-${session.refreshes.length}`;
      return session.token;
    },
  };
  return session as typeof session & PushSession;
}

export function notificationEvent(seq: number, title = `Title ${seq}`): string {
  return `event: notification\nid: ${seq}\ndata: ${JSON.stringify({ seq, id: `ntf-${seq}`, type: 'batch.assigned', title, summary: 's', created: '2026-11-22T09:00:00.000Z', data: {} })}\n\n`;
}

/** A sink that keeps what it was given, in the `notifications` table so the transaction is real. */
export function tableSink(db: () => Database.Database, userId: string): ((batch: IncomingNotification[]) => number) & { batches: IncomingNotification[][] } {
  const batches: IncomingNotification[][] = [];
  const sink = (batch: IncomingNotification[]) => {
    batches.push(batch);
    const insert = db().prepare(
      `INSERT INTO notifications (server, tenant, user_id, source, seq, type, title, summary, created, received_ms, delivery)
       VALUES ('${BASE}', 't', ?, 'push', ?, ?, ?, ?, ?, 0, 'shown') ON CONFLICT DO NOTHING`,
    );
    return batch.reduce((added, n) => added + insert.run(userId, n.seq, n.type, n.title, n.summary, n.created).changes, 0);
  };
  return Object.assign(sink, { batches });
}

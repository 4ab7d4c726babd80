/**
 * A Server-Sent Events client over plain node:http for the Push sandbox's
 * stream: it keeps every frame (comments and `retry:` too), and tells a clean
 * end of the response from a connection cut mid-stream.
 */
import http from 'node:http';
import { onTestFinished } from 'vitest';
import type { File360Sandbox } from '../../sandbox/file360';

export interface Frame {
  event?: string;
  id?: string;
  data?: string;
  retry?: number;
  comment?: string;
}

export interface PushNotification {
  seq: number;
  id: string;
  type: string;
  title: string;
  summary: string;
  topic?: string;
  collapse_key?: string;
  created: string;
  expires?: string;
  data: Record<string, unknown>;
}

/** A field line per the SSE spec: `name: value`, one optional space after the colon. */
function parseBlock(block: string): Frame {
  const frame: Frame = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      frame.comment = line.slice(1).trim();
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'event' || name === 'id') frame[name] = value;
    else if (name === 'data') frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
    else if (name === 'retry') frame.retry = Number(value);
  }
  return frame;
}

export class SseClient {
  readonly frames: Frame[] = [];
  /** `end`: the server finished the response; `cut`: the connection broke first. */
  readonly closed: Promise<'end' | 'cut'>;
  private buffer = '';
  private waiters = new Set<() => void>();

  private constructor(
    readonly status: number,
    readonly headers: http.IncomingHttpHeaders,
    private readonly request: http.ClientRequest,
    response: http.IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let at = this.buffer.indexOf('\n\n'); at !== -1; at = this.buffer.indexOf('\n\n')) {
        this.frames.push(parseBlock(this.buffer.slice(0, at)));
        this.buffer = this.buffer.slice(at + 2);
      }
      this.wake();
    });
    // 'error' follows an aborted response; 'close' tells how it went.
    response.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      response.once('close', () => {
        resolve(response.complete ? 'end' : 'cut');
        this.wake();
      }),
    );
  }

  /** Opens `GET /push/v1/stream`; resolves once the response headers are in (whatever the status). */
  static open(sb: File360Sandbox, token: string | undefined, lastEventId?: number | string): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      if (token !== undefined) headers.Authorization = `Bearer ${token}`;
      if (lastEventId !== undefined) headers['Last-Event-ID'] = String(lastEventId);
      const request = http.get(`${sb.url}/push/v1/stream`, { headers }, (response) => {
        const client = new SseClient(response.statusCode ?? 0, response.headers, request, response);
        onTestFinished(() => client.close());
        resolve(client);
      });
      request.on('error', reject);
    });
  }

  /** The raw text of a non-stream answer (a 401's body), once it has ended. */
  async body(): Promise<string> {
    await this.closed;
    return this.frames.map((frame) => frame.data ?? '').join('') + this.buffer;
  }

  notifications(): PushNotification[] {
    return this.frames.filter((frame) => frame.event === 'notification').map((frame) => JSON.parse(frame.data ?? '{}') as PushNotification);
  }

  /** Resolves when `check` holds for the frames so far; rejects after `timeoutMs` with what did arrive. */
  waitFor(check: (frames: Frame[]) => boolean, timeoutMs = 5000): Promise<void> {
    if (check(this.frames)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(test);
        reject(new Error(`Timed out; frames so far: ${JSON.stringify(this.frames)}`));
      }, timeoutMs);
      const test = () => {
        if (!check(this.frames)) return;
        clearTimeout(timer);
        this.waiters.delete(test);
        resolve();
      };
      this.waiters.add(test);
    });
  }

  /** Waits until `count` notifications have arrived on this stream. */
  waitForNotifications(count: number, timeoutMs?: number): Promise<PushNotification[]> {
    return this.waitFor((frames) => frames.filter((frame) => frame.event === 'notification').length >= count, timeoutMs).then(() => this.notifications());
  }

  close(): void {
    this.request.destroy();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** A collection page of `GET /push/v1/notifications`. */
export interface CatchUpPage {
  _embedded: { collection: PushNotification[] };
  _links: { self: { href: string }; next?: { href: string } };
  items_per_page: number;
  current_min_seq: number;
  current_max_seq: number;
}

/** Every notification after `afterSeq`, following `_links.next`; also the pages seen. */
export async function catchUp(sb: File360Sandbox, token: string, afterSeq: number, limit: number): Promise<{ items: PushNotification[]; pages: CatchUpPage[] }> {
  const pages: CatchUpPage[] = [];
  let href: string | undefined = `${sb.url}/push/v1/notifications?after_seq=${afterSeq}&limit=${limit}`;
  while (href) {
    const response: Response = await fetch(href, { headers: { Authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`GET ${href} answered ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as CatchUpPage;
    pages.push(page);
    href = page._links.next?.href;
  }
  return { items: pages.flatMap((page) => page._embedded.collection), pages };
}

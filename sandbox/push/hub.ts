import type { ServerResponse } from 'node:http';
import { prng } from '../file360/prng';
import type { Tokens } from '../file360/state/tokens';
import type { Events } from './state/events';

interface Stream {
  userId: string;
  token: string;
  res: ServerResponse;
  /** The last seq this client has: sent on this stream, or named in Last-Event-ID. */
  sentSeq: number;
  /** The `retry:` hint waits, like everything else, while the stream is stalled. */
  greeted: boolean;
  keepalive: NodeJS.Timeout;
}

export interface HubOptions {
  keepaliveMs: number;
  retryMs: number;
}

/** Tokens also end by the clock's own passing; a clock move or a fault checks at once. */
const TOKEN_CHECK_MS = 500;
const BATCH = 500;

const frame = (event: string, data: unknown, id?: number) => `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;

/**
 * The open SSE streams. Every write goes through `pump`, which sends a stream
 * whatever of its user's log lies past its `sentSeq`: connecting, a publish,
 * and the end of a stall all catch up the same way, so a stream sees exactly
 * what catch-up would return, in seq order, once.
 */
export class StreamHub {
  private readonly streams = new Set<Stream>();
  private stalled = false;
  private dropChance: { probability: number; random: () => number } | null = null;
  private tokenCheck: NodeJS.Timeout | undefined;

  constructor(
    private readonly events: Events,
    private readonly tokens: Tokens,
    private readonly options: HubOptions,
  ) {}

  /** Serves one stream; resolves when it is closed, by either side. */
  serve(res: ServerResponse, userId: string, token: string, lastEventId: number | null): Promise<void> {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    const stream: Stream = {
      userId,
      token,
      res,
      sentSeq: lastEventId ?? this.events.bounds().current_max_seq,
      greeted: false,
      keepalive: setInterval(() => {
        if (!this.stalled) res.write(': keepalive\n\n');
      }, this.options.keepaliveMs),
    };
    const closed = new Promise<void>((resolve) => res.once('close', resolve));
    void closed.then(() => this.forget(stream));
    this.streams.add(stream);
    this.tokenCheck ??= setInterval(() => this.checkTokens(), TOKEN_CHECK_MS);
    this.pump(stream);
    return closed;
  }

  count(): number {
    return this.streams.size;
  }

  /** A publish reached these users. */
  deliver(userIds: Iterable<string>): void {
    const reached = new Set(userIds);
    for (const stream of [...this.streams]) if (reached.has(stream.userId)) this.pump(stream);
  }

  /** Streams whose access token stopped working get `auth_expired` and end. */
  checkTokens(): void {
    if (this.stalled) return;
    for (const stream of [...this.streams]) {
      const check = this.tokens.checkAccess(stream.token);
      if ('problem' in check) this.end(stream, frame('auth_expired', { reason: check.problem === 'expired' ? 'expired' : 'revoked' }));
    }
  }

  stall(on: boolean): void {
    this.stalled = on;
    if (on) return;
    this.checkTokens();
    for (const stream of [...this.streams]) this.pump(stream);
  }

  isStalled(): boolean {
    return this.stalled;
  }

  dropRandomly(probability: number | null, seed = 1): void {
    this.dropChance = probability === null ? null : { probability, random: prng(seed) };
  }

  dropChanceSetting(): { probability: number } | null {
    return this.dropChance && { probability: this.dropChance.probability };
  }

  /** Cuts every stream mid-flight, no closing chunk: what a lost connection looks like to the client. */
  dropAll(): number {
    const open = [...this.streams];
    for (const stream of open) this.drop(stream);
    return open.length;
  }

  private pump(stream: Stream): void {
    if (this.stalled || !this.streams.has(stream)) return;
    if (!stream.greeted) {
      stream.greeted = true;
      stream.res.write(`retry: ${this.options.retryMs}\n\n`);
    }
    const bounds = this.events.bounds();
    // Behind the retained history, or ahead of anything this server handed out (its data was reset).
    if (stream.sentSeq < bounds.current_min_seq - 1 || stream.sentSeq > bounds.current_max_seq) return this.end(stream, frame('reset', bounds));
    for (let batch = this.events.after(stream.userId, stream.sentSeq, BATCH); batch.length > 0; batch = this.events.after(stream.userId, stream.sentSeq, BATCH)) {
      for (const notification of batch) {
        stream.res.write(frame('notification', notification, notification.seq));
        stream.sentSeq = notification.seq;
        if (this.dropChance && this.dropChance.random() < this.dropChance.probability) return this.drop(stream);
      }
    }
  }

  private end(stream: Stream, last: string): void {
    this.forget(stream);
    stream.res.end(last);
  }

  /**
   * Closes the connection without the response's last chunk. What was written
   * still goes out first: Node corks a chunked response until the next tick,
   * and a plain destroy would discard it, so a replay cut after its tenth
   * event would reach the client as nothing at all.
   */
  private drop(stream: Stream): void {
    this.forget(stream);
    const socket = stream.res.socket;
    if (socket) socket.end(() => socket.destroy());
    else stream.res.destroy();
  }

  private forget(stream: Stream): void {
    clearInterval(stream.keepalive);
    this.streams.delete(stream);
    if (this.streams.size > 0) return;
    clearInterval(this.tokenCheck);
    this.tokenCheck = undefined;
  }
}

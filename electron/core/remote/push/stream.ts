/**
 * The Push stream (CONTRACTS §B). Server-sent events are parsed by
 * `eventsource-parser` (small, maintained, spec-compliant) over an undici
 * streaming GET rather than by an EventSource implementation, because the app
 * must set Authorization and Last-Event-ID itself and own reconnection:
 * backoff on the injected Clock, a silence watchdog, catch-up on `reset`, a
 * token refresh on `auth_expired`.
 */
import type Database from 'better-sqlite3';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { AppError } from '../../kernel/errors';
import { File360Error } from '../../kernel/http/errors';
import type { StreamResponse } from '../../kernel/http/http';
import type { Clock, Logger } from '../../kernel/ports';
import type { PushApi, PushSession } from './api';
import { ReconnectBackoff, type ReconnectOptions } from './backoff';
import { catchUp, fetchHistory } from './catch-up';
import { deliver, readCursor } from './cursor';
import { receiveEventData, type Received } from './events';
import { sleep, watchdog } from './timers';
import type { PushGap, PushState } from './types';
import type { Owner } from '../../kernel/identity';
import type { NotificationSink } from '../../kernel/incoming';

export interface StreamDeps {
  session: PushSession;
  api: PushApi;
  db: () => Database.Database;
  owner: () => Owner | null;
  clock: Clock;
  logger: Logger;
  sink: NotificationSink;
  setState(state: PushState): void;
  /** Whether File 360 answered: Push shares its base, so a stream that connects or cannot be reached says so for the whole app. */
  reachable?(ok: boolean): void;
  onGap(gap: PushGap): void;
  /** Silence (no event, no keepalive) after which the connection is taken for dead. */
  keepaliveTimeoutMs: number;
  reconnect: ReconnectOptions;
}

type Ended =
  | { kind: 'stopped' }
  | { kind: 'signed-out' }
  | { kind: 'reset' }
  | { kind: 'auth-expired'; token: string }
  | { kind: 'unauthorized'; token: string }
  | { kind: 'dropped'; reason: string; retryAfterMs?: number | null; unreachable?: boolean };

/** Reconnects in a row that skip the backoff (after `reset` or `auth_expired`): a server that keeps asking must not spin the client. */
const MAX_QUICK = 3;

/** A notification is a few hundred bytes; an event that never ends must not grow without bound (the parser then refuses, and the connection is dropped). */
const MAX_EVENT_CHARS = 1024 * 1024;

const signedOut = (error: unknown) => error instanceof AppError && (error.code === 'NOT_SIGNED_IN' || error.code === 'SIGNED_OUT');
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class PushStream {
  private readonly backoff: ReconnectBackoff;
  private quick = 0;
  /** The token a forced refresh produced: a 401 for it too is not cured by another refresh. */
  private refreshed: string | null = null;

  constructor(private readonly deps: StreamDeps) {
    this.backoff = new ReconnectBackoff(deps.reconnect);
  }

  /** Connects and reconnects until `signal` aborts or the session ends. */
  async run(signal: AbortSignal): Promise<void> {
    for (let wait = 0; !signal.aborted; ) {
      if (wait > 0) {
        this.deps.setState('backoff');
        await sleep(this.deps.clock, wait, signal);
        if (signal.aborted) return;
      }
      const ended = await this.connect(signal);
      if (ended.kind === 'signed-out') this.deps.logger.info('push stream stopped: signed out');
      const next = ended.kind === 'stopped' || ended.kind === 'signed-out' ? null : await this.after(ended, signal);
      if (next === null) return;
      wait = next;
    }
  }

  /** How long to wait before the next connection; null to stop. */
  private async after(ended: Exclude<Ended, { kind: 'stopped' | 'signed-out' }>, signal: AbortSignal): Promise<number | null> {
    try {
      if (ended.kind === 'dropped') {
        this.deps.logger.info('push stream dropped', { reason: ended.reason });
        if (ended.unreachable) this.deps.reachable?.(false);
        return this.backoff.next(ended.retryAfterMs);
      }
      if (ended.kind === 'reset') {
        const owner = this.deps.owner();
        if (!owner) return null;
        this.deps.setState('catching-up');
        const { api, db, sink, logger, onGap } = this.deps;
        await catchUp({ api, db, owner, sink, logger, onGap, now: () => this.deps.clock.now() }, signal);
        return this.quickly();
      }
      if (ended.kind === 'unauthorized' && ended.token === this.refreshed) return this.backoff.next();
      // `auth_expired`, or a first 401 for this token: one refresh, then straight back.
      this.refreshed = await this.deps.session.refreshAccessToken(ended.token);
      return this.quickly();
    } catch (error) {
      if (signal.aborted || signedOut(error)) return null;
      this.deps.logger.info('push stream could not recover yet', { step: ended.kind, reason: describe(error) });
      return this.backoff.next();
    }
  }

  private quickly(): number {
    this.quick += 1;
    return this.quick <= MAX_QUICK ? 0 : this.backoff.next();
  }

  private async connect(signal: AbortSignal): Promise<Ended> {
    const owner = this.deps.owner();
    if (!owner) return { kind: 'signed-out' };
    this.deps.setState('connecting');
    let token = '';
    try {
      token = await this.deps.session.authorized(async (current) => current);
      const response = await this.deps.api.openStream(token, await this.cursor(owner, signal), signal);
      return await this.read(response, owner, token, signal);
    } catch (error) {
      if (signal.aborted) return { kind: 'stopped' };
      if (signedOut(error)) return { kind: 'signed-out' };
      if (error instanceof File360Error && error.status === 401) return { kind: 'unauthorized', token };
      const unreachable = error instanceof File360Error && (error.kind === 'network' || error.kind === 'timeout');
      return { kind: 'dropped', reason: describe(error), retryAfterMs: error instanceof File360Error ? error.retryAfterMs : null, unreachable };
    }
  }

  /**
   * Where to resume. A stream opened without Last-Event-ID starts at Push's
   * present, so an account's first connection on this device takes in the
   * recent history first and pins that present as its cursor: a drop before
   * the first event must not skip what came meanwhile.
   */
  private async cursor(owner: Owner, signal: AbortSignal): Promise<number> {
    const known = readCursor(this.deps.db(), owner);
    if (known !== null) return known;
    const { api, db, sink, logger, onGap } = this.deps;
    await fetchHistory({ api, db, owner, sink, logger, onGap, now: () => this.deps.clock.now() }, signal);
    return readCursor(db(), owner) ?? 0;
  }

  private async read(response: StreamResponse, owner: Owner, token: string, signal: AbortSignal): Promise<Ended> {
    const { clock, keepaliveTimeoutMs } = this.deps;
    this.deps.setState('live');
    this.deps.reachable?.(true);
    const since = clock.now().getTime();
    const events: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event), onRetry: (ms) => this.backoff.hint(ms), maxBufferSize: MAX_EVENT_CHARS });
    const decoder = new TextDecoder();
    let stalled = false;
    const dog = watchdog(clock, keepaliveTimeoutMs, () => {
      stalled = true;
      response.body.destroy();
    });
    try {
      for await (const chunk of response.body) {
        dog.fed();
        parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
        const control = this.take(events.splice(0), owner, token);
        if (control) return control;
      }
    } catch (error) {
      if (signal.aborted) return { kind: 'stopped' };
      // The connection broke under the stream (reset, cut Wi-Fi): File 360 is out of reach until a reconnect says otherwise.
      if (!stalled) return { kind: 'dropped', reason: describe(error), unreachable: true };
    } finally {
      dog.stop();
      response.body.destroy();
      const upFor = clock.now().getTime() - since;
      this.backoff.ended(upFor);
      if (upFor >= this.deps.reconnect.healthyMs) this.quick = 0;
    }
    return stalled
      ? { kind: 'dropped', reason: `nothing received for ${keepaliveTimeoutMs} ms, not even a keepalive`, unreachable: true }
      : { kind: 'dropped', reason: 'Push closed the stream' };
  }

  /** Stores the notifications among `events` as one batch; returns the control event that ends this connection, if one came. */
  private take(events: EventSourceMessage[], owner: Owner, token: string): Ended | null {
    const batch: Received[] = [];
    let control: Ended | null = null;
    for (const event of events) {
      if (event.event === 'notification') batch.push(receiveEventData(event.data, event.id));
      else if (event.event === 'reset') control = { kind: 'reset' };
      else if (event.event === 'auth_expired') control = { kind: 'auth-expired', token };
      else this.deps.logger.debug('push event of an unknown type ignored', { event: event.event });
      // What follows a control event is sent again on the next connection, from the cursor.
      if (control) break;
    }
    if (batch.length > 0) deliver(this.deps.db(), owner, this.deps.sink, batch, this.deps.clock.now(), this.deps.logger);
    return control;
  }
}

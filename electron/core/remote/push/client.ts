import type Database from 'better-sqlite3';
import type { Http } from '../../kernel/http/http';
import type { Clock, Logger } from '../../kernel/ports';
import { createPushApi, type PushApi, type PushSession } from './api';
import { DEFAULT_RECONNECT, type ReconnectOptions } from './backoff';
import { PushDevices } from './device';
import { PushStream } from './stream';
import { applyTopics, wantedTopics, type TopicAssignment } from './topics';
import type { PushGap, PushState } from './types';
import type { PublishAccepted, PublishBody } from './wire';
import type { Owner } from '../../kernel/identity';
import type { NotificationSink } from '../../kernel/incoming';

export interface PushClientDeps {
  session: PushSession;
  http: Http;
  db: () => Database.Database;
  /** The signed-in account; null stops the stream. */
  owner: () => Owner | null;
  clock: Clock;
  logger: Logger;
  installationId: () => string;
  appVersion: string;
  /** Stores a batch of notifications; runs inside the transaction that moves the cursor. */
  sink: NotificationSink;
  onState?(state: PushState): void;
  /** Whether File 360 answered the stream (it shares File 360's base). */
  reachable?(ok: boolean): void;
  /** Some notifications expired on the server before this device could fetch them. */
  onGap?(gap: PushGap): void;
  /** Silence after which the stream is taken for dead: 2.5 × the server's 15 s keepalive, with room for a slow network. */
  keepaliveTimeoutMs?: number;
  reconnect?: Partial<ReconnectOptions>;
}

const DEFAULT_KEEPALIVE_TIMEOUT_MS = 45_000;

/**
 * This installation's Push device, its topics, and the notification stream
 * (CONTRACTS §B). One client per File 360 session.
 */
export class PushClient {
  private readonly api: PushApi;
  private readonly devices: PushDevices;
  private current: PushState = 'stopped';
  private running: { stop: AbortController; done: Promise<void> } | null = null;
  private topicSync: Promise<void> = Promise.resolve();

  constructor(private readonly deps: PushClientDeps) {
    this.api = createPushApi(deps.session, deps.http);
    this.devices = new PushDevices(deps.db, this.api, () => ({ installation_id: deps.installationId(), app_version: deps.appVersion }));
  }

  state(): PushState {
    return this.current;
  }

  private setState(state: PushState): void {
    if (state === this.current) return;
    this.current = state;
    this.deps.onState?.(state);
  }

  /**
   * Opens the stream (it reconnects by itself until `stop` or sign-out) and
   * registers this installation's device if it has none. A registration that
   * fails is logged and tried again by the next `syncTopics`.
   */
  async start(): Promise<void> {
    if (this.running) return;
    const stop = new AbortController();
    const stream = new PushStream({
      ...this.deps,
      api: this.api,
      setState: (state) => this.setState(state),
      onGap: (gap) => this.deps.onGap?.(gap),
      keepaliveTimeoutMs: this.deps.keepaliveTimeoutMs ?? DEFAULT_KEEPALIVE_TIMEOUT_MS,
      reconnect: { ...DEFAULT_RECONNECT, ...this.deps.reconnect },
    });
    const done = stream
      .run(stop.signal)
      .catch((error: unknown) => this.deps.logger.error('push stream ended unexpectedly', { error }))
      .finally(() => {
        if (this.running?.stop === stop) this.running = null;
        this.setState('stopped');
      });
    this.running = { stop, done };
    const owner = this.deps.owner();
    if (owner) await this.devices.ensure(owner, stop.signal).catch((error: unknown) => this.deps.logger.info('push device not registered yet', { error }));
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    running.stop.abort();
    await running.done;
  }

  /** After each sync: the device follows the user's active assignments, reviewer groups and self. Calls run one at a time. */
  syncTopics(assignments: readonly TopicAssignment[], reviewerGroups: readonly string[], userId: string): Promise<void> {
    const run = this.topicSync.then(async () => {
      const owner = this.deps.owner();
      if (!owner) return;
      const deviceId = await this.devices.ensure(owner);
      const wanted = wantedTopics(assignments, reviewerGroups, userId);
      await applyTopics(this.api, deviceId, this.devices.topics(owner), wanted, (topics) => this.devices.saveTopics(owner, topics));
    });
    this.topicSync = run.catch(() => undefined);
    return run;
  }

  /** For the outbox's push sender: one try, under the row's idempotency key. */
  publish(key: string, body: PublishBody): Promise<PublishAccepted> {
    return this.api.publish(key, body);
  }
}

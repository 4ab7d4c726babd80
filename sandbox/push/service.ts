import { randomUUID } from 'node:crypto';
import type { SandboxClock } from '../file360/clock';
import { invalidRequest } from '../file360/errors';
import type { Db } from '../file360/state/db';
import type { Idempotency } from '../file360/state/idempotency';
import type { Tokens } from '../file360/state/tokens';
import type { Users } from '../file360/state/users';
import { StreamHub } from './hub';
import { checkPublish, type Publish } from './publish';
import { createPushTables } from './state/db';
import { Devices } from './state/devices';
import { Events } from './state/events';
import { Jobs, type Job } from './state/jobs';

export interface PushOptions {
  /** Between `: keepalive` comments on every stream; default 15 000. */
  keepaliveMs?: number;
  /** Events kept for replay and catch-up; older ones are dropped and move current_min_seq. Default 10 000. */
  retentionEvents?: number;
  /** The `retry:` hint each stream opens with; default 3000. */
  retryMs?: number;
}

/** What a publish answers: 202 `{job_id, seq_assigned}`. */
export interface Accepted {
  job_id: string;
  seq_assigned: { min: number; max: number };
}

/** Publishes made by the sandbox itself (File 360's events, the handle, the CLI) are the publisher nobody signs in as. */
export const SANDBOX_PUBLISHER = '';
const IDEMPOTENCY_SCOPE = 'push-notifications';

/** CONTRACTS §B's state and delivery, shared by the routes, the handle and File 360's own events. */
export class PushService {
  readonly devices: Devices;
  readonly events: Events;
  readonly jobs: Jobs;
  readonly hub: StreamHub;

  constructor(
    private readonly db: Db,
    private readonly clock: SandboxClock,
    private readonly users: Users,
    tokens: Tokens,
    private readonly idempotency: Idempotency,
    options: PushOptions = {},
  ) {
    createPushTables(db);
    this.devices = new Devices(db, clock);
    this.events = new Events(db, clock, options.retentionEvents ?? 10_000);
    this.jobs = new Jobs(db);
    this.hub = new StreamHub(this.events, tokens, { keepaliveMs: options.keepaliveMs ?? 15_000, retryMs: options.retryMs ?? 3000 });
  }

  /**
   * Checks the contract's rules, gives every recipient a seq (ascending by
   * user id) in one transaction, then wakes their streams. A replayed key
   * returns the first answer and sends nothing.
   */
  publish(input: unknown, publisher: string, key: string | undefined): Accepted & { replayed: boolean } {
    const publish = checkPublish(input);
    const earlier = key === undefined ? undefined : this.idempotency.replayed(publisher, IDEMPOTENCY_SCOPE, key, publish);
    const job = earlier === undefined ? undefined : this.jobs.get(earlier, publisher);
    if (job) return { job_id: job.job_id, seq_assigned: job.seq_assigned, replayed: true };
    const recipients = this.recipients(publish);
    const created = this.clock.now();
    const accepted = this.db.transaction((): Job => {
      const job_id = `job-${randomUUID()}`;
      const seq_assigned = this.events.append(recipients, `ntf-${randomUUID()}`, job_id, {
        type: publish.type,
        title: publish.title ?? '',
        summary: publish.summary ?? '',
        ...(publish.topic !== undefined ? { topic: publish.topic } : {}),
        ...(publish.collapse_key !== undefined ? { collapse_key: publish.collapse_key } : {}),
        data: publish.data ?? {},
        created: created.toISOString(),
        ...(publish.ttl_seconds !== undefined ? { expires: new Date(created.getTime() + publish.ttl_seconds * 1000).toISOString() } : {}),
      });
      const made: Job = { job_id, state: 'completed', recipients: recipients.length, seq_assigned, created: created.toISOString() };
      this.jobs.insert(publisher, made);
      if (key !== undefined) this.idempotency.remember(publisher, IDEMPOTENCY_SCOPE, key, publish, job_id);
      return made;
    })();
    this.hub.deliver(recipients);
    return { job_id: accepted.job_id, seq_assigned: accepted.seq_assigned, replayed: false };
  }

  /** Named users, members of the groups and users with a device on the topic, each once; everyone for a broadcast. */
  private recipients(publish: Publish): string[] {
    const everyone = this.users.all();
    if (publish.broadcast) return everyone.map((user) => user.id).sort();
    const known = new Set(everyone.map((user) => user.id));
    const unknown = (publish.users ?? []).filter((id) => !known.has(id));
    if (unknown.length > 0) throw invalidRequest(`Unknown user${unknown.length > 1 ? 's' : ''} in users: ${unknown.join(', ')}.`);
    const chosen = new Set(publish.users ?? []);
    for (const user of everyone) if (user.groups.some((group) => publish.groups?.includes(group))) chosen.add(user.id);
    if (publish.topic !== undefined) for (const id of this.devices.subscribers(publish.topic)) chosen.add(id);
    return [...chosen].sort();
  }
}

import type { LocalData } from '../../kernel/db/local-data';
import type { File360Client } from '../../remote/file360/client';
import { File360Error } from '../../kernel/http/errors';
import type { Clock, Logger } from '../../kernel/ports';
import type { OutboxKindHandler } from './kind';
import { DEFAULT_BACKOFF, outcomeOf, type Backoff } from './outcome';
import { createOutboxStore, type NewOutboxItem, type OutboxKind, type OutboxRow, type Outcome } from './store';
import type { Owner } from '../../kernel/identity';

type Connection = { client: File360Client; owner: Owner };

/** Rows claimed per slot: the sends of one commit interval, so a slot that frees always has a row to take. */
const LOOKAHEAD = 8;
/**
 * How long finished sends wait to be recorded together: one transaction, one
 * fsync, for a batch. A result lost to a crash in that time is only a resend
 * under the same key.
 */
const COMMIT_DELAY_MS = 10;

export interface OutboxDeps {
  data: LocalData;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  /** The signed-in account and its client; null while nobody is signed in. */
  connection(): Connection | null;
  /** Whether File 360 answered (drives the status area). */
  reachable(ok: boolean): void;
  /** Rows were added, sent, failed, retried or discarded. */
  changed(): void;
  concurrency?: number;
  backoff?: Partial<Backoff>;
  /** How long finished sends wait to be recorded together (one transaction, one fsync). */
  commitDelayMs?: number;
}

/**
 * The durable queue of everything that leaves the machine, and its sender.
 * Rows go `queued → sending → sent` (or `failed`, for the user to retry or
 * discard). Sends run a few at a time; their results are recorded in batches,
 * which is safe because a result lost to a crash only means a resend with the
 * same idempotency key. Rows are claimed a round ahead: a send that ends
 * starts the next claimed row at once instead of waiting for the commit (one
 * fsync) that records it, so small items flow at the network's pace.
 */
export class Outbox {
  readonly store;
  private readonly kinds = new Map<OutboxKind, OutboxKindHandler>();
  private readonly inFlight = new Map<number, Promise<void>>();
  /** Claimed (marked sending) and waiting for a free slot. */
  private ready: OutboxRow[] = [];
  private readonly settled: Array<{ row: OutboxRow; outcome: Outcome }> = [];
  private readonly backoff: Backoff;
  private readonly concurrency: number;
  private passQueued = false;
  private announceQueued = false;
  private commitTimer: ReturnType<typeof setTimeout> | null = null;
  private cancelWake: (() => void) | null = null;
  private closed = false;
  /** Set once close() has recorded the last results: the database may be gone after that. */
  private closedData = false;

  constructor(private readonly deps: OutboxDeps) {
    this.store = createOutboxStore(() => deps.data.require().db);
    this.backoff = { ...DEFAULT_BACKOFF, ...deps.backoff };
    this.concurrency = deps.concurrency ?? 4;
  }

  register(kind: OutboxKind, handler: OutboxKindHandler): void {
    this.kinds.set(kind, handler);
  }

  /** Kinds with a sender; a row of another kind (written by a newer app) waits in the queue. */
  private sendable(): OutboxKind[] {
    return [...this.kinds.keys()];
  }

  /** The last timestamp written, reused within its millisecond: a batch of enqueues would format the same instant thousands of times. */
  private stamp = { ms: Number.NaN, iso: '' };

  private now(): string {
    const ms = this.deps.clock.now().getTime();
    if (ms !== this.stamp.ms) this.stamp = { ms, iso: new Date(ms).toISOString() };
    return this.stamp.iso;
  }

  /**
   * Adds a row. Call it inside the transaction that makes the change the row
   * reports; the send starts once that transaction has committed.
   */
  enqueue(item: NewOutboxItem): number {
    const id = this.store.enqueue(item, this.now());
    if (!this.announceQueued) {
      this.announceQueued = true;
      setImmediate(() => {
        this.announceQueued = false;
        if (this.closed) return;
        this.deps.changed();
        this.kick();
      });
    }
    return id;
  }

  /** At start: rows a crash left `sending` go back to the queue, then sending begins. */
  start(): void {
    if (this.deps.data.problem()) return;
    const requeued = this.store.requeueInterrupted(this.now());
    if (requeued > 0) this.deps.logger.info('outbox rows interrupted by a stop were queued again', { requeued });
    this.kick();
  }

  /** Back online: what only waited for the network goes now. */
  online(): void {
    if (this.deps.data.problem()) return;
    if (this.store.wakeNetworkWaits(this.now()) > 0) this.deps.changed();
    this.kick();
  }

  /** Looks for due rows soon (coalesced). */
  kick(): void {
    if (this.passQueued || this.closed) return;
    this.passQueued = true;
    setImmediate(() => {
      this.passQueued = false;
      this.pass();
    });
  }

  private pass(): void {
    if (this.closed || this.deps.data.problem()) return;
    const connection = this.deps.connection();
    if (!connection) return;
    this.launch(this.deps.data.transaction(() => this.claim(connection)), connection);
  }

  /**
   * Marks the next due rows `sending`: enough for the free slots and several
   * rounds ahead, so sends never wait for the commit that records the last
   * ones. Runs inside a transaction.
   */
  private claim(connection: Connection): OutboxRow[] {
    const free = LOOKAHEAD * this.concurrency - this.inFlight.size - this.ready.length;
    if (free <= 0) return [];
    // Rows sent but not yet recorded are skipped too: they are not in the queue any more, only the database does not know yet.
    const busy = [...this.inFlight.keys(), ...this.ready.map((row) => row.id), ...this.settled.map((entry) => entry.row.id)];
    const rows = this.store.due(connection.owner, this.deps.clock.now().getTime(), this.sendable(), free, busy);
    this.store.markSending(
      rows.map((row) => row.id),
      this.now(),
    );
    return rows;
  }

  private launch(rows: OutboxRow[], connection: Connection): void {
    this.ready.push(...rows);
    if (this.ready.length === 0 && this.inFlight.size === 0) {
      this.wakeAtNextDue(connection.owner);
      return;
    }
    if (this.fill(connection) > 0 || rows.length > 0) this.deps.changed();
  }

  /** Starts claimed rows while there are free slots; returns how many started. */
  private fill(connection: Connection): number {
    let started = 0;
    while (this.inFlight.size < this.concurrency && this.ready.length > 0 && !this.closed) {
      const row = this.ready.shift() as OutboxRow;
      this.inFlight.set(row.id, this.send({ ...row, attempts: row.attempts + 1 }, connection));
      started += 1;
    }
    return started;
  }

  private wakeAtNextDue(owner: Owner): void {
    this.cancelWake?.();
    this.cancelWake = null;
    const at = this.store.nextDueMs(owner, this.sendable());
    if (at === null) return;
    this.cancelWake = this.deps.clock.setTimeout(() => this.kick(), Math.max(0, at - this.deps.clock.now().getTime()));
  }

  private async send(row: OutboxRow, connection: Connection): Promise<void> {
    const handler = this.kinds.get(row.kind);
    let outcome: Outcome;
    try {
      if (!handler) throw new Error(`no sender for ${row.kind}`);
      const predecessor = row.after_id === null ? null : (this.store.get(row.after_id) ?? null);
      const remote = await handler.send(row, {
        client: connection.client,
        me: connection.owner,
        dataDir: this.deps.dataDir,
        predecessor,
      });
      this.deps.reachable(true);
      outcome = { id: row.id, state: 'sent', remote };
    } catch (error) {
      if (error instanceof File360Error) this.deps.reachable(error.kind !== 'network' && error.kind !== 'timeout');
      outcome = outcomeOf(row.id, row.attempts, error, this.deps.clock.now().getTime(), this.backoff);
      if (outcome.state === 'failed') this.deps.logger.warn('outbox item failed', { id: row.id, kind: row.kind, code: outcome.code });
    }
    this.settled.push({ row, outcome });
    this.inFlight.delete(row.id);
    // The freed slot takes the next claimed row now; results are recorded together, shortly.
    this.fill(connection);
    this.scheduleCommit();
  }

  private scheduleCommit(): void {
    if (this.commitTimer || this.closedData) return;
    this.commitTimer = setTimeout(() => {
      this.commitTimer = null;
      this.commitSettled();
    }, this.deps.commitDelayMs ?? COMMIT_DELAY_MS);
  }

  /** Records finished sends in one transaction, with each kind's own bookkeeping. */
  /**
   * Records finished sends and claims the next rows in one transaction: one
   * fsync per round instead of two, which is what bounds the send rate.
   */
  private commitSettled(): void {
    const batch = this.settled.splice(0);
    if (batch.length === 0) return;
    const now = this.now();
    const connection = this.closed ? null : this.deps.connection();
    let claimed: OutboxRow[] = [];
    try {
      this.deps.data.transaction(({ db, audit }) => {
        for (const { row, outcome } of batch) {
          this.store.settle(outcome, now);
          const handler = this.kinds.get(row.kind);
          if (outcome.state === 'sent') handler?.sent?.(row, outcome.remote, db);
          else if (outcome.state === 'failed') {
            handler?.ended?.(row, db);
            // Named by id and kind, not label: an escalation's label quotes its task, and the audit log is kept for good.
            audit.append({ type: 'outbox.failed', assignmentId: row.assignment_id, details: { outbox: row.id, kind: row.kind, code: outcome.code, error: outcome.error } });
          }
        }
        if (connection) claimed = this.claim(connection);
      });
    } catch (error) {
      // The rows stay `sending` and go back to the queue at the next start; their keys make that safe.
      this.deps.logger.error('outbox results could not be recorded', { error, rows: batch.length });
    }
    if (this.closed) return;
    if (connection) this.launch(claimed, connection);
    this.deps.changed();
  }

  /** Puts a failed (or waiting) row back at the front of the queue. */
  retry(id: number): boolean {
    const done = this.deps.data.transaction(() => this.store.retry(id, this.now()));
    if (done) {
      this.deps.changed();
      this.kick();
    }
    return done;
  }

  /**
   * Gives up on a row for good; rows that were waiting for it cannot be sent
   * either, so they are discarded with it. `record` writes the audit entry in the same transaction.
   */
  discard(id: number, record: (row: OutboxRow, dependents: OutboxRow[]) => void): boolean {
    const done = this.deps.data.transaction(({ db }) => {
      const row = this.store.get(id);
      if (!row || !this.store.discard(id, this.now())) return false;
      const dependents = this.store.dependents(id);
      for (const dependent of dependents) {
        this.store.discard(dependent.id, this.now(), `Discarded with “${row.label}”, which it depended on.`);
        this.kinds.get(dependent.kind)?.ended?.(dependent, db);
      }
      this.kinds.get(row.kind)?.ended?.(row, db);
      record(row, dependents);
      return true;
    });
    if (done) this.deps.changed();
    return done;
  }

  /** Resolves once nothing is being sent or waiting to be recorded (tests and benchmarks). */
  async idle(): Promise<void> {
    for (;;) {
      await Promise.all(this.inFlight.values());
      if (this.inFlight.size > 0) continue;
      if (this.commitTimer) {
        clearTimeout(this.commitTimer);
        this.commitTimer = null;
        this.commitSettled();
      }
      await new Promise((resolve) => setImmediate(resolve));
      if (this.inFlight.size === 0 && this.ready.length === 0 && this.settled.length === 0 && !this.passQueued) return;
    }
  }

  /**
   * Stops sending. Sends under way get a few seconds to finish and be recorded;
   * a long upload is not waited for: its row goes back to the queue at the next
   * start and resumes from what the server holds.
   */
  async close(graceMs = 3000): Promise<void> {
    this.closed = true;
    this.cancelWake?.();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(this.inFlight.values()), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    if (this.commitTimer) clearTimeout(this.commitTimer);
    this.commitTimer = null;
    if (!this.deps.data.problem()) {
      this.commitSettled();
      // Claimed but never started: back to the queue as they were.
      const unsent = this.ready.splice(0).map((row) => row.id);
      if (unsent.length > 0) this.deps.data.transaction(() => this.store.unclaim(unsent, this.now()));
    }
    this.closedData = true;
  }
}

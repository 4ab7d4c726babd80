import type { AuditChain, AuditVerification } from '../../../../shared/api/schemas/audit';
import type { LocalData } from './local-data';
import { prepared } from '../platform/statements';
import type { Clock, Logger, Notifier } from '../ports';
import { acknowledgedCount } from '../audit/acks';
import { readAnchor } from '../audit/anchor';
import { pruneExpired } from './retention';
import { ChainCheck, readCheckpoint, writeCheckpoint } from '../audit/verify';

export interface AuditIntegrityDeps {
  data: LocalData;
  clock: Clock;
  notifier: Notifier;
  logger: Logger;
  /** The retention setting: days to keep acknowledged audit rows and notifications; 0 keeps them. */
  retentionDays(): number;
}

type Trigger = 'start' | 'user' | 'schedule';

/**
 * A check this long is done at once, before start goes on (≈ 0.3 s of
 * hashing); a longer one (the first start after an upgrade, a log found
 * broken last time) runs a page at a time in the background instead.
 */
const AT_ONCE_ROWS = 50_000;
/** The whole chain is walked again this often, and whenever someone asks. */
export const FULL_CHECK_EVERY_MS = 7 * 24 * 60 * 60 * 1000;
/** A scheduled full check waits at least this long after start, so it never competes with it. */
const SCHEDULED_NOT_BEFORE_MS = 10 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const nextPage = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Verification and retention of the audit log. At start only what was added
 * since the last passing check is walked (from its checkpoint: the row it
 * reached, which must still be there with the same hash); the whole chain is
 * walked on demand and every week, a page at a time so the app keeps
 * answering. Every check is itself an audit entry, so a reviewer sees when the
 * log was last found intact; a break found when nobody asked is announced.
 */
export class AuditIntegrity {
  private latest: AuditVerification | null = null;
  private running: Promise<AuditVerification> | null = null;
  private cancelSchedule: (() => void) | null = null;
  private closed = false;

  constructor(private readonly deps: AuditIntegrityDeps) {}

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  /**
   * At start, before this run adds to the log (so rows cut off the end are
   * not mistaken for ones replaced): what changed since the last passing check.
   */
  checkAtStart(): void {
    const check = ChainCheck.begin(this.deps.data.require().db, 'since-last-check', this.now());
    if (check.remaining <= AT_ONCE_ROWS) this.record('start', check.finish(), check);
    else this.track(this.walk('start', check));
    this.schedule();
  }

  /** The whole chain (Verify log, and the weekly check), one at a time. */
  verify(trigger: 'user' | 'schedule' = 'user'): Promise<AuditVerification> {
    const before = this.running ?? Promise.resolve(null);
    return this.track(before.catch(() => null).then(() => this.walk(trigger, ChainCheck.begin(this.deps.data.require().db, 'full', this.now()))));
  }

  private track(walking: Promise<AuditVerification>): Promise<AuditVerification> {
    this.running = walking;
    void walking.finally(() => {
      if (this.running === walking) this.running = null;
    }).catch(() => undefined);
    return walking;
  }

  private async walk(trigger: Trigger, check: ChainCheck): Promise<AuditVerification> {
    while (!check.step()) {
      await nextPage();
      if (this.closed) throw new Error('the app closed during a check of the audit log');
    }
    return this.record(trigger, check.result(), check);
  }

  private record(trigger: Trigger, result: AuditVerification, check: ChainCheck): AuditVerification {
    this.deps.data.transaction(({ db, audit }) => {
      const { ok, scope, from, checked, acknowledged, prunedThrough, firstBad } = result;
      const own = audit.append({ type: ok ? 'audit.verified' : 'audit.verify_failed', details: { trigger, scope, from, checked, acknowledged, prunedThrough, ...(firstBad ? { firstBad } : {}) } });
      writeCheckpoint(db, { ...check.checkpoint(), recordedAs: own.id });
    });
    this.latest = result;
    if (result.firstBad) {
      this.deps.logger.error('the audit log failed its check', { trigger, id: result.firstBad.id, problem: result.firstBad.problem });
      if (trigger !== 'user') {
        this.deps.notifier.show({ title: 'The audit log failed its integrity check', body: result.firstBad.reason, route: { section: 'audit' } });
      }
    }
    return result;
  }

  /** The next weekly full check: a week after the last one, never sooner than a few minutes after start. */
  private schedule(): void {
    this.cancelSchedule?.();
    this.cancelSchedule = null;
    if (this.closed || this.deps.data.problem()) return;
    const lastFull = readCheckpoint(this.deps.data.require().db)?.fullAt;
    const now = this.deps.clock.now().getTime();
    const due = lastFull ? Date.parse(lastFull) + FULL_CHECK_EVERY_MS : now;
    // Timers cannot wait beyond ~24.8 days and clocks get adjusted: long waits are re-checked daily.
    const wait = Math.min(Math.max(due - now, SCHEDULED_NOT_BEFORE_MS), DAY_MS);
    this.cancelSchedule = this.deps.clock.setTimeout(() => {
      this.cancelSchedule = null;
      if (this.deps.clock.now().getTime() < due) return this.schedule();
      this.verify('schedule')
        .catch((error: unknown) => this.deps.logger.info('the weekly check of the audit log did not finish', { error }))
        .finally(() => this.schedule());
    }, wait);
  }

  /**
   * The log as it stands: the checkpoint says how far the last passing check
   * (this run's at start, or any since) found it intact, so the answer is
   * current without walking the log again.
   */
  chain(): AuditChain {
    const { db } = this.deps.data.require();
    const prunedThrough = readAnchor(db)?.id ?? 0;
    const lastId = Math.max(prunedThrough, prepared<[], { id: number | null }>(db, 'SELECT MAX(id) AS id FROM audit').get()?.id ?? 0);
    const checkpoint = readCheckpoint(db);
    // A check's record of itself, written with the checkpoint right after the last row it walked, is not
    // news to the reader: it says the log was checked, so it counts with what was checked.
    const reached = checkpoint && checkpoint.recordedAs === checkpoint.id + 1 ? checkpoint.recordedAs : checkpoint?.id;
    const checkedThrough = checkpoint?.ok && reached !== undefined ? Math.max(reached, prunedThrough) : 0;
    return {
      entries: lastId - prunedThrough,
      checkedThrough,
      checkedAt: checkpoint?.ok ? checkpoint.at : null,
      lastFullAt: checkpoint?.fullAt ?? null,
      prunedThrough,
      unchecked: lastId - Math.max(checkedThrough, prunedThrough),
      acknowledged: acknowledgedCount(db, prunedThrough),
      lastCheck: this.latest,
    };
  }

  /**
   * Removes what the retention setting lets go. Nothing is removed while the
   * last check found the log broken (the rows are the evidence), nor while a
   * check is walking it.
   */
  prune(): void {
    if (this.latest?.ok === false || this.running || this.deps.data.problem()) return;
    const days = this.deps.retentionDays();
    this.deps.data.transaction((open) => pruneExpired(open, this.deps.clock.now(), days));
  }

  /** Stops the schedule and any check under way (it is walked again next time). */
  close(): Promise<void> {
    this.closed = true;
    this.cancelSchedule?.();
    return (this.running ?? Promise.resolve()).then(
      () => undefined,
      () => undefined,
    );
  }
}

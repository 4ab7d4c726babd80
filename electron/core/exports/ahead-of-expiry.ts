import type Database from 'better-sqlite3';
import type { ExportResult } from '../../../shared/api/schemas/exports';
import { afterSendingWords, atTime } from '../../../shared/words';
import { prepared } from '../kernel/platform/statements';
import { Recurring } from '../kernel/platform/alarm';
import type { Clock, Logger } from '../kernel/ports';
import { parseTime, type AssignmentRow } from '../services/assignments/store';
import type { ExportTrigger } from './service';
import type { Owner } from '../kernel/identity';

const DAY_MS = 86_400_000;

/** A notification the app stores and pops up about one assignment. */
export interface DeliveryNotice {
  title: string;
  summary: string;
  assignmentId: string;
  /** Replaces an unread reminder of the same expiry in the center, rather than adding one. */
  collapseKey: string;
  expires: string;
}

export interface AheadOfExpiryDeps {
  db(): Database.Database;
  clock: Clock;
  logger: Logger;
  settings(): { sendBeforeExpiryMinutes: number; autoExport: boolean };
  exportNow(assignmentId: string, trigger: ExportTrigger): Promise<ExportResult>;
  /** Whether the assignment has been exported before (a package exists), so "nothing new" is worth saying. */
  exportedBefore(assignmentId: string): boolean;
  tell(owner: Owner, notice: DeliveryNotice): void;
  /** IANA zone times are said in; default: the system's. */
  timeZone?: string;
}

/** Assignments whose unsent work File 360 may still take: annotator work that can be uploaded, with an expiry. */
const CLOSING = `SELECT * FROM assignments
  WHERE wiped_at IS NULL AND status = 'active' AND role = 'annotator' AND expiration IS NOT NULL
    AND EXISTS (SELECT 1 FROM json_each(permissions) WHERE value = 'upload')`;

/**
 * Delivers before the door closes. File 360 refuses uploads to an expired
 * assignment (CONTRACTS §A.5), so unsent answers are exported and queued
 * `sendBeforeExpiryMinutes` before the expiry, while they can still be sent,
 * and the user is told the rule for what comes after. In the last day every
 * session stop exports too. Works from the database and the clock alone, so
 * offline the package waits in the outbox for the network, which may or may
 * not come back in time; the wipe says which.
 */
export class AheadOfExpiry {
  private readonly schedule: Recurring;
  /** Expiries already acted on in this run, by `<id>@<expiration>`: a moved expiry is acted on again. */
  private readonly done = new Set<string>();
  private readonly sending = new Set<Promise<unknown>>();

  constructor(private readonly deps: AheadOfExpiryDeps) {
    this.schedule = new Recurring(deps.clock, () => this.evaluate(), (error) => deps.logger.error('work due ahead of an expiry could not be checked', { error }));
  }

  start(): void {
    this.schedule.start();
  }

  /** Assignments or settings changed, or the computer woke: send what is due and wait for the next. */
  refresh(): void {
    this.schedule.refresh();
  }

  stop(): void {
    this.schedule.stop();
  }

  /** Resolves once the exports started so far have finished (quitting waits for them). */
  async settled(): Promise<void> {
    await Promise.all(this.sending);
  }

  /**
   * A session that ran has ended: its answers are exported when the user
   * asked for that (autoExport), and always in the assignment's last day,
   * where the next chance may come too late. Null when nothing is exported.
   */
  sessionEnded(assignmentId: string): Promise<ExportResult> | null {
    const row = prepared<[string], AssignmentRow>(this.deps.db(), 'SELECT * FROM assignments WHERE id = ?').get(assignmentId);
    const endsAt = parseTime(row?.expiration ?? null);
    const now = this.deps.clock.now().getTime();
    const lastDay = endsAt !== null && now < endsAt && endsAt - now <= DAY_MS;
    if (!row || (!this.deps.settings().autoExport && !lastDay)) return null;
    return this.track(this.deps.exportNow(assignmentId, 'session-stopped'));
  }

  private track<T>(work: Promise<T>): Promise<T> {
    const tracked = work.finally(() => this.sending.delete(tracked));
    this.sending.add(tracked);
    return tracked;
  }

  private leadMs(): number {
    return this.deps.settings().sendBeforeExpiryMinutes * 60_000;
  }

  /** Sends what is due; returns when the next assignment's time to send is. */
  private evaluate(): number {
    const now = this.deps.clock.now().getTime();
    const lead = this.leadMs();
    let next = Number.POSITIVE_INFINITY;
    for (const row of prepared<[], AssignmentRow>(this.deps.db(), CLOSING).all()) {
      const endsAt = parseTime(row.expiration);
      if (endsAt === null || endsAt <= now) continue;
      const sendAt = endsAt - lead;
      const key = `${row.id}@${endsAt}`;
      if (sendAt > now) next = Math.min(next, sendAt);
      else if (!this.done.has(key)) {
        this.done.add(key);
        void this.track(this.send(row, endsAt));
      }
    }
    return next;
  }

  private async send(row: AssignmentRow, endsAt: number): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const ends = atTime(endsAt, now, this.deps.timeZone);
    let first: string;
    try {
      const result = await this.deps.exportNow(row.id, 'before-expiry');
      if (result.exported) first = `${result.exported.annotations.toLocaleString('en')} answers are being sent to File 360 now.`;
      else if (this.deps.exportedBefore(row.id)) first = 'Every answer you gave is already in a package for File 360.';
      else return;
    } catch (error) {
      this.deps.logger.warn('answers could not be exported ahead of an expiry', { assignmentId: row.id, error });
      first = `Your answers could not be exported (${error instanceof Error ? error.message : String(error)}). Stop the session and choose Export before ${ends}, or they are deleted then.`;
    }
    this.deps.tell(
      { server: row.server, tenant: row.tenant, userId: row.user_id },
      {
        title: `Access to “${row.name}” ends at ${ends}`,
        summary: `${first} ${afterSendingWords(ends)}`.slice(0, 1000),
        assignmentId: row.id,
        collapseKey: `reminder:expiry:${row.id}:${new Date(endsAt).toISOString()}`,
        expires: new Date(endsAt).toISOString(),
      },
    );
  }
}

import type Database from 'better-sqlite3';
import { Recurring } from '../kernel/platform/alarm';
import type { Clock, Logger } from '../kernel/ports';
import { createReminderStore, type Deadline } from './store';
import { reminderText, timeLeft, type ReminderMoment } from './words';
import type { Owner } from '../kernel/identity';
import type { IncomingNotification } from '../kernel/incoming';

export interface ReminderSettings {
  /** How long before each deadline to remind, in hours. */
  offsetsHours: number[];
  /** When a review is due if File 360 gave it no due date, in hours after it was raised. */
  reviewSlaHours: number;
  /** How long before an expiry unsent work is sent (the setting of the same name); the expiry reminder says when. */
  sendBeforeExpiryMinutes: number;
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = { offsetsHours: [24, 1], reviewSlaHours: 48, sendBeforeExpiryMinutes: 15 };

export interface RemindersDeps {
  db: () => Database.Database;
  owner: () => Owner | null;
  clock: Clock;
  settings: () => ReminderSettings;
  /**
   * The notification center's receive. Called inside the transaction that
   * records the reminders as fired, with all that fell due together, so a
   * start after a long time closed shows one short burst, not a storm.
   */
  deliver: (batch: IncomingNotification[]) => void;
  logger?: Logger;
  /** IANA zone the times in reminders are said in; default: the system's. */
  timeZone?: string;
}

const HOUR_MS = 3_600_000;

function offsetsOf(settings: ReminderSettings): number[] {
  return [...new Set(settings.offsetsHours.filter((hours) => Number.isFinite(hours) && hours > 0))];
}

function slaOf(settings: ReminderSettings): number {
  return Number.isFinite(settings.reviewSlaHours) && settings.reviewSlaHours > 0 ? settings.reviewSlaHours : DEFAULT_REMINDER_SETTINGS.reviewSlaHours;
}

function reminderOf(deadline: Deadline, nowMs: number, moment: ReminderMoment): IncomingNotification {
  return {
    source: 'reminder',
    seq: null,
    remoteId: null,
    type: 'deadline.approaching',
    ...reminderText(deadline, timeLeft(deadline.atMs - nowMs), moment),
    topic: `assignment.${deadline.assignmentId}`,
    // A nearer reminder of the same deadline replaces an unread earlier one in the center; a moved deadline starts afresh.
    collapseKey: `reminder:${deadline.key}`,
    created: new Date(nowMs).toISOString(),
    // Held through quiet hours past the deadline, it no longer pops up.
    expires: new Date(deadline.atMs).toISOString(),
    data: deadline.escalationId ? { escalation_id: deadline.escalationId, assignment_id: deadline.assignmentId } : { assignment_id: deadline.assignmentId },
  };
}

/**
 * Local reminders of due dates, expiries and review SLAs, worked out from the
 * database alone so they come offline too. Each (deadline, offset) fires once,
 * across restarts. Offsets that all passed while the app was closed fire one
 * reminder, saying the time actually left, not one per offset. A single timer
 * waits for the next one.
 */
export class Reminders {
  private readonly store;
  private readonly schedule: Recurring;

  constructor(private readonly deps: RemindersDeps) {
    this.store = createReminderStore(deps.db);
    this.schedule = new Recurring(deps.clock, () => this.evaluate(), (error) =>
      this.deps.logger?.error('reminders could not be checked', { error: error instanceof Error ? error.message : String(error) }),
    );
  }

  start(): void {
    this.schedule.start();
  }

  /** Assignments, reviews or settings changed: fire what is now due and wait for the next. */
  refresh(): void {
    this.schedule.refresh();
  }

  stop(): void {
    this.schedule.stop();
  }

  /** Fires what is due; returns when the next reminder is. */
  private evaluate(): number | null {
    const owner = this.deps.owner();
    if (!owner) return null;
    const nowMs = this.deps.clock.now().getTime();
    const settings = this.deps.settings();
    const offsets = offsetsOf(settings);
    const fired = this.store.fired(owner);
    let next = Number.POSITIVE_INFINITY;
    const due: Array<{ deadline: Deadline; keys: string[] }> = [];
    for (const deadline of this.store.deadlines(owner, slaOf(settings))) {
      if (deadline.atMs <= nowMs) continue;
      const pending = offsets.map((hours) => ({ key: `${deadline.key}:${hours}`, atMs: deadline.atMs - hours * HOUR_MS })).filter((r) => !fired.has(r.key));
      const passed = pending.filter((r) => r.atMs <= nowMs);
      for (const r of pending) if (r.atMs > nowMs) next = Math.min(next, r.atMs);
      if (passed.length > 0) due.push({ deadline, keys: passed.map((r) => r.key) });
    }
    if (due.length > 0) this.fire(owner, due, nowMs);
    return next;
  }

  private fire(owner: Owner, due: Array<{ deadline: Deadline; keys: string[] }>, nowMs: number): void {
    const keys = due.flatMap((d) => d.keys);
    const minutes = this.deps.settings().sendBeforeExpiryMinutes;
    const moment = { nowMs, sendBeforeExpiryMs: (Number.isFinite(minutes) && minutes > 0 ? minutes : DEFAULT_REMINDER_SETTINGS.sendBeforeExpiryMinutes) * 60_000, timeZone: this.deps.timeZone };
    this.deps.db().transaction(() => {
      this.store.markFired(owner, keys, nowMs);
      this.deps.deliver(due.map(({ deadline }) => reminderOf(deadline, nowMs, moment)));
    })();
    this.deps.logger?.info('reminders fired', { keys });
  }
}

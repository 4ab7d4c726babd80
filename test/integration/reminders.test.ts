import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { MIGRATIONS } from '../../electron/core/kernel/db/migrations';
import { openDatabase } from '../../electron/core/kernel/db/open';
import { Assignment, Escalation } from '../../electron/core/remote/file360/wire';
import { MAX_WAIT_MS } from '../../electron/core/kernel/platform/alarm';
import { NotificationCenter } from '../../electron/core/notifications/center';
import { DEFAULT_NOTIFICATION_RULES } from '../../electron/core/notifications/rules';
import type { Clock } from '../../electron/core/kernel/ports';
import { DEFAULT_REMINDER_SETTINGS, Reminders, type ReminderSettings } from '../../electron/core/reminders/reminders';
import { createReviewStore } from '../../electron/core/reviews/store';
import { createSyncStore } from '../../electron/core/services/assignments/store';
import { atTime, deliveryRuleWords } from '../../shared/words';
import { ManualClock, recordingNotifier } from '../support/ports';
import { tempDir } from '../support/tmp';
import type { Owner } from '../../electron/core/kernel/identity';

const ANA: Owner = { server: 'https://file360.acme.example', tenant: 'acme', userId: 'u-ana' };
const START = '2026-11-22T09:00:00.000Z';
const DUE = '2026-11-25T09:00:00.000Z';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Time the test moves, which also keeps count of the timers waiting and how long each asked to wait. */
function countingClock(start: string) {
  const clock = new ManualClock(start);
  const pending = new Set<number>();
  const waits: number[] = [];
  let next = 0;
  const counted: Clock = {
    now: () => clock.now(),
    setTimeout(callback, ms) {
      const id = next++;
      pending.add(id);
      waits.push(ms);
      const cancel = clock.setTimeout(() => {
        pending.delete(id);
        callback();
      }, ms);
      return () => {
        pending.delete(id);
        cancel();
      };
    },
  };
  return { clock, counted, pending, waits };
}

/** Reminders feeding a real notification center, on a real database file. */
function open(options: { file?: string; start?: string; settings?: ReminderSettings } = {}) {
  const file = options.file ?? path.join(tempDir(), 'companion.db');
  const db = openDatabase(file, { migrations: MIGRATIONS });
  const { clock, counted, pending, waits } = countingClock(options.start ?? START);
  const notifier = recordingNotifier();
  const state: { settings: ReminderSettings; owner: Owner | null } = { settings: options.settings ?? DEFAULT_REMINDER_SETTINGS, owner: ANA };
  const center = new NotificationCenter({ db: () => db, owner: () => state.owner, clock: counted, notifier, rules: () => DEFAULT_NOTIFICATION_RULES, onChange: () => {}, timeZone: 'UTC' });
  const reminders = new Reminders({ db: () => db, owner: () => state.owner, clock: counted, settings: () => state.settings, deliver: (batch) => center.receive(batch), timeZone: 'UTC' });
  onTestFinished(() => {
    reminders.stop();
    if (db.open) db.close();
  });
  const sync = createSyncStore(() => db);
  const assign = (fields: Record<string, unknown> = {}) =>
    sync.upsertAssignment(
      ANA,
      Assignment.parse({
        id: 'asg-triage',
        name: 'Support triage',
        status: 'active',
        role: 'annotator',
        permissions: ['view', 'download', 'upload', 'escalate'],
        manifest_version: '1',
        file_count: 3,
        total_size: 3000,
        project: { recipe: 'textcat.manual', dataset: 'support' },
        ...fields,
      }),
      clock.now().toISOString(),
    );
  const reviews = createReviewStore(() => db);
  const review = (fields: Record<string, unknown> = {}) =>
    reviews.upsert(
      ANA,
      Escalation.parse({
        id: 'esc-1',
        state: 'open',
        assignment_id: 'asg-triage',
        reason: 'flagged',
        priority: 'high',
        item: { input_hash: 17, task: { text: 'Renewal after cancelling' } },
        created: START,
        updated: START,
        ...fields,
      }),
    );
  const shown = () => notifier.shown.map((n) => n.title);
  const close = () => {
    reminders.stop();
    db.close();
  };
  return { file, db, clock, pending, waits, notifier, center, reminders, state, sync, assign, review, shown, close };
}

describe('reminders of due dates and expiry', () => {
  it('reminds 24 hours and 1 hour before the due date, at those moments, and opens the assignment', () => {
    const w = open();
    w.assign({ due_date: DUE });
    w.reminders.start();
    w.clock.advance(2 * DAY - 1);
    expect(w.shown()).toEqual([]);
    w.clock.advance(1);
    expect(w.shown()).toEqual(['“Support triage” is due in 24 hours']);
    w.clock.advance(23 * HOUR - 1);
    expect(w.shown()).toHaveLength(1);
    w.clock.advance(1);
    expect(w.notifier.shown[1]).toEqual({
      id: expect.any(Number),
      title: '“Support triage” is due in 1 hour',
      body: 'Finish and export your annotations before then so they reach File 360 on time.',
      route: { section: 'assignments', id: 'asg-triage' },
    });
    w.clock.advance(3 * DAY);
    expect(w.shown()).toHaveLength(2);
    // The nearer reminder replaces the unread earlier one in the center.
    expect(w.center.list({ filter: 'all', limit: 10 })).toEqual([expect.objectContaining({ source: 'reminder', type: 'deadline.approaching', title: '“Support triage” is due in 1 hour' })]);
  });

  it('warns before access expires that the files will be removed, and says when the work will be sent and what becomes of later answers', () => {
    const w = open();
    const expiry = Date.parse('2026-11-24T09:00:00.000Z');
    w.assign({ expiration: new Date(expiry).toISOString() });
    w.reminders.start();
    w.clock.advance(DAY);
    // The old words promised that unsent work is put in the outbox at the wipe: after the expiry, where File 360 refuses it.
    const at = (ms: number) => atTime(ms, w.clock.now().getTime(), 'UTC');
    expect(w.notifier.shown).toEqual([
      {
        id: expect.any(Number),
        title: 'Files of “Support triage” will be removed when access expires in 24 hours',
        body: deliveryRuleWords(at(expiry - 15 * MINUTE), at(expiry)),
        route: { section: 'assignments', id: 'asg-triage' },
      },
    ]);
    expect(w.notifier.shown[0]?.body).toMatch(/^Your work will be sent at .+\. Answers you give after that are sent when you stop the session, if you stop it before .+\. At .+ access ends: the files, and any answer not sent by then, are deleted from this computer\./);
    w.clock.advance(23 * HOUR);
    expect(w.shown().at(-1)).toBe('Files of “Support triage” will be removed when access expires in 1 hour');
    expect(w.notifier.shown.at(-1)?.body).toContain(`Your work will be sent at ${at(expiry - 15 * MINUTE)}.`);
  });

  it('says only that the files go, for an assignment whose work cannot be uploaded', () => {
    const w = open();
    w.assign({ expiration: '2026-11-24T09:00:00.000Z', permissions: ['view', 'download'] });
    w.reminders.start();
    w.clock.advance(DAY);
    expect(w.notifier.shown.map((n) => n.body)).toEqual(['At that moment the files are deleted from this computer.']);
  });

  it('reminds at the offsets the user chose', () => {
    const w = open({ settings: { ...DEFAULT_REMINDER_SETTINGS, offsetsHours: [48, 2], reviewSlaHours: 48 } });
    w.assign({ due_date: DUE });
    w.reminders.start();
    w.clock.advance(DAY);
    expect(w.shown()).toEqual(['“Support triage” is due in 2 days']);
    w.clock.advance(DAY);
    expect(w.shown()).toHaveLength(1);
    w.clock.advance(22 * HOUR);
    expect(w.shown()).toEqual(['“Support triage” is due in 2 days', '“Support triage” is due in 2 hours']);
  });

  it('at start, catches up once per deadline with the time actually left, not once per missed offset', () => {
    const w = open();
    w.assign({ due_date: '2026-11-22T09:30:00.000Z' });
    w.assign({ id: 'asg-invoices', name: 'Invoices', due_date: '2026-11-22T14:00:00.000Z' });
    w.reminders.start();
    expect(w.shown().sort()).toEqual(['“Invoices” is due in 5 hours', '“Support triage” is due in 30 minutes']);
    expect(w.db.prepare('SELECT COUNT(*) FROM notifications').pluck().get()).toBe(2);
    w.clock.advance(4 * HOUR);
    expect(w.shown()).toHaveLength(3);
    expect(w.shown().at(-1)).toBe('“Invoices” is due in 1 hour');
    w.clock.advance(2 * DAY);
    expect(w.shown()).toHaveLength(3);
  });

  it('does not remind again after a restart with the same database, and still gives the ones to come', () => {
    const first = open({ start: '2026-11-24T03:00:00.000Z' });
    first.assign({ due_date: DUE });
    first.reminders.start();
    first.clock.advance(6 * HOUR);
    expect(first.shown()).toEqual(['“Support triage” is due in 24 hours']);
    first.close();

    const second = open({ file: first.file, start: '2026-11-24T13:00:00.000Z' });
    second.reminders.start();
    expect(second.shown()).toEqual([]);
    second.clock.advance(19 * HOUR);
    expect(second.shown()).toEqual(['“Support triage” is due in 1 hour']);
    second.close();

    const third = open({ file: first.file, start: '2026-11-25T08:30:00.000Z' });
    third.reminders.start();
    third.clock.advance(DAY);
    expect(third.shown()).toEqual([]);
  });

  it('follows a due date moved by a sync: earlier reminds now, later reminds afresh', () => {
    const w = open();
    w.assign({ due_date: DUE });
    w.reminders.start();
    w.clock.advance(2 * DAY);
    expect(w.shown()).toEqual(['“Support triage” is due in 24 hours']);

    w.assign({ due_date: '2026-11-28T09:00:00.000Z' });
    w.reminders.refresh();
    w.clock.advance(DAY);
    expect(w.shown()).toHaveLength(1);
    w.clock.advance(2 * DAY);
    expect(w.shown()).toEqual(['“Support triage” is due in 24 hours', '“Support triage” is due in 24 hours']);

    w.assign({ due_date: '2026-11-27T15:00:00.000Z' });
    w.reminders.refresh();
    expect(w.shown().at(-1)).toBe('“Support triage” is due in 6 hours');
    w.clock.advance(5 * HOUR);
    expect(w.shown().at(-1)).toBe('“Support triage” is due in 1 hour');
    expect(w.shown()).toHaveLength(4);
  });

  it('skips assignments wiped from this computer, expired or revoked', () => {
    const w = open();
    w.assign({ id: 'asg-wiped', name: 'Wiped', due_date: DUE });
    w.sync.setWiped('asg-wiped', START, 'revoked');
    w.assign({ id: 'asg-expired', name: 'Expired', status: 'expired', due_date: DUE });
    w.assign({ id: 'asg-revoked', name: 'Revoked', status: 'revoked', expiration: DUE });
    w.assign({ id: 'asg-live', name: 'Live', due_date: DUE });
    w.reminders.start();
    w.clock.advance(3 * DAY);
    expect(w.shown()).toEqual(['“Live” is due in 24 hours', '“Live” is due in 1 hour']);
  });

  it('keeps a single timer, never longer than the longest wait, for a deadline months away', () => {
    const w = open();
    w.assign({ due_date: '2027-02-20T09:00:00.000Z' });
    w.assign({ id: 'asg-2', name: 'Second', expiration: '2027-01-20T09:00:00.000Z' });
    w.reminders.start();
    w.reminders.refresh();
    w.reminders.refresh();
    expect(w.pending.size).toBe(1);
    w.clock.advance(Date.parse('2027-01-19T09:00:00.000Z') - Date.parse(START) - 1);
    expect(w.shown()).toEqual([]);
    w.clock.advance(1);
    expect(w.shown()).toEqual(['Files of “Second” will be removed when access expires in 24 hours']);
    expect(w.pending.size).toBe(1);
    expect(Math.max(...w.waits)).toBeLessThanOrEqual(MAX_WAIT_MS);
  });

  it('stays silent with nobody signed in, and after stop', () => {
    const w = open();
    w.assign({ due_date: DUE });
    w.state.owner = null;
    w.reminders.start();
    expect(w.pending.size).toBe(0);
    w.state.owner = ANA;
    w.reminders.refresh();
    w.reminders.stop();
    w.clock.advance(3 * DAY);
    expect(w.shown()).toEqual([]);
  });
});

describe('reminders of review SLAs', () => {
  it('reminds a reviewer of an item they may claim, and a click opens the review', () => {
    const w = open();
    w.assign();
    w.review({ due_date: DUE });
    w.reminders.start();
    w.clock.advance(2 * DAY);
    expect(w.notifier.shown).toEqual([
      { id: expect.any(Number), title: 'Review due in 24 hours', body: 'A high-priority item from “Support triage” waits for your decision (flagged).', route: { section: 'reviews', id: 'esc-1' } },
    ]);
    expect(w.db.prepare('SELECT data FROM notifications').pluck().get()).toBe(JSON.stringify({ escalation_id: 'esc-1', assignment_id: 'asg-triage' }));
  });

  it('reminds of items claimed by this reviewer, not of items someone else claimed or that were decided', () => {
    const w = open();
    w.review({ id: 'esc-mine', state: 'claimed', assignee: { id: 'u-ana' }, priority: 'normal', reason: 'disagreement', due_date: DUE });
    w.review({ id: 'esc-lee', state: 'claimed', assignee: { id: 'u-lee' }, due_date: DUE });
    w.review({ id: 'esc-done', state: 'completed', due_date: DUE });
    w.review({ id: 'esc-here', due_date: DUE });
    // Decided on this computer, the decision still on its way to File 360.
    w.db.prepare(`UPDATE reviews SET local_decision = '{"outcome":"approved"}' WHERE id = 'esc-here'`).run();
    w.reminders.start();
    w.clock.advance(2 * DAY);
    expect(w.notifier.shown).toEqual([
      { id: expect.any(Number), title: 'Review due in 24 hours', body: 'An item from an assignment waits for your decision (annotators disagree).', route: { section: 'reviews', id: 'esc-mine' } },
    ]);
  });

  it('falls back to the configured review SLA, counted from when the item was raised, when a review has no due date', () => {
    const w = open({ settings: { ...DEFAULT_REMINDER_SETTINGS, offsetsHours: [1], reviewSlaHours: 10 } });
    w.review();
    w.db.prepare('UPDATE reviews SET due = NULL').run();
    w.reminders.start();
    w.clock.advance(9 * HOUR - 1);
    expect(w.shown()).toEqual([]);
    w.clock.advance(1);
    expect(w.shown()).toEqual(['Review due in 1 hour']);
  });
});

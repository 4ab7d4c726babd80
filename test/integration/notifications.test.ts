import path from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { MIGRATIONS } from '../../electron/core/kernel/db/migrations';
import { openDatabase } from '../../electron/core/kernel/db/open';
import { NotificationCenter } from '../../electron/core/notifications/center';
import { DEFAULT_NOTIFICATION_RULES, notificationRules, type NotificationRules } from '../../electron/core/notifications/rules';
import { DEFAULT_SETTINGS } from '../../shared/api/schemas/settings';
import { ManualClock, recordingNotifier } from '../support/ports';
import { tempDir } from '../support/tmp';
import type { Owner } from '../../electron/core/kernel/identity';
import type { IncomingNotification } from '../../electron/core/kernel/incoming';

const ANA: Owner = { server: 'https://file360.acme.example', tenant: 'acme', userId: 'u-ana' };
const NIGHT: NotificationRules = { ...DEFAULT_NOTIFICATION_RULES, quietHours: { start: '22:00', end: '07:00' } };
const HOUR = 3_600_000;

let nextSeq = 1;
function push(fields: Partial<IncomingNotification> = {}): IncomingNotification {
  const seq = nextSeq++;
  return {
    source: 'push',
    seq,
    remoteId: `n-${seq}`,
    type: 'batch.assigned',
    title: `Batch ${seq} assigned`,
    summary: '120 high-value samples are waiting.',
    topic: 'assignment.asg-1',
    collapseKey: null,
    created: '2026-11-22T09:00:00.000Z',
    expires: null,
    data: { assignment_id: 'asg-1' },
    ...fields,
  };
}

/** A notification center on a real database file, in UTC, with time the test moves. */
function open(options: { file?: string; start?: string; rules?: NotificationRules } = {}) {
  const file = options.file ?? path.join(tempDir(), 'companion.db');
  const db = openDatabase(file, { migrations: MIGRATIONS });
  const clock = new ManualClock(options.start);
  const notifier = recordingNotifier();
  const state: { rules: NotificationRules; owner: Owner | null; changes: number } = { rules: options.rules ?? DEFAULT_NOTIFICATION_RULES, owner: ANA, changes: 0 };
  const center = new NotificationCenter({
    db: () => db,
    owner: () => state.owner,
    clock,
    notifier,
    rules: () => state.rules,
    onChange: () => (state.changes += 1),
    timeZone: 'UTC',
  });
  onTestFinished(() => {
    center.stop();
    if (db.open) db.close();
  });
  return { file, db, clock, notifier, center, state, shown: () => notifier.shown.map((n) => n.title) };
}

function deliveries(db: Database.Database): Record<string, string> {
  const rows = db.prepare<[], { title: string; delivery: string }>('SELECT title, delivery FROM notifications ORDER BY id').all();
  return Object.fromEntries(rows.map((row) => [row.title, row.delivery]));
}

describe('notification center: what pops up', () => {
  it('pops up a new batch natively with a click that opens its assignment, and lists it unread', () => {
    const { center, notifier, state } = open();
    expect(center.receive([push({ title: 'New batch: invoices' })])).toBe(1);
    expect(notifier.shown).toEqual([{ id: expect.any(Number), title: 'New batch: invoices', body: '120 high-value samples are waiting.', route: { section: 'assignments', id: 'asg-1' } }]);
    expect(center.list({ filter: 'all', limit: 10 })).toEqual([
      expect.objectContaining({ source: 'push', type: 'batch.assigned', title: 'New batch: invoices', delivery: 'shown', read: false, receivedAt: '2026-11-22T09:00:00.000Z' }),
    ]);
    expect(center.unreadCount()).toBe(1);
    expect(state.changes).toBe(1);
  });

  it('ignores an event replayed with the same seq, in a later batch or the same one', () => {
    const { center, shown } = open();
    const event = push({ title: 'Once' });
    expect(center.receive([event, { ...event }])).toBe(1);
    expect(center.receive([{ ...event }])).toBe(0);
    expect(shown()).toEqual(['Once']);
    expect(center.list({ filter: 'all', limit: 10 })).toHaveLength(1);
  });

  it('keeps accounts apart: the same seq for another user is theirs, and each sees only their own', () => {
    const { center, state } = open();
    const event = push();
    center.receive([event]);
    state.owner = { ...ANA, userId: 'u-sam' };
    expect(center.receive([{ ...event }])).toBe(1);
    center.markRead('all');
    state.owner = ANA;
    expect(center.list({ filter: 'unread', limit: 10 })).toHaveLength(1);
  });

  it('stores but does not pop up one that expired before it arrived, and does not count it unread', () => {
    const { center, shown } = open({ start: '2026-11-22T09:00:00.000Z' });
    center.receive([push({ title: 'Stale', expires: '2026-11-22T08:59:59.000Z' }), push({ title: 'Fresh', expires: '2026-11-22T10:00:00.000Z' })]);
    expect(shown()).toEqual(['Fresh']);
    expect(center.list({ filter: 'all', limit: 10 }).map((n) => [n.title, n.delivery, n.read])).toEqual([
      ['Fresh', 'shown', false],
      ['Stale', 'expired', true],
    ]);
    expect(center.unreadCount()).toBe(1);
  });

  it('lists a muted type or topic, marked muted, without popping it up', () => {
    const rules: NotificationRules = { ...DEFAULT_NOTIFICATION_RULES, mutedTypes: ['relabel.requested'], mutedTopics: ['assignment.*', 'escalations.support-sme'] };
    const { center, db, shown } = open({ rules });
    center.receive([
      push({ title: 'Relabel', type: 'relabel.requested', topic: 'user.u-ana' }),
      push({ title: 'Assignment news', topic: 'assignment.asg-9' }),
      push({ title: 'SME group', type: 'review.requested', topic: 'escalations.support-sme' }),
      push({ title: 'Other group', type: 'review.requested', topic: 'escalations.support-smes' }),
      push({ title: 'Personal', topic: 'user.u-ana' }),
    ]);
    expect(shown()).toEqual(['Other group', 'Personal']);
    expect(deliveries(db)).toEqual({ Relabel: 'muted', 'Assignment news': 'muted', 'SME group': 'muted', 'Other group': 'shown', Personal: 'shown' });
    expect(center.list({ filter: 'unread', limit: 10 })).toHaveLength(5);
  });

  it('lists types it does not know without a pop-up, and mutes annotation.completed under the default settings', () => {
    const { center, db, shown } = open({ rules: notificationRules(DEFAULT_SETTINGS) });
    center.receive([push({ title: 'Done', type: 'annotation.completed' }), push({ title: 'Future', type: 'model.retrained' }), push({ title: 'Rejected', type: 'annotation.rejected' })]);
    expect(shown()).toEqual(['Rejected']);
    expect(deliveries(db)).toEqual({ Done: 'muted', Future: 'silent', Rejected: 'shown' });
  });

  it('names a notification that came without a title by its type', () => {
    const { center, notifier } = open();
    center.receive([push({ title: '', type: 'dataset.ready', data: {} })]);
    expect(notifier.shown).toEqual([expect.objectContaining({ title: 'A dataset is complete', route: { section: 'notifications' } })]);
  });
});

describe('notification center: collapse by collapse_key', () => {
  it('shows only the newest of an unread series in the center, and pops up again only when the words changed', () => {
    const { center, db, shown } = open();
    center.receive([push({ title: 'Import 40%', collapseKey: 'import:b7' })]);
    center.receive([push({ title: 'Import 40%', collapseKey: 'import:b7', seq: 900 })]);
    center.receive([push({ title: 'Import failed', type: 'pipeline.failed', collapseKey: 'import:b7' })]);
    expect(shown()).toEqual(['Import 40%', 'Import failed']);
    expect(center.list({ filter: 'all', limit: 10 }).map((n) => n.title)).toEqual(['Import failed']);
    expect(db.prepare('SELECT delivery FROM notifications ORDER BY id').pluck().all()).toEqual(['collapsed', 'collapsed', 'shown']);
    expect(center.unreadCount()).toBe(1);
  });

  it('keeps one the user already read, and lists the newer beside it', () => {
    const { center } = open();
    center.receive([push({ title: 'Batch 1 ready', collapseKey: 'batch' })]);
    center.markRead('all');
    center.receive([push({ title: 'Batch 2 ready', collapseKey: 'batch' })]);
    expect(center.list({ filter: 'all', limit: 10 }).map((n) => [n.title, n.read])).toEqual([
      ['Batch 2 ready', false],
      ['Batch 1 ready', true],
    ]);
  });

  it('does not let one that expired on the way replace the unread one before it', () => {
    const { center } = open({ start: '2026-11-22T09:00:00.000Z' });
    center.receive([push({ title: 'Batch open', collapseKey: 'batch' })]);
    center.receive([push({ title: 'Batch closing', collapseKey: 'batch', expires: '2026-11-22T08:00:00.000Z' })]);
    expect(center.list({ filter: 'all', limit: 10 }).map((n) => [n.title, n.delivery])).toEqual([
      ['Batch closing', 'expired'],
      ['Batch open', 'shown'],
    ]);
  });

  it('pops up only the last of a series that arrives in one batch', () => {
    const { center, shown } = open();
    center.receive([push({ title: 'v1', collapseKey: 'k' }), push({ title: 'v2', collapseKey: 'k' }), push({ title: 'v3', collapseKey: 'k' })]);
    expect(shown()).toEqual(['v3']);
    expect(center.list({ filter: 'all', limit: 10 }).map((n) => n.title)).toEqual(['v3']);
  });
});

describe('notification center: quiet hours', () => {
  it('holds what arrives during quiet hours and pops it up once when they end', () => {
    const { center, clock, db, shown } = open({ start: '2026-11-22T23:30:00.000Z', rules: NIGHT });
    center.start();
    center.receive([push({ title: 'Night batch' })]);
    expect(shown()).toEqual([]);
    expect(center.list({ filter: 'all', limit: 10 })).toEqual([expect.objectContaining({ title: 'Night batch', delivery: 'held', read: false })]);
    clock.advance(7.5 * HOUR - 1);
    expect(shown()).toEqual([]);
    clock.advance(1);
    expect(shown()).toEqual(['Night batch']);
    expect(deliveries(db)).toEqual({ 'Night batch': 'shown' });
    center.start();
    clock.advance(24 * HOUR);
    expect(shown()).toEqual(['Night batch']);
  });

  it('holds across midnight: 23:59 and 06:59 are quiet, 07:00 and 21:59 are not', () => {
    const { center, clock, shown } = open({ start: '2026-11-22T21:59:00.000Z', rules: NIGHT });
    center.receive([push({ title: '21:59' })]);
    clock.advance(2 * HOUR);
    center.receive([push({ title: '23:59' })]);
    clock.advance(7 * HOUR);
    center.receive([push({ title: '06:59' })]);
    clock.advance(60_000);
    center.receive([push({ title: '07:00' })]);
    expect(shown()).toEqual(['21:59', '07:00']);
  });

  it('pops up at start what was held when the app closed during quiet hours, once, also after a restart', () => {
    const night = open({ start: '2026-11-22T23:00:00.000Z', rules: NIGHT });
    night.center.start();
    night.center.receive([push({ title: 'Held overnight' })]);
    night.center.stop();
    night.db.close();

    const morning = open({ file: night.file, start: '2026-11-23T08:15:00.000Z', rules: NIGHT });
    morning.center.start();
    expect(morning.shown()).toEqual(['Held overnight']);
    morning.center.start();
    morning.center.stop();
    morning.db.close();

    const later = open({ file: night.file, start: '2026-11-23T09:00:00.000Z', rules: NIGHT });
    later.center.start();
    expect(later.shown()).toEqual([]);
    expect(later.center.list({ filter: 'all', limit: 10 })).toEqual([expect.objectContaining({ title: 'Held overnight', delivery: 'shown' })]);
  });

  it('keeps what is held quiet when the app starts again inside quiet hours, until they end', () => {
    const { center, clock, shown } = open({ start: '2026-11-22T23:00:00.000Z', rules: NIGHT });
    center.receive([push({ title: 'Held' })]);
    clock.advance(2 * HOUR);
    center.start();
    expect(shown()).toEqual([]);
    clock.advance(6 * HOUR);
    expect(shown()).toEqual(['Held']);
  });

  it('ends a night of arrivals with the newest three, the newest of each series, and one summary for the rest', () => {
    const { center, clock, db, notifier } = open({ start: '2026-11-22T22:00:00.000Z', rules: NIGHT });
    center.start();
    for (let i = 1; i <= 4; i += 1) center.receive([push({ title: `Other ${i}`, collapseKey: `other-${i}` })]);
    for (let i = 1; i <= 5; i += 1) center.receive([push({ title: `Drift check ${i}/5`, type: 'relabel.requested', collapseKey: 'drift' })]);
    center.receive([push({ title: 'Last', type: 'review.requested', data: { escalation_id: 'esc-7', assignment_id: 'asg-1' } })]);
    clock.advance(9 * HOUR);
    expect(notifier.shown.map((n) => n.title)).toEqual(['Other 4', 'Drift check 5/5', 'Last', 'And 3 more notifications']);
    expect(notifier.shown.at(-1)).toEqual({ title: 'And 3 more notifications', body: 'Open Notifications to see them all.', route: { section: 'notifications' } });
    expect(center.list({ filter: 'all', limit: 20 }).map((n) => n.title)).toEqual(['Last', 'Drift check 5/5', 'Other 4', 'Other 3', 'Other 2', 'Other 1']);
    expect(db.prepare("SELECT COUNT(*) FROM notifications WHERE delivery = 'held'").pluck().get()).toBe(0);
  });

  it('does not pop up in the morning what the user read or cleared in the night, or what expired by then', () => {
    const { center, clock, db, shown } = open({ start: '2026-11-22T23:00:00.000Z', rules: NIGHT });
    center.start();
    center.receive([push({ title: 'Read' }), push({ title: 'Cleared' }), push({ title: 'Gone by 6', expires: '2026-11-23T06:00:00.000Z' }), push({ title: 'Still news' })]);
    const [, , cleared, read] = center.list({ filter: 'all', limit: 10 });
    center.markRead([read?.id ?? -1]);
    center.clear([cleared?.id ?? -1]);
    clock.advance(8 * HOUR);
    expect(shown()).toEqual(['Still news']);
    expect(deliveries(db)).toEqual({ Read: 'silent', Cleared: 'silent', 'Gone by 6': 'expired', 'Still news': 'shown' });
  });

  it('pops up held ones when the user turns quiet hours off and the center starts again', () => {
    const { center, state, shown } = open({ start: '2026-11-22T23:00:00.000Z', rules: NIGHT });
    center.start();
    center.receive([push({ title: 'Held' })]);
    state.rules = DEFAULT_NOTIFICATION_RULES;
    center.start();
    expect(shown()).toEqual(['Held']);
  });
});

describe('notification center: the list', () => {
  it('filters unread and by type, pages by id, and counts what is unread', () => {
    const { center } = open();
    center.receive([push({ title: 'a' }), push({ title: 'b', type: 'review.requested' }), push({ title: 'c' }), push({ title: 'd', type: 'review.requested' }), push({ title: 'e' })]);
    const titles = (items: { title: string }[]) => items.map((n) => n.title);
    const all = center.list({ filter: 'all', limit: 10 });
    expect(titles(all)).toEqual(['e', 'd', 'c', 'b', 'a']);
    center.markRead([all[0]?.id ?? -1, all[1]?.id ?? -1]);
    expect(center.unreadCount()).toBe(3);
    expect(titles(center.list({ filter: 'unread', limit: 10 }))).toEqual(['c', 'b', 'a']);
    expect(titles(center.list({ filter: 'all', type: 'review.requested', limit: 10 }))).toEqual(['d', 'b']);
    expect(titles(center.list({ filter: 'unread', type: 'review.requested', limit: 10 }))).toEqual(['b']);
    const first = center.list({ filter: 'all', limit: 2 });
    expect(titles(first)).toEqual(['e', 'd']);
    expect(titles(center.list({ filter: 'all', limit: 2, beforeId: first.at(-1)?.id ?? 0 }))).toEqual(['c', 'b']);
  });

  it('clears from the center but keeps the row; mark all read empties the badge; each change is announced once', () => {
    const { center, db, state } = open();
    center.receive([push({ title: 'a' }), push({ title: 'b' }), push({ title: 'c' })]);
    const [c] = center.list({ filter: 'all', limit: 10 });
    center.clear([c?.id ?? -1]);
    expect(center.list({ filter: 'all', limit: 10 }).map((n) => n.title)).toEqual(['b', 'a']);
    expect(center.unreadCount()).toBe(2);
    expect(db.prepare('SELECT COUNT(*) FROM notifications').pluck().get()).toBe(3);
    center.markRead('all');
    expect(center.unreadCount()).toBe(0);
    expect(state.changes).toBe(3);
    center.markRead('all');
    center.clear([c?.id ?? -1]);
    expect(state.changes).toBe(3);
    center.clear('all');
    expect(center.list({ filter: 'all', limit: 10 })).toEqual([]);
  });

  it('opening one marks it read and says where it leads; another account’s id leads nowhere', () => {
    const { center, state } = open();
    center.receive([push({ type: 'review.requested', data: { escalation_id: 'esc-9', assignment_id: 'asg-1' } })]);
    const [item] = center.list({ filter: 'all', limit: 1 });
    state.owner = { ...ANA, userId: 'u-sam' };
    expect(center.open(item?.id ?? -1)).toBeNull();
    state.owner = ANA;
    expect(center.unreadCount()).toBe(1);
    expect(center.open(item?.id ?? -1)).toEqual({ section: 'reviews', id: 'esc-9' });
    expect(center.unreadCount()).toBe(0);
  });

  it('does nothing and lists nothing while nobody is signed in', () => {
    const { center, db, state, notifier } = open();
    state.owner = null;
    expect(center.receive([push()])).toBe(0);
    expect(center.list({ filter: 'all', limit: 10 })).toEqual([]);
    expect(center.unreadCount()).toBe(0);
    expect(notifier.shown).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) FROM notifications').pluck().get()).toBe(0);
  });
});

describe('notification center: where a click goes', () => {
  const cases: Array<[string, Partial<IncomingNotification>, unknown]> = [
    ['a review request opens the review', { type: 'review.requested', data: { escalation_id: 'esc-1', assignment_id: 'asg-1' } }, { section: 'reviews', id: 'esc-1' }],
    ['a review SLA reminder opens the review', { type: 'deadline.approaching', data: { escalation_id: 'esc-2', assignment_id: 'asg-1' } }, { section: 'reviews', id: 'esc-2' }],
    ['a decision opens the assignment it was made for, at that decision', { type: 'decision.made', data: { escalation_id: 'esc-3', assignment_id: 'asg-3' } }, { section: 'assignments', id: 'asg-3', decision: 'esc-3' }],
    ['a decision that names no escalation opens its assignment', { type: 'decision.made', data: { assignment_id: 'asg-3' } }, { section: 'assignments', id: 'asg-3' }],
    ['a failed session import opens Sessions', { type: 'pipeline.failed', data: { session: 'triage-u-ana', assignment_id: 'asg-1' } }, { section: 'sessions' }],
    ['a failure from a session source opens Sessions', { type: 'pipeline.failed', data: { source: 'session' } }, { section: 'sessions' }],
    ['a failed validation of an assignment opens the assignment', { type: 'pipeline.failed', data: { assignment_id: 'asg-4' } }, { section: 'assignments', id: 'asg-4' }],
    ['a due-date reminder opens the assignment', { type: 'deadline.approaching', data: { assignment_id: 'asg-5' } }, { section: 'assignments', id: 'asg-5' }],
    ['a new batch opens the assignment', { type: 'batch.assigned', data: { assignment_id: 'asg-6', dataset: 'd' } }, { section: 'assignments', id: 'asg-6' }],
    ['a dataset without an assignment opens Notifications', { type: 'dataset.ready', data: { dataset: 'support_v2' } }, { section: 'notifications' }],
    ['an id no route may carry falls back', { type: 'review.requested', data: { escalation_id: '../etc', assignment_id: 'asg 7' } }, { section: 'notifications' }],
  ];
  for (const [name, fields, route] of cases) {
    it(name, () => {
      const { center, notifier } = open();
      const event = push(fields);
      expect(center.routeOf(event)).toEqual(route);
      center.receive([event]);
      expect(center.list({ filter: 'all', limit: 1 })[0]?.route).toEqual(route);
      expect(notifier.shown[0]?.route).toEqual(route);
    });
  }
});

import type Database from 'better-sqlite3';
import type { NotificationPayload } from '../../../shared/api/schemas/app';
import { Outcome } from '../../../shared/api/schemas/escalations';
import { PUSH_EVENT_LABELS } from '../../../shared/push-events';
import type { Route } from '../../../shared/routes';
import type { Clock, Logger, Notifier } from '../kernel/ports';
import { Alarm } from '../kernel/platform/alarm';
import { quietUntil } from './quiet-hours';
import { routeOf } from './route';
import { MAX_NATIVE_AT_ONCE, deliveryOf, type NotificationRules } from './rules';
import { createNotificationStore, type NotificationRow, type NotificationStore } from './store';
import { REMOVED_SUMMARY, strippedTitle } from './stripped';
import type { Delivery, NotificationItem, NotificationQuery } from './types';
import type { Owner } from '../kernel/identity';
import type { IncomingNotification } from '../kernel/incoming';

export interface NotificationCenterDeps {
  db: () => Database.Database;
  owner: () => Owner | null;
  clock: Clock;
  notifier: Notifier;
  rules: () => NotificationRules;
  /** Anything listed or counted changed; the UI refreshes on it. */
  onChange: () => void;
  /** IANA zone quiet hours are read in. Default: the system's, looked up each time, since a laptop travels. */
  timeZone?: string;
  /** The end of quiet hours is handled on a timer, where a failure has nobody to throw to. */
  logger?: Logger;
  /** The name of an assignment wiped from this computer, or null: what arrives about one later is stored without its words. */
  wipedHere?(assignmentId: string): string | null;
}

function dataOf(row: NotificationRow): Record<string, unknown> {
  return JSON.parse(row.data) as Record<string, unknown>;
}

function payloadOf(row: NotificationRow): NotificationPayload {
  return {
    id: row.id,
    title: (row.title || ((PUSH_EVENT_LABELS as Record<string, string | undefined>)[row.type] ?? 'Notification')).slice(0, 200),
    body: row.summary.slice(0, 1000),
    route: routeOf({ type: row.type, data: dataOf(row) }),
  };
}

const OUTCOMES: readonly string[] = Outcome.options;

function itemOf(row: NotificationRow): NotificationItem {
  const data = dataOf(row);
  return {
    id: row.id,
    source: row.source,
    type: row.type,
    title: row.title,
    summary: row.summary,
    topic: row.topic,
    collapseKey: row.collapse_key,
    created: row.created,
    receivedAt: new Date(row.received_ms).toISOString(),
    delivery: row.delivery,
    read: row.read_ms !== null,
    route: routeOf({ type: row.type, data }),
    outcome: row.type === 'decision.made' && OUTCOMES.includes(String(data.outcome)) ? (data.outcome as Outcome) : null,
  };
}

/**
 * Stores every notification (Push, reminders, the app's own), decides which
 * pop up natively under the user's rules, and serves the in-app center.
 * Held ones (quiet hours) pop up once when the quiet hours end: a held row
 * leaves 'held' in the same transaction that decides its fate.
 */
export class NotificationCenter {
  private readonly store: NotificationStore;
  private readonly alarm: Alarm;
  private running = false;

  constructor(private readonly deps: NotificationCenterDeps) {
    this.store = createNotificationStore(deps.db);
    this.alarm = new Alarm(deps.clock);
  }

  /**
   * Stores each (a repeated seq is ignored), decides its delivery and shows
   * the ones due now. Synchronous so the Push client can call it inside the
   * transaction that moves its cursor. Returns how many were new.
   */
  receive(batch: IncomingNotification[]): number {
    const owner = this.deps.owner();
    return owner ? this.record(owner, batch) : 0;
  }

  /**
   * The same, for a named account whether or not it is signed in now: what
   * the app tells about its own data (a wipe at start, before sign-in is
   * restored, or while signed out) is stored for the account it concerns.
   */
  record(owner: Owner, incoming: IncomingNotification[]): number {
    if (incoming.length === 0) return 0;
    const batch = incoming.map((n) => this.unlessWiped(n));
    const nowMs = this.deps.clock.now().getTime();
    const rules = this.deps.rules();
    const until = this.quietUntil(nowMs, rules);
    const result = this.deps.db().transaction(() => {
      let added = 0;
      let held = false;
      // Shown ones pop up after the whole batch, so one replaced later in the same batch never pops up.
      const toShow = new Set<number>();
      for (const n of batch) {
        const earlier = n.collapseKey === null ? [] : this.store.unreadWithKey(owner, n.collapseKey);
        const alreadyShown = earlier.findLast((row) => row.delivered_ms !== null) ?? null;
        const delivery = deliveryOf(n, { nowMs, rules, quiet: until !== null, alreadyShown });
        const id = this.store.insert(owner, n, delivery, nowMs);
        if (id === null) continue;
        added += 1;
        // A stale newcomer does not push aside what the user has not read yet.
        if (delivery !== 'expired') {
          this.store.setDelivery(earlier.map((row) => row.id), 'collapsed', null);
          for (const row of earlier) toShow.delete(row.id);
        }
        if (delivery === 'shown') toShow.add(id);
        held ||= delivery === 'held';
      }
      return { added, held, payloads: this.present(this.store.rows([...toShow]), nowMs) };
    })();
    if (result.held && this.running && until !== null) this.alarm.set(until, () => this.wake());
    this.show(result.payloads);
    if (result.added > 0) this.deps.onChange();
    return result.added;
  }

  /** A notification about an assignment wiped here (a late Push one) keeps its kind and the assignment's name only. */
  private unlessWiped(n: IncomingNotification): IncomingNotification {
    const id = n.data.assignment_id;
    const name = typeof id === 'string' && n.type !== 'assignment.removed' ? (this.deps.wipedHere?.(id) ?? null) : null;
    return name === null ? n : { ...n, title: strippedTitle(n.type, name), summary: REMOVED_SUMMARY, data: { assignment_id: id } };
  }

  list(query: NotificationQuery): NotificationItem[] {
    const owner = this.deps.owner();
    return owner ? this.store.list(owner, query).map(itemOf) : [];
  }

  unreadCount(): number {
    const owner = this.deps.owner();
    return owner ? this.store.unreadCount(owner) : 0;
  }

  markRead(ids: number[] | 'all'): void {
    this.change((owner, nowMs) => this.store.markRead(owner, ids, nowMs));
  }

  /** Hides them from the center; the rows stay for history. */
  clear(ids: number[] | 'all'): void {
    this.change((owner, nowMs) => this.store.clear(owner, ids, nowMs));
  }

  /** A click on one in the center: marks it read and says where it leads; null when it is not this account's. */
  open(id: number): Route | null {
    const owner = this.deps.owner();
    const row = owner ? this.store.get(owner, id) : undefined;
    if (!row) return null;
    this.markRead([id]);
    return routeOf({ type: row.type, data: dataOf(row) });
  }

  routeOf(item: Pick<IncomingNotification, 'type' | 'data'>): Route {
    return routeOf(item);
  }

  /**
   * Delivers held ones when it is not quiet now (their quiet hours ended,
   * perhaps while the app was closed) and waits for the end of the quiet hours
   * otherwise. Safe to call again, e.g. after the rules change.
   */
  start(): void {
    this.running = true;
    this.release();
  }

  stop(): void {
    this.running = false;
    this.alarm.clear();
  }

  private quietUntil(nowMs: number, rules: NotificationRules): number | null {
    return quietUntil(nowMs, rules.quietHours, this.deps.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  }

  private change(apply: (owner: Owner, nowMs: number) => number): void {
    const owner = this.deps.owner();
    if (owner && apply(owner, this.deps.clock.now().getTime()) > 0) this.deps.onChange();
  }

  private wake(): void {
    try {
      this.release();
    } catch (error) {
      this.deps.logger?.error('held notifications could not be delivered', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  private release(): void {
    this.alarm.clear();
    const owner = this.deps.owner();
    if (!owner) return;
    const nowMs = this.deps.clock.now().getTime();
    const rules = this.deps.rules();
    const until = this.quietUntil(nowMs, rules);
    if (until !== null) {
      if (this.running && this.store.held(owner).length > 0) this.alarm.set(until, () => this.wake());
      return;
    }
    const payloads = this.deps.db().transaction(() => {
      const held = this.store.held(owner);
      const due: NotificationRow[] = [];
      for (const row of held) {
        // Read or cleared in the center during the night: the user has seen it, no toast in the morning.
        const delivery: Delivery =
          row.read_ms !== null || row.cleared_ms !== null ? 'silent' : deliveryOf(row, { nowMs, rules, quiet: false, alreadyShown: null });
        if (delivery === 'shown') due.push(row);
        else this.store.setDelivery([row.id], delivery, null);
      }
      return held.length > 0 ? this.present(due, nowMs) : null;
    })();
    if (payloads === null) return;
    this.show(payloads);
    this.deps.onChange();
  }

  /** Records which of `rows` (oldest first) pop up, and returns what to show: the newest few and a summary of the rest. */
  private present(rows: NotificationRow[], nowMs: number): NotificationPayload[] {
    const folded = rows.slice(0, Math.max(0, rows.length - MAX_NATIVE_AT_ONCE));
    const shown = rows.slice(folded.length);
    this.store.setDelivery(shown.map((row) => row.id), 'shown', nowMs);
    this.store.setDelivery(folded.map((row) => row.id), 'silent', null);
    const payloads = shown.map(payloadOf);
    if (folded.length > 0) {
      payloads.push({
        title: `And ${folded.length} more notification${folded.length === 1 ? '' : 's'}`,
        body: 'Open Notifications to see them all.',
        route: { section: 'notifications' },
      });
    }
    return payloads;
  }

  private show(payloads: NotificationPayload[]): void {
    for (const payload of payloads) this.deps.notifier.show(payload);
  }
}

import type Database from 'better-sqlite3';
import { prepared } from '../kernel/platform/statements';
import type { Delivery, NotificationQuery } from './types';
import type { Owner } from '../kernel/identity';
import type { IncomingNotification, NotificationSource } from '../kernel/incoming';

export interface NotificationRow {
  id: number;
  server: string;
  tenant: string;
  user_id: string;
  source: NotificationSource;
  seq: number | null;
  remote_id: string | null;
  type: string;
  title: string;
  summary: string;
  topic: string | null;
  collapse_key: string | null;
  data: string;
  created: string;
  expires: string | null;
  received_ms: number;
  delivery: Delivery;
  delivered_ms: number | null;
  read_ms: number | null;
  cleared_ms: number | null;
}

const OWNED = 'server = @server AND tenant = @tenant AND user_id = @user';
/** What the center lists: not cleared away, not replaced by a newer one. */
const LISTED = `${OWNED} AND cleared_ms IS NULL AND delivery <> 'collapsed'`;
const SELECTED = "(@all = 1 OR id IN (SELECT value FROM json_each(@ids)))";

const who = (owner: Owner) => ({ server: owner.server, tenant: owner.tenant, user: owner.userId });
const selection = (ids: readonly number[] | 'all') => ({ all: ids === 'all' ? 1 : 0, ids: JSON.stringify(ids === 'all' ? [] : ids) });

/** Reads and writes of the notifications table, one account at a time. Callers own the transactions. */
export function createNotificationStore(db: () => Database.Database) {
  const q = <P extends unknown[] | Record<string, unknown> = unknown[], R = unknown>(sql: string) => prepared<P, R>(db(), sql);

  return {
    /** Returns the new row's id, or null when this Push seq is stored already. */
    insert(owner: Owner, n: IncomingNotification, delivery: Delivery, nowMs: number): number | null {
      const info = q(
        `INSERT INTO notifications (server, tenant, user_id, source, seq, remote_id, type, title, summary, topic, collapse_key, data, created, expires,
           received_ms, delivery, read_ms)
         VALUES (@server, @tenant, @user, @source, @seq, @remote_id, @type, @title, @summary, @topic, @collapse_key, @data, @created, @expires,
           @now, @delivery, @read_ms)
         ON CONFLICT DO NOTHING`,
      ).run({
        ...who(owner),
        source: n.source,
        seq: n.seq,
        remote_id: n.remoteId,
        type: n.type,
        title: n.title,
        summary: n.summary,
        topic: n.topic,
        collapse_key: n.collapseKey,
        data: JSON.stringify(n.data),
        created: n.created,
        expires: n.expires,
        now: nowMs,
        delivery,
        // Stale on arrival: nothing left to act on, so it does not add to the unread badge.
        read_ms: delivery === 'expired' ? nowMs : null,
      });
      return info.changes === 0 ? null : Number(info.lastInsertRowid);
    },

    /** The listed, unread ones a newcomer with this collapse key replaces. */
    unreadWithKey(owner: Owner, collapseKey: string): NotificationRow[] {
      return q<Record<string, unknown>, NotificationRow>(`SELECT * FROM notifications WHERE ${LISTED} AND read_ms IS NULL AND collapse_key = @key`).all({
        ...who(owner),
        key: collapseKey,
      });
    },

    held(owner: Owner): NotificationRow[] {
      return q<Record<string, unknown>, NotificationRow>(`SELECT * FROM notifications WHERE ${OWNED} AND delivery = 'held' ORDER BY id`).all(who(owner));
    },

    get(owner: Owner, id: number): NotificationRow | undefined {
      return q<Record<string, unknown>, NotificationRow>(`SELECT * FROM notifications WHERE ${OWNED} AND id = @id`).get({ ...who(owner), id });
    },

    rows(ids: readonly number[]): NotificationRow[] {
      return q<[string], NotificationRow>('SELECT * FROM notifications WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(JSON.stringify(ids));
    },

    /** `deliveredMs` is when it popped up natively; null keeps what was recorded. */
    setDelivery(ids: readonly number[], delivery: Delivery, deliveredMs: number | null): void {
      if (ids.length === 0) return;
      q('UPDATE notifications SET delivery = ?, delivered_ms = COALESCE(?, delivered_ms) WHERE id IN (SELECT value FROM json_each(?))').run(
        delivery,
        deliveredMs,
        JSON.stringify(ids),
      );
    },

    /** Only the filters in use are in the text, so each reads its own index (notifications_unread, _by_type) a page at a time. */
    list(owner: Owner, query: NotificationQuery): NotificationRow[] {
      const terms = [LISTED, query.filter === 'unread' ? 'read_ms IS NULL' : null, query.type !== undefined ? 'type = @type' : null, query.beforeId !== undefined ? 'id < @before' : null];
      // Without statistics SQLite cannot tell the partial indexes apart; the unread one must be named (an error if it ever cannot be used).
      const from = query.filter === 'unread' ? 'notifications INDEXED BY notifications_unread' : query.type !== undefined ? 'notifications INDEXED BY notifications_by_type' : 'notifications';
      const sql = `SELECT * FROM ${from} WHERE ${terms.filter(Boolean).join(' AND ')} ORDER BY id DESC LIMIT @limit`;
      return q<Record<string, unknown>, NotificationRow>(sql).all({
        ...who(owner),
        ...(query.type !== undefined ? { type: query.type } : {}),
        ...(query.beforeId !== undefined ? { before: query.beforeId } : {}),
        limit: query.limit,
      });
    },

    unreadCount(owner: Owner): number {
      return q<Record<string, unknown>, { n: number }>(`SELECT COUNT(*) AS n FROM notifications INDEXED BY notifications_unread WHERE ${LISTED} AND read_ms IS NULL`).get(who(owner))?.n ?? 0;
    },

    /** Returns how many changed. */
    markRead(owner: Owner, ids: readonly number[] | 'all', nowMs: number): number {
      return q(`UPDATE notifications SET read_ms = @now WHERE ${OWNED} AND read_ms IS NULL AND ${SELECTED}`).run({ ...who(owner), ...selection(ids), now: nowMs }).changes;
    },

    /** Returns how many changed. */
    clear(owner: Owner, ids: readonly number[] | 'all', nowMs: number): number {
      return q(`UPDATE notifications SET cleared_ms = @now WHERE ${OWNED} AND cleared_ms IS NULL AND ${SELECTED}`).run({ ...who(owner), ...selection(ids), now: nowMs }).changes;
    },
  };
}

export type NotificationStore = ReturnType<typeof createNotificationStore>;

import type { SandboxClock } from '../../file360/clock';
import { getMeta, setMeta, sql, type Db } from '../../file360/state/db';

/** What one publish says, the same for every recipient. */
export interface Message {
  type: string;
  title: string;
  summary: string;
  topic?: string;
  collapse_key?: string;
  data: Record<string, unknown>;
  created: string;
  expires?: string;
}

/** A notification as the stream's `data:` and the catch-up collection carry it. */
export interface Notification extends Message {
  seq: number;
  /** The publish's id: recipients of one publish share it, each with a seq of their own. */
  id: string;
}

export interface Bounds {
  current_min_seq: number;
  current_max_seq: number;
}

interface Row {
  seq: number;
  notification_id: string;
  type: string;
  title: string;
  summary: string;
  topic: string | null;
  collapse_key: string | null;
  data: string;
  created: string;
  expires: string | null;
}

const toNotification = (row: Row): Notification => ({
  seq: row.seq,
  id: row.notification_id,
  type: row.type,
  title: row.title,
  summary: row.summary,
  ...(row.topic !== null ? { topic: row.topic } : {}),
  ...(row.collapse_key !== null ? { collapse_key: row.collapse_key } : {}),
  created: row.created,
  ...(row.expires !== null ? { expires: row.expires } : {}),
  data: JSON.parse(row.data) as Record<string, unknown>,
});

/**
 * The notification log. `max_seq` is the last seq ever handed out and
 * `min_seq` the oldest one still retained (history before it was dropped);
 * both live in `meta`, so seqs keep rising across restarts and deletions.
 */
export class Events {
  constructor(
    private readonly db: Db,
    private readonly clock: SandboxClock,
    private readonly retention: number,
  ) {}

  bounds(): Bounds {
    return { current_min_seq: Number(getMeta(this.db, 'push_min_seq') ?? 1), current_max_seq: Number(getMeta(this.db, 'push_max_seq') ?? 0) };
  }

  /** One row per recipient, seqs ascending in the order given; run inside the publish's transaction. */
  append(userIds: string[], notificationId: string, jobId: string, message: Message): { min: number; max: number } {
    const first = this.bounds().current_max_seq + 1;
    const insert = sql(
      this.db,
      `INSERT INTO push_events (seq, user_id, notification_id, job_id, type, title, summary, topic, collapse_key, data, created, expires)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    userIds.forEach((userId, index) => {
      const { type, title, summary, topic, collapse_key, data, created, expires } = message;
      insert.run(first + index, userId, notificationId, jobId, type, title, summary, topic ?? null, collapse_key ?? null, JSON.stringify(data), created, expires ?? null);
    });
    const last = first + userIds.length - 1;
    setMeta(this.db, 'push_max_seq', String(last));
    this.trim();
    return { min: first, max: last };
  }

  /** A user's notifications after a seq, oldest first; expired ones are left out, here and on the stream alike. */
  after(userId: string, afterSeq: number, limit: number): Notification[] {
    const rows = sql(this.db, 'SELECT * FROM push_events WHERE user_id = ? AND seq > ? AND (expires IS NULL OR expires > ?) ORDER BY seq LIMIT ?').all(
      userId,
      afterSeq,
      this.clock.now().toISOString(),
      limit,
    ) as Row[];
    return rows.map(toNotification);
  }

  /** Drops every event up to and including this seq (at most the last one handed out). */
  forget(throughSeq: number): void {
    const { current_min_seq, current_max_seq } = this.bounds();
    const through = Math.min(throughSeq, current_max_seq);
    if (through < current_min_seq) return;
    sql(this.db, 'DELETE FROM push_events WHERE seq <= ?').run(through);
    setMeta(this.db, 'push_min_seq', String(through + 1));
  }

  /** Seqs min..max are all still there (only a prefix is ever dropped), so their count is plain arithmetic. */
  private trim(): void {
    const { current_min_seq, current_max_seq } = this.bounds();
    if (current_max_seq - current_min_seq + 1 > this.retention) this.forget(current_max_seq - this.retention);
  }
}

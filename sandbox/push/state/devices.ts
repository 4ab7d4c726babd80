import { randomUUID } from 'node:crypto';
import type { SandboxClock } from '../../file360/clock';
import { sql, type Db } from '../../file360/state/db';

export type Runtime = 'desktop-linux' | 'desktop-mac' | 'desktop-win';

export interface NewDevice {
  installation_id: string;
  runtime: Runtime;
  app_version: string;
}

/** A device as the handle shows it. */
export interface DeviceView {
  id: string;
  user_id: string;
  installation_id: string;
  runtime: string;
  topics: string[];
}

interface Row {
  id: string;
  user_id: string;
  installation_id: string;
  runtime: string;
}

/** Registered installations and the topics each one follows. */
export class Devices {
  constructor(
    private readonly db: Db,
    private readonly clock: SandboxClock,
  ) {}

  /**
   * One device per user and installation: registering again (a reinstall, a
   * lost idempotency key) finds the same device and keeps its topics.
   */
  register(userId: string, device: NewDevice): string {
    const now = this.clock.now().toISOString();
    const upsert = sql(
      this.db,
      `INSERT INTO push_devices (id, user_id, installation_id, runtime, app_version, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id, installation_id) DO UPDATE SET runtime = excluded.runtime, app_version = excluded.app_version, updated = excluded.updated
         RETURNING id`,
    );
    return (upsert.get(`dev-${randomUUID()}`, userId, device.installation_id, device.runtime, device.app_version, now, now) as { id: string }).id;
  }

  ownedBy(id: string, userId: string): boolean {
    return sql(this.db, 'SELECT 1 FROM push_devices WHERE id = ? AND user_id = ?').get(id, userId) !== undefined;
  }

  subscribe(id: string, topic: string): void {
    sql(this.db, 'INSERT OR IGNORE INTO push_topics (device_id, topic) VALUES (?, ?)').run(id, topic);
  }

  unsubscribe(id: string, topic: string): void {
    sql(this.db, 'DELETE FROM push_topics WHERE device_id = ? AND topic = ?').run(id, topic);
  }

  /** Users with at least one device following the topic. */
  subscribers(topic: string): string[] {
    const rows = sql(this.db, 'SELECT DISTINCT d.user_id FROM push_topics t JOIN push_devices d ON d.id = t.device_id WHERE t.topic = ?').all(topic) as { user_id: string }[];
    return rows.map((row) => row.user_id);
  }

  list(userId?: string): DeviceView[] {
    const rows = (userId === undefined
      ? sql(this.db, 'SELECT id, user_id, installation_id, runtime FROM push_devices ORDER BY rowid').all()
      : sql(this.db, 'SELECT id, user_id, installation_id, runtime FROM push_devices WHERE user_id = ? ORDER BY rowid').all(userId)) as Row[];
    const topicsOf = sql(this.db, 'SELECT topic FROM push_topics WHERE device_id = ? ORDER BY topic');
    return rows.map((row) => ({ ...row, topics: (topicsOf.all(row.id) as { topic: string }[]).map((topic) => topic.topic) }));
  }
}

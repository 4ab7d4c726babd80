import Database from 'better-sqlite3';
import path from 'node:path';
import { DATABASE_NAME } from '../../electron/core/companion';

/**
 * Puts an assignment with `count` file rows straight into a running app's
 * database (WAL lets a second connection write), for UI tests and benchmarks
 * that need a huge list without downloading it. Every 97th file has a problem.
 */
export function seedFiles(dataDir: string, assignmentId: string, count: number, place = { server: 'https://file360.example.com', tenant: 'acme' }): void {
  const db = new Database(path.join(dataDir, DATABASE_NAME));
  db.pragma('busy_timeout = 5000');
  const now = new Date().toISOString();
  db.transaction(() => {
    db.prepare(
      `INSERT INTO assignments (id, server, tenant, user_id, name, status, role, permissions, due_date, expiration, manifest_version,
         file_count, total_size, project, reviewer_groups, last_synced_at, synced_manifest_version, updated_at)
       VALUES (?, ?, ?, 'u-ana', ?, 'active', 'annotator', '["view","download"]', ?, ?, '1', ?, ?, '{"recipe":"image.manual","dataset":"scans","labels":["CAT","DOG"]}', '[]', ?, '1', ?)`,
    ).run(assignmentId, place.server, place.tenant, `Scans (${count.toLocaleString('en')} files)`, now, new Date(Date.now() + 30 * 86_400_000).toISOString(), count, count * 1000, now, now);
    const insert = db.prepare(
      "INSERT INTO files (assignment_id, id, path, size, sha256, version, state, error, local_size, local_mtime_ms) VALUES (?, ?, ?, 1000, ?, 1, ?, ?, 1000, 0)",
    );
    for (let i = 0; i < count; i += 1) {
      const problem = i % 97 === 96;
      insert.run(assignmentId, `fil-${i}`, `scans/${String(Math.floor(i / 1000)).padStart(3, '0')}/scan-${String(i).padStart(6, '0')}.png`, '0'.repeat(64), problem ? 'error' : 'done', problem ? 'File 360 had an internal error (HTTP 500).' : null);
    }
  })();
  db.close();
}

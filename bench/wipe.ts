/**
 * `npm run bench -- wipe`: what making a wipe leave nothing in SQLite costs
 * (issue 18). Workload: a database with a year of data (50 assignments,
 * 200 000 file rows, 100 000 notifications, 300 000 audit rows); one
 * assignment is wiped: its 4 000 file rows and 200 escalations deleted, its
 * 2 000 notifications stripped of their words. Baseline: the same statements
 * with SQLite's defaults (secure_delete off, the WAL left to its automatic
 * checkpoint). Measured: secure_delete on and the scrub after the wipe
 * (truncating checkpoint). Also: the one VACUUM a database made by an older
 * version gets at its first wipe.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../electron/core/kernel/db/migrations';
import { openDatabase } from '../electron/core/kernel/db/open';
import { scrubDeleted } from '../electron/core/kernel/db/scrub';
import { median, table, writeResult } from './support/report';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ASSIGNMENTS = 50;
const FILES_PER = 4000;
const NOTIFICATIONS = 100_000;
const AUDIT = 300_000;
const WIPED = 'asg-7';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-wipe-'));
const seed = path.join(work, 'seed.db');

function build(): void {
  const db = openDatabase(seed, { migrations: MIGRATIONS });
  const text = (n: number) => randomBytes(n).toString('base64');
  db.transaction(() => {
    const assignment = db.prepare(
      `INSERT INTO assignments (id, server, tenant, user_id, name, status, role, permissions, manifest_version, file_count, total_size, project, reviewer_groups, updated_at)
       VALUES (?, 's', 't', 'u', ?, 'active', 'annotator', '["upload"]', '1', ?, 0, '{"dataset":"d"}', '[]', '2026-01-01')`,
    );
    const file = db.prepare("INSERT INTO files (assignment_id, id, path, size, sha256, version, state) VALUES (?, ?, ?, 100, ?, 1, 'done')");
    for (let a = 0; a < ASSIGNMENTS; a += 1) {
      assignment.run(`asg-${a}`, `Assignment ${a}`, FILES_PER);
      for (let f = 0; f < FILES_PER; f += 1) file.run(`asg-${a}`, `fil-${f}`, `folder/${f}-${text(12)}.txt`, text(32));
    }
    const notification = db.prepare(
      `INSERT INTO notifications (server, tenant, user_id, source, type, title, summary, topic, data, created, received_ms, delivery)
       VALUES ('s', 't', 'u', 'push', 'review.requested', ?, ?, ?, ?, '2026-01-01', 0, 'shown')`,
    );
    for (let n = 0; n < NOTIFICATIONS; n += 1) {
      const id = `asg-${n % ASSIGNMENTS}`;
      notification.run(`Review needed ${n}`, text(150), `assignment.${id}`, JSON.stringify({ assignment_id: id }));
    }
    const audit = db.prepare("INSERT INTO audit (ts, type, actor, assignment_id, details, prev_hash, hash) VALUES ('2026-01-01', 'file.downloaded', 'u', ?, ?, ?, ?)");
    for (let n = 0; n < AUDIT; n += 1) audit.run(`asg-${n % ASSIGNMENTS}`, JSON.stringify({ path: text(30) }), text(32), `${n}-${text(24)}`);
    const outbox = db.prepare(
      "INSERT INTO outbox (kind, idempotency_key, server, tenant, user_id, assignment_id, label, payload, created_at, updated_at) VALUES ('escalation', ?, 's', 't', 'u', ?, 'e', ?, '2026', '2026')",
    );
    const escalation = db.prepare(
      "INSERT INTO escalations (id, assignment_id, question_key, reason, reasons, note, priority, item, outbox_id, state, created_at, updated_at) VALUES (?, ?, ?, 'flagged', '[]', ?, 'normal', ?, ?, 'open', '2026', '2026')",
    );
    for (let e = 0; e < 200; e += 1) {
      const outboxId = Number(outbox.run(`k-${e}`, WIPED, JSON.stringify({ item: text(400) })).lastInsertRowid);
      escalation.run(`esc-${e}`, WIPED, `q-${e}`, text(60), JSON.stringify({ task: { text: text(400) } }), outboxId);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** The database side of one wipe, as the wipe steps run it. */
function wipe(db: Database.Database): void {
  db.transaction(() => {
    db.prepare('DELETE FROM files WHERE assignment_id = ?').run(WIPED);
    db.prepare("UPDATE notifications SET title = 'Review requested', summary = 'removed', data = '{}' WHERE json_extract(data, '$.assignment_id') = ?").run(WIPED);
    db.prepare('DELETE FROM escalations WHERE assignment_id = ?').run(WIPED);
    db.prepare("UPDATE outbox SET payload = '{}' WHERE assignment_id = ?").run(WIPED);
  })();
}

function copy(name: string): string {
  const file = path.join(work, name);
  fs.copyFileSync(seed, file);
  return file;
}

function timed(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

build();
const size = fs.statSync(seed).size;
const base: number[] = [];
const scrubbed: number[] = [];
const vacuum: number[] = [];
for (let run = 1; run <= RUNS; run += 1) {
  const plain = new Database(copy(`plain-${run}.db`));
  plain.pragma('journal_mode = WAL');
  plain.pragma('synchronous = FULL');
  base.push(timed(() => wipe(plain)));
  plain.close();

  const app = openDatabase(copy(`app-${run}.db`), { migrations: MIGRATIONS });
  scrubbed.push(timed(() => (wipe(app), scrubDeleted(app, () => '2026-01-01'))));
  app.close();

  const older = openDatabase(copy(`older-${run}.db`), { migrations: MIGRATIONS });
  older.prepare("DELETE FROM app_state WHERE key = 'secure_delete_since'").run();
  vacuum.push(timed(() => (wipe(older), scrubDeleted(older, () => '2026-01-01'))));
  older.close();
  for (const name of [`plain-${run}.db`, `app-${run}.db`, `older-${run}.db`]) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(work, name + suffix), { force: true });
  process.stdout.write(`run ${run}: baseline ${base.at(-1)?.toFixed(0)} ms, scrubbed ${scrubbed.at(-1)?.toFixed(0)} ms, first wipe of an older database ${vacuum.at(-1)?.toFixed(0)} ms\n`);
}
fs.rmSync(work, { recursive: true, force: true });

const ratio = median(scrubbed) / median(base);
process.stdout.write(
  table([
    ['measure', 'median', 'ratio to baseline'],
    ['baseline: the wipe’s statements, SQLite defaults', `${median(base).toFixed(0)} ms`, '1.00'],
    ['secure_delete + truncating checkpoint', `${median(scrubbed).toFixed(0)} ms`, ratio.toFixed(2)],
    ['first wipe of an older database (+ VACUUM)', `${median(vacuum).toFixed(0)} ms`, (median(vacuum) / median(base)).toFixed(2)],
    ['database size', `${(size / 1024 / 1024).toFixed(0)} MiB`, ''],
  ]),
);
writeResult('wipe', {
  workload: { assignments: ASSIGNMENTS, files: ASSIGNMENTS * FILES_PER, notifications: NOTIFICATIONS, audit: AUDIT, bytes: size, runs: RUNS },
  baselineMs: base,
  scrubbedMs: scrubbed,
  firstWipeOfOlderDatabaseMs: vacuum,
  medians: { baselineMs: median(base), scrubbedMs: median(scrubbed), firstWipeOfOlderDatabaseMs: median(vacuum) },
  ratio,
});

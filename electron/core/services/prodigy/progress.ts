import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AnswerCounts } from '../../../../shared/api/schemas/sessions';
import { prepared } from '../../kernel/platform/statements';

/**
 * Counts a session's answers from Prodigy's own database, read-only. Asking
 * Prodigy over HTTP would not do: /get_session_questions hands out (consumes)
 * tasks, and there is no side-effect-free progress endpoint.
 */
export function readAnswerCounts(home: string, sessionDataset: string, total: number): AnswerCounts {
  const counts: AnswerCounts = { answered: 0, total, accept: 0, reject: 0, ignore: 0, flagged: 0 };
  const file = path.join(home, 'prodigy.db');
  if (!fs.existsSync(file)) return counts;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 1000');
    const rows = db
      .prepare<[string], { answer: string | null; n: number; flagged: number }>(
        `SELECT json_extract(e.content, '$.answer') AS answer, COUNT(DISTINCT e.task_hash) AS n,
                COUNT(DISTINCT CASE WHEN json_extract(e.content, '$.flagged') = 1 THEN e.task_hash END) AS flagged
           FROM example e JOIN link l ON l.example_id = e.id JOIN dataset d ON d.id = l.dataset_id
          WHERE d.name = ? GROUP BY answer`,
      )
      .all(sessionDataset);
    for (const row of rows) {
      if (row.answer === 'accept' || row.answer === 'reject' || row.answer === 'ignore') counts[row.answer] += row.n;
      counts.answered += row.n;
      counts.flagged += row.flagged;
    }
  } catch {
    // Prodigy may be creating its tables right now; the next read will see them.
  } finally {
    db?.close();
  }
  return counts;
}

/**
 * The state of Prodigy's database files: counts read at one stamp hold until Prodigy writes again. An empty
 * write-ahead log holds nothing, so it counts as none: reading the database may leave one behind (SQLite makes
 * it on open), and that must not make the counts just read look out of date. Times to the millisecond: a
 * copy or a backup keeps no more, and a float's last digit may differ.
 */
export function databaseStamp(home: string): string {
  return ['prodigy.db', 'prodigy.db-wal']
    .map((name) => fs.statSync(path.join(home, name), { throwIfNoEntry: false }))
    .map((stat) => (stat && stat.size > 0 ? `${Math.round(stat.mtimeMs)}:${stat.size}` : '-'))
    .join('|');
}

/**
 * readAnswerCounts for a session that has ended, remembered on its row with the
 * stamp they were read at: the Sessions view reads a year of answers once,
 * not at every look (a hundred thousand answers took ~0.2 s each time).
 */
export function rememberedAnswerCounts(db: Database.Database, row: { id: number; counts: string | null; counts_stamp: string | null }, home: string, sessionDataset: string, total: number): AnswerCounts {
  const stamp = databaseStamp(home);
  if (row.counts && row.counts_stamp === stamp) return JSON.parse(row.counts) as AnswerCounts;
  const counts = readAnswerCounts(home, sessionDataset, total);
  prepared(db, 'UPDATE prodigy_sessions SET counts = ?, counts_stamp = ? WHERE id = ?').run(JSON.stringify(counts), stamp, row.id);
  return counts;
}

/**
 * readAnswerCounts for a running session, polled: the count reads every
 * example's JSON (image tasks carry their pixels), so it runs only when
 * Prodigy's database or its write-ahead log has changed since the last read.
 */
export class AnswerCountWatch {
  private seen = '';
  private counts: AnswerCounts;

  constructor(
    private readonly home: string,
    private readonly sessionDataset: string,
    private readonly total: number,
  ) {
    this.counts = { answered: 0, total, accept: 0, reject: 0, ignore: 0, flagged: 0 };
  }

  get current(): AnswerCounts {
    return this.counts;
  }

  /** The counts now; `changed` says whether they differ from the last ones. */
  read(): { counts: AnswerCounts; changed: boolean } {
    const stamp = databaseStamp(this.home);
    if (stamp === this.seen) return { counts: this.counts, changed: false };
    this.seen = stamp;
    const before = this.counts;
    this.counts = readAnswerCounts(this.home, this.sessionDataset, this.total);
    return { counts: this.counts, changed: (Object.keys(before) as Array<keyof AnswerCounts>).some((key) => before[key] !== this.counts[key]) };
  }
}

/** How many examples a dataset holds (what `db-out` of it would write), read-only; 0 when there is no database yet. */
export function countExamples(home: string, dataset: string): number {
  const file = path.join(home, 'prodigy.db');
  if (!fs.existsSync(file)) return 0;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 1000');
    return (
      db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM link l JOIN dataset d ON d.id = l.dataset_id WHERE d.name = ?').get(dataset)?.n ?? 0
    );
  } catch {
    return 0;
  } finally {
    db?.close();
  }
}

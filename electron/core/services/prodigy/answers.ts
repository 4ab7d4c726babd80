import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AnswerFilter, AnswerPage, AnswerRow } from '../../../../shared/api/schemas/answers';
import { ANSWER_WORDS, annotationWords } from '../../../../shared/decisions';
import { readAppState, writeAppState } from '../../kernel/db/app-state';
import { prepared } from '../../kernel/platform/statements';
import { databaseStamp } from './progress';
import { taskText } from './text';
import { MANUAL_VIEWS } from '../../../../shared/prodigy-views';

/**
 * Answers read straight from an assignment's Prodigy database, read-only:
 * Prodigy has no endpoint that lists answers without handing out tasks, and a
 * db-out of the whole dataset per page would be far too slow.
 */
export function withProdigyDb<T>(home: string, fallback: T, read: (db: Database.Database) => T): T {
  const file = path.join(home, 'prodigy.db');
  if (!fs.existsSync(file)) return fallback;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 1000');
    return read(db);
  } catch {
    // A dataset that does not exist yet, or Prodigy creating its tables right now.
    return fallback;
  } finally {
    db.close();
  }
}

// Real Prodigy (peewee) stores the task as a BLOB; newer SQLite reads a BLOB given to json_* as JSONB, so it is read as text.
const CONTENT = 'CAST(e.content AS TEXT)';
const OF_DATASET = 'FROM example e JOIN link l ON l.example_id = e.id JOIN dataset d ON d.id = l.dataset_id WHERE d.name = ?';

/**
 * Every answer in the assignment's main dataset, whoever gave it: this
 * person's sessions link theirs there, and other annotators' answers arrive
 * with db-in. Items are counted by task hash, as Sessions counts them.
 */
function readAllAnswers(home: string, dataset: string): { all: number; annotators: number } {
  return withProdigyDb(home, { all: 0, annotators: 0 }, (db) => {
    const row = db
      .prepare<[string], { items: number; annotators: number }>(
        `SELECT COUNT(DISTINCT e.task_hash) AS items, COUNT(DISTINCT json_extract(${CONTENT}, '$._session_id')) AS annotators ${OF_DATASET}`,
      )
      .get(dataset);
    return { all: row?.items ?? 0, annotators: row?.annotators ?? 0 };
  });
}

/**
 * readAllAnswers, read again only when Prodigy's database has changed, and
 * remembered in app_state with the stamp it was read at: the Assignments list
 * asks for every assignment at every look, and the count of annotators reads
 * each answer's JSON (a year of answers took ~0.1 s), so it is read once, not
 * at every look nor at every start.
 */
export class AllAnswersCache {
  constructor(private readonly db: () => Database.Database) {}

  private static key(assignmentId: string): string {
    return `prodigy.allAnswers.${assignmentId}`;
  }

  read(assignmentId: string, home: string, dataset: string): { all: number; annotators: number } {
    const stamp = databaseStamp(home);
    const key = AllAnswersCache.key(assignmentId);
    const seen = readAppState(this.db(), key);
    if (seen) {
      const parsed = JSON.parse(seen) as { stamp: string; dataset: string; all: number; annotators: number };
      if (parsed.stamp === stamp && parsed.dataset === dataset) return { all: parsed.all, annotators: parsed.annotators };
    }
    const counts = readAllAnswers(home, dataset);
    writeAppState(this.db(), key, JSON.stringify({ stamp, dataset, ...counts }));
    return counts;
  }

  /** A wipe takes the counts with the answers. */
  forget(db: Database.Database, assignmentId: string): void {
    prepared<[string]>(db, 'DELETE FROM app_state WHERE key = ?').run(AllAnswersCache.key(assignmentId));
  }
}

interface ListQuery {
  query: string;
  answer: AnswerFilter;
  offset: number;
  limit: number;
}

/** The question key the "ask a reviewer" picker uses for the same item (disputes/detect groups manual answers by input). */
function questionKey(example: Record<string, unknown>): string {
  const view = typeof example._view_id === 'string' ? example._view_id : 'classification';
  return MANUAL_VIEWS.has(view) ? `input:${String(example._input_hash)}` : `task:${String(example._task_hash)}`;
}

/** The labels, spans or yes/no in words, without repeating the answer itself, which is shown beside them. */
function labelWords(example: Record<string, unknown>, text: string | null): string {
  const words = annotationWords(example, text);
  if (words === ANSWER_WORDS.ignore || words === ANSWER_WORDS.reject) return '';
  return words.startsWith(`${ANSWER_WORDS.reject} (`) ? words.slice(ANSWER_WORDS.reject.length + 2, -1) : words;
}

function rowOf(content: string): AnswerRow | null {
  let example: Record<string, unknown>;
  try {
    example = JSON.parse(content) as Record<string, unknown>;
  } catch {
    return null;
  }
  const answer = example.answer === 'reject' || example.answer === 'ignore' ? example.answer : 'accept';
  const text = typeof example.text === 'string' ? example.text : null;
  const meta = example.meta as { path?: unknown } | undefined;
  const shown = typeof example.image === 'string' && typeof meta?.path === 'string' ? `Image ${meta.path}` : taskText(example);
  return {
    key: questionKey(example),
    text: shown,
    answer,
    summary: labelWords(example, text),
    flagged: example.flagged === true,
    answeredAt: typeof example._timestamp === 'number' && Number.isFinite(example._timestamp) ? new Date(example._timestamp * 1000).toISOString() : null,
  };
}

/**
 * One page of a session dataset's answers, newest first, each item's latest
 * answer only (Prodigy adds a second answer to the same task as a second
 * example). Searching looks at the item's text, the options chosen, a binary
 * label, span labels and an image's path, case-insensitively.
 */
export function listAnswers(home: string, sessionDataset: string, { query, answer, offset, limit }: ListQuery): AnswerPage {
  return withProdigyDb<AnswerPage>(home, { total: 0, offset, rows: [] }, (db) => {
    const searchable = `lower(coalesce(json_extract(${CONTENT}, '$.text'), '') || ' ' || coalesce(json_extract(${CONTENT}, '$.accept'), '') || ' ' ||
        coalesce(json_extract(${CONTENT}, '$.label'), '') || ' ' || coalesce(json_extract(${CONTENT}, '$.meta.path'), '') || ' ' ||
        coalesce((SELECT group_concat(json_extract(s.value, '$.label'), ' ') FROM json_each(${CONTENT}, '$.spans') s), ''))`;
    const where = `(@query = '' OR instr(${searchable}, lower(@query)) > 0)
      AND (@answer = 'all' OR (@answer = 'flagged' AND json_extract(${CONTENT}, '$.flagged') = 1) OR json_extract(${CONTENT}, '$.answer') = @answer)`;
    const latest = `WITH latest AS (SELECT MAX(e.id) AS id ${OF_DATASET.replace('d.name = ?', 'd.name = @dataset')} GROUP BY e.task_hash)`;
    const params = { dataset: sessionDataset, query, answer };
    const total = db.prepare<[typeof params], { n: number }>(`${latest} SELECT COUNT(*) AS n FROM example e JOIN latest ON latest.id = e.id WHERE ${where}`).get(params)?.n ?? 0;
    const rows = db
      .prepare<[typeof params & { limit: number; offset: number }], { content: string }>(
        `${latest} SELECT ${CONTENT} AS content FROM example e JOIN latest ON latest.id = e.id WHERE ${where} ORDER BY e.id DESC LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit, offset });
    return { total, offset, rows: rows.flatMap((row) => rowOf(row.content) ?? []) };
  });
}

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AskCandidate } from '../../../shared/api/schemas/escalations';
import { summarizeQuestions } from '../disputes/detect';
import type { Example, QuestionSummary } from '../disputes/types';

/**
 * Reads answers straight from an assignment's Prodigy database, read-only, for
 * the "ask a reviewer" picker. Prodigy offers no query endpoint for this, and
 * a db-out of the whole dataset per keystroke would be far too slow.
 */
function withProdigyDb<T>(home: string, fallback: T, read: (db: Database.Database) => T): T {
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

const EXAMPLES_OF_DATASET = `SELECT e.content FROM example e JOIN link l ON l.example_id = e.id JOIN dataset d ON d.id = l.dataset_id WHERE d.name = ?`;

function parse(rows: Array<{ content: string | Buffer }>): Example[] {
  return rows.flatMap((row) => {
    try {
      const example = JSON.parse(String(row.content)) as Example;
      return typeof example._input_hash === 'number' && typeof example._task_hash === 'number' ? [example] : [];
    } catch {
      return [];
    }
  });
}

function describe(question: QuestionSummary): string {
  const latest = question.versions.at(-1);
  if (!latest) return '';
  if (latest.accept?.length) return `chose ${latest.accept.join(', ')}`;
  if (latest.spans?.length) return `${latest.spans.length} span${latest.spans.length === 1 ? '' : 's'}: ${[...new Set(latest.spans.map((span) => (span as { label?: string }).label ?? '?'))].join(', ')}`;
  return latest.label ? `${latest.answer} “${latest.label}”` : latest.answer;
}

function textOf(task: Record<string, unknown>): string {
  const text = typeof task.text === 'string' ? task.text : typeof task.image === 'string' ? `Image ${String((task.meta as { path?: string } | undefined)?.path ?? '')}` : JSON.stringify(task);
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** The newest answered questions whose text contains `query` (all of them when it is empty). */
export function searchAnswers(home: string, dataset: string, query: string, limit: number): AskCandidate[] {
  return withProdigyDb(home, [], (db) => {
    const needle = query.trim();
    const rows = needle
      ? db.prepare<[string, string], { content: string }>(`${EXAMPLES_OF_DATASET} AND instr(lower(e.content), lower(?)) > 0 ORDER BY e.id DESC LIMIT 2000`).all(dataset, needle)
      : db.prepare<[string], { content: string }>(`${EXAMPLES_OF_DATASET} ORDER BY e.id DESC LIMIT 2000`).all(dataset);
    return summarizeQuestions(parse(rows))
      .slice(0, limit)
      .map((question) => ({ key: question.key, text: textOf(question.task), answer: question.versions.at(-1)?.answer ?? 'accept', summary: describe(question) }));
  });
}

/** Every session's answer to one question, as an escalation's item needs them; null when nobody answered it. */
export function findAnswers(home: string, dataset: string, key: string): QuestionSummary | null {
  const match = /^(input|task):(-?\d+)$/.exec(key);
  if (!match) return null;
  const column = match[1] === 'input' ? 'e.input_hash' : 'e.task_hash';
  return withProdigyDb(home, null, (db) => {
    const rows = db.prepare<[string, number], { content: string }>(`${EXAMPLES_OF_DATASET} AND ${column} = ?`).all(dataset, Number(match[2]));
    return summarizeQuestions(parse(rows)).find((question) => question.key === key) ?? null;
  });
}

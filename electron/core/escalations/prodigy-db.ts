import { summarizeQuestions } from '../services/disputes/detect';
import type { Example, QuestionSummary } from '../services/disputes/types';
import { withProdigyDb } from '../services/prodigy/answers';

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

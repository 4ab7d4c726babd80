import fs from 'node:fs';
import path from 'node:path';
import type { Example } from './types';

/**
 * Reads a db-out export (compact JSON, one example per line). Throws on the
 * first bad line, naming the file and line: a scan that skipped lines would
 * quietly miss disputes.
 */
export async function readExamples(file: string): Promise<Example[]> {
  return parseExamples(await fs.promises.readFile(file, 'utf8'), path.basename(file));
}

/** The same, blocking; for scripts and workers where the event loop serves nobody else. */
export function readExamplesSync(file: string): Example[] {
  return parseExamples(fs.readFileSync(file, 'utf8'), path.basename(file));
}

/** `name` is what errors call the file. */
export function parseExamples(text: string, name: string): Example[] {
  const examples: Example[] = [];
  // Editors on Windows may add a BOM, which JSON.parse refuses.
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 0;
  // indexOf rather than split: no second array of 100 000 strings.
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line += 1;
    if (end > start) {
      const example = checked(text.slice(start, end), name, line);
      if (example) examples.push(example);
    }
    start = end + 1;
  }
  return examples;
}

/**
 * Hand-checked rather than through a zod schema: three fields per line is all
 * the scan needs, and this runs 100 000 times inside the 1 s budget (DESIGN §8).
 */
function checked(raw: string, name: string, line: number): Example | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    // Blank lines are allowed; testing for them only on failure keeps the common path to one parse.
    if (raw.trim() === '') return null;
    throw lineError(name, line, `not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw lineError(name, line, 'not a JSON object');
  const example = value as Record<string, unknown>;
  checkHash(example, '_input_hash', name, line);
  checkHash(example, '_task_hash', name, line);
  const answer = example.answer;
  if (answer === undefined) throw lineError(name, line, 'no answer');
  if (answer !== 'accept' && answer !== 'reject' && answer !== 'ignore') {
    throw lineError(name, line, `answer must be "accept", "reject" or "ignore", not ${shown(answer)}`);
  }
  return example as Example;
}

function checkHash(example: Record<string, unknown>, field: string, name: string, line: number): void {
  const value = example[field];
  if (value === undefined) throw lineError(name, line, `no ${field}`);
  // `| 0` keeps a number only if it is already a signed 32-bit integer, as Prodigy's hashes are.
  if (typeof value !== 'number' || (value | 0) !== value) throw lineError(name, line, `${field} is not a signed 32-bit integer: ${shown(value)}`);
}

function lineError(name: string, line: number, what: string): Error {
  return new Error(`${name} line ${line}: ${what}`);
}

function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // A value nested too deep to write (found by test/unit/untrusted-parsers.fuzz.test.ts) is still named, not thrown on.
    text = Array.isArray(value) ? 'an array nested too deeply to show' : 'a value too deeply nested to show';
  }
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

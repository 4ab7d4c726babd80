/**
 * `npm run bench -- disputes` (DESIGN §8): the dispute scan of a db-out export
 * of 100 000 annotations (20 000 questions × 5 sessions; binary textcat,
 * choice and ner_manual) against the floor any scan pays: reading the file and
 * JSON.parse of every line. Target: the scan ≤ 1 s.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { detectDisputes } from '../electron/core/services/disputes/detect';
import { readExamples, readExamplesSync } from '../electron/core/services/disputes/read';
import { REASONS, type Reason } from '../electron/core/services/disputes/types';
import { median, table, writeResult } from './support/report';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const QUESTIONS = 20_000;
const SESSIONS = ['alex', 'bea', 'cem', 'dana', 'eli'];
const DATASET = 'support-mail';
const THRESHOLD = 0.5;
const TARGET_MS = 1000;

// Each measurement starts from a clean heap: otherwise the 100 000 examples the
// previous run kept are collected on the next run's clock. (`npm run bench` passes no node flags.)
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** mulberry32: small, fast and the same numbers on every machine. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the customer reported that invoice payment account order delivery was delayed again after our support team ' +
  'confirmed refund request for March and April because warehouse in Leeds Berlin Madrid could not ship parcel ' +
  'manager Jane Doe Acme Corp asked whether contract renewal includes premium service level agreement with ' +
  'quarterly review meeting next Tuesday please find attached the updated schedule and call me back urgently'
).split(' ');
const NAMES = new Set(['Leeds', 'Berlin', 'Madrid', 'Jane', 'Doe', 'Acme', 'Corp', 'March', 'April', 'Tuesday']);
const LABELS = ['BILLING', 'SHIPPING', 'COMPLAINT', 'CONTRACT'];
const OPTIONS = LABELS.map((id) => ({ id, text: id }));

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const hash = (rand: Rand) => Math.floor(rand() * 2 ** 32) | 0;

function text(rand: Rand): string {
  const target = 100 + Math.floor(rand() * 200);
  const words: string[] = [];
  let length = 0;
  while (length < target) {
    const word = pick(rand, WORDS);
    words.push(word);
    length += word.length + 1;
  }
  return `${words.join(' ')}.`;
}

function tokens(value: string) {
  return [...value.matchAll(/\w+|[^\w\s]/g)].map((match, id) => {
    const end = match.index + match[0].length;
    return { text: match[0], start: match.index, end, id, ws: value[end] === ' ' };
  });
}

type Task = Record<string, unknown>;
interface Question {
  /** The input, as the source file had it. */
  input: Task;
  inputHash: number;
  /** Versions an annotator may give: [0] is what most give; the rest are for disagreements. */
  versions: Array<{ fields: Task; taskHash: number; answer: 'accept' | 'reject' }>;
}

function question(rand: Rand, index: number): Question {
  const kind = index % 10 < 4 ? 'classification' : index % 10 < 7 ? 'choice' : 'ner_manual';
  const body = text(rand);
  const score = rand() < 0.03 ? rand() * THRESHOLD : THRESHOLD + rand() * (1 - THRESHOLD);
  const input: Task = { text: body, meta: { file_id: `fil-${index}`, path: `mail/${String(index).padStart(5, '0')}.txt`, score: Math.round(score * 1000) / 1000 } };
  const inputHash = hash(rand);
  if (kind === 'classification') {
    // Binary: one task hash, and the versions differ by answer.
    const taskHash = hash(rand);
    const fields = { label: pick(rand, LABELS), _view_id: kind };
    return { input, inputHash, versions: [{ fields, taskHash, answer: 'accept' }, { fields, taskHash, answer: 'reject' }] };
  }
  if (kind === 'choice') {
    const chosen = pick(rand, LABELS);
    const other = LABELS.find((label) => label !== chosen) as string;
    const base = { options: OPTIONS, config: { choice_style: 'single' }, _view_id: kind };
    return {
      input,
      inputHash,
      versions: [
        { fields: { ...base, accept: [chosen] }, taskHash: hash(rand), answer: 'accept' },
        { fields: { ...base, accept: [other] }, taskHash: hash(rand), answer: 'accept' },
      ],
    };
  }
  const toks = tokens(body);
  const spans = toks.filter((token) => NAMES.has(token.text)).map((token) => ({ start: token.start, end: token.end, token_start: token.id, token_end: token.id, label: 'ENTITY' }));
  return {
    input: { ...input, tokens: toks },
    inputHash,
    versions: [
      { fields: { spans, _view_id: kind }, taskHash: hash(rand), answer: 'accept' },
      { fields: { spans: spans.slice(1), _view_id: kind }, taskHash: hash(rand), answer: 'accept' },
    ],
  };
}

/** The export, in the order Prodigy saves it: each session answers a batch of 10, then the next. */
function generate(file: string): { lines: number; bytes: number } {
  const rand = prng(20_240_601);
  const out: string[] = [];
  let clock = 1_717_200_000;
  const questions = Array.from({ length: QUESTIONS }, (_, index) => question(rand, index));
  // Decided up front per question: who (if anyone) disagrees, flags, ignores.
  const plans = questions.map(() => ({
    dissenter: rand() < 0.1 ? Math.floor(rand() * SESSIONS.length) : -1,
    flagger: rand() < 0.01 ? Math.floor(rand() * SESSIONS.length) : -1,
    ignorer: rand() < 0.02 ? Math.floor(rand() * SESSIONS.length) : -1,
  }));
  for (let batch = 0; batch < QUESTIONS; batch += 10) {
    SESSIONS.forEach((session, s) => {
      for (let index = batch; index < Math.min(batch + 10, QUESTIONS); index += 1) {
        const q = questions[index] as Question;
        const plan = plans[index] as (typeof plans)[number];
        const version = (s === plan.dissenter ? q.versions[1] : q.versions[0]) as Question['versions'][number];
        const id = `${DATASET}-${session}`;
        clock += 1 + Math.floor(rand() * 20);
        const example: Task = {
          ...q.input,
          ...version.fields,
          _input_hash: q.inputHash,
          _task_hash: version.taskHash,
          answer: s === plan.ignorer ? 'ignore' : version.answer,
          _timestamp: clock,
          _annotator_id: id,
          _session_id: id,
        };
        if (s === plan.flagger) example.flagged = true;
        out.push(JSON.stringify(example));
      }
    });
  }
  const body = `${out.join('\n')}\n`;
  fs.writeFileSync(file, body);
  return { lines: out.length, bytes: Buffer.byteLength(body) };
}

/** The floor: what any scan of this file pays before looking at a single field. */
async function baseline(file: string): Promise<number> {
  const text = await fs.promises.readFile(file, 'utf8');
  let parsed = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    JSON.parse(line);
    parsed += 1;
  }
  return parsed;
}

async function time<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'companion-bench-disputes-'));
const file = path.join(work, `${DATASET}.jsonl`);
const generated = generate(file);
process.stdout.write(`Generated ${generated.lines.toLocaleString()} annotations (${(generated.bytes / 2 ** 20).toFixed(1)} MiB) in ${file}\n`);

const base: number[] = [];
const scan: number[] = [];
const scanSync: number[] = [];
const detectOnly: number[] = [];
let counts: Record<Reason, number> & { total: number } = { flagged: 0, disagreement: 0, low_confidence: 0, ignored: 0, total: 0 };
const options = { lowConfidenceThreshold: THRESHOLD, viewId: null };
for (let run = 1; run <= RUNS; run += 1) {
  // Alternating which goes first, so neither always gets the warmer cache.
  const order = run % 2 ? ['base', 'scan', 'sync'] : ['sync', 'scan', 'base'];
  for (const which of order) {
    collectGarbage();
    if (which === 'base') {
      const { ms, value } = await time(() => baseline(file));
      if (value !== generated.lines) throw new Error(`baseline parsed ${value} lines, expected ${generated.lines}`);
      base.push(ms);
    } else if (which === 'scan') {
      const started = performance.now();
      const examples = await readExamples(file);
      const read = performance.now();
      const disputes = detectDisputes(examples, options);
      scan.push(performance.now() - started);
      detectOnly.push(performance.now() - read);
      counts = { flagged: 0, disagreement: 0, low_confidence: 0, ignored: 0, total: disputes.length };
      for (const dispute of disputes) counts[dispute.reason] += 1;
    } else {
      const { ms } = await time(() => detectDisputes(readExamplesSync(file), options));
      scanSync.push(ms);
    }
  }
  process.stdout.write(`run ${run}: baseline ${base.at(-1)?.toFixed(0)} ms, scan ${scan.at(-1)?.toFixed(0)} ms (detect ${detectOnly.at(-1)?.toFixed(0)} ms), scan with sync read ${scanSync.at(-1)?.toFixed(0)} ms\n`);
}
fs.rmSync(work, { recursive: true, force: true });

const ratio = median(scan) / median(base);
const result = {
  workload: { annotations: generated.lines, questions: QUESTIONS, sessions: SESSIONS.length, bytes: generated.bytes, threshold: THRESHOLD, runs: RUNS },
  baselineMs: base,
  scanMs: scan,
  scanSyncReadMs: scanSync,
  detectMs: detectOnly,
  medians: { baselineMs: median(base), scanMs: median(scan), scanSyncReadMs: median(scanSync), detectMs: median(detectOnly) },
  ratio,
  disputes: counts,
  targets: { scanMs: TARGET_MS },
};
process.stdout.write(
  table([
    ['measure', 'median', 'target', 'met'],
    ['baseline: read + JSON.parse every line', `${median(base).toFixed(0)} ms`, '', ''],
    ['scan: readExamples + detectDisputes', `${median(scan).toFixed(0)} ms`, `≤ ${TARGET_MS} ms`, median(scan) <= TARGET_MS ? 'yes' : 'NO'],
    ['  of which detectDisputes', `${median(detectOnly).toFixed(0)} ms`, '', ''],
    ['scan with readExamplesSync', `${median(scanSync).toFixed(0)} ms`, '', ''],
    ['ratio scan / baseline', ratio.toFixed(3), '', ''],
    ...[...REASONS, 'total' as const].map((reason) => [`disputes: ${reason}`, String(counts[reason]), '', '']),
  ]),
);
writeResult('disputes', result);

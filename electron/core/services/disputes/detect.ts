import { MANUAL_VIEWS } from '../../../../shared/prodigy-views';
import type { DetectOptions, Dispute, DisputeVersion, Example, QuestionSummary, Reason } from './types';


/** Who gave an answer; it belongs to the reviewer, not the question. */
const PER_ANNOTATOR = new Set(['_session_id', '_annotator_id', '_timestamp', 'answer', 'flagged']);
/** Prodigy always writes a session; an example imported without one still needs somewhere to go. */
const NO_SESSION = 'unknown';

interface Answered {
  example: Example;
  /** Position in the input: breaks timestamp ties and orders versions. */
  index: number;
  time: number;
  session: string;
}

interface Question {
  manual: boolean;
  viewId: string;
  /** Each session's latest answer; earlier ones were changed minds, not votes. */
  latest: Map<string, Answered>;
}

type Vote = string | number;

/**
 * Finds the questions a reviewer should look at: flagged, disagreed on, scored
 * low by the model, or skipped. Pure and O(n) in the number of examples; the
 * output follows the order questions first appear in.
 */
export function detectDisputes(examples: readonly Example[], options: DetectOptions = {}): Dispute[] {
  const threshold = options.lowConfidenceThreshold ?? null;
  const disputes: Dispute[] = [];
  for (const question of groupQuestions(examples, options.viewId || 'classification')) {
    const reasons = reasonsOf(question, threshold);
    const reason = reasons[0];
    // Only disputed questions are summarised, so copying and sorting stay off the hot path.
    if (reason) disputes.push({ ...summarize(question), reason, reasons });
  }
  return disputes;
}

/** Every question answered in the examples, disputed or not (the "ask a reviewer" picker lists them all). */
export function summarizeQuestions(examples: readonly Example[], options: DetectOptions = {}): QuestionSummary[] {
  const threshold = options.lowConfidenceThreshold ?? null;
  return groupQuestions(examples, options.viewId || 'classification').map((question) => ({ ...summarize(question), reasons: reasonsOf(question, threshold) }));
}

/** One question with each session's latest answer to it, in the order questions first appear. */
export interface AnsweredQuestion {
  key: string;
  viewId: string;
  answers: Array<{ session: string; example: Example }>;
}

/** The grouping the dispute scan uses (manual by input, binary by task), for other measures of the same answers. */
export function latestAnswers(examples: readonly Example[], viewId?: string | null): AnsweredQuestion[] {
  return groupQuestions(examples, viewId || 'classification').map((question) => {
    const answers = [...question.latest.values()].sort((a, b) => a.index - b.index);
    const first = (answers[0] as Answered).example;
    return { key: question.manual ? `input:${first._input_hash}` : `task:${first._task_hash}`, viewId: question.viewId, answers: answers.map(({ session, example }) => ({ session, example })) };
  });
}

function groupQuestions(examples: readonly Example[], fallbackView: string): Question[] {
  // Two maps keyed by the number itself: no string key to build per example.
  const byInput = new Map<number, Question>();
  const byTask = new Map<number, Question>();
  const questions: Question[] = [];

  for (let index = 0; index < examples.length; index += 1) {
    const example = examples[index] as Example;
    const viewId = underlyingView(example, fallbackView);
    const manual = MANUAL_VIEWS.has(viewId);
    // Manual answers are grouped by input: every annotator of an incoming task keeps its _task_hash,
    // so what they did is compared by content. Binary answers judge the proposal their
    // _task_hash names (CONTRACTS §C, as Prodigy's review groups them).
    const map = manual ? byInput : byTask;
    const hash = manual ? example._input_hash : example._task_hash;
    let question = map.get(hash);
    if (!question) {
      question = { manual, viewId, latest: new Map() };
      map.set(hash, question);
      questions.push(question);
    }
    const session = sessionOf(example);
    const time = typeof example._timestamp === 'number' ? example._timestamp : -Infinity;
    const previous = question.latest.get(session);
    // `>=`: on equal timestamps the later line was written later.
    if (!previous || time >= previous.time) question.latest.set(session, { example, index, time, session });
  }
  return questions;
}

function reasonsOf(question: Question, threshold: number | null): Reason[] {
  let flagged = false;
  let ignored = false;
  let disagreement = false;
  let first: Example | undefined;
  // One session cannot disagree with itself: content is only compared when there are two.
  const compare = question.latest.size > 1;
  for (const { example } of question.latest.values()) {
    if (example.flagged === true) flagged = true;
    if (example.answer === 'ignore') ignored = true;
    if (!compare || disagreement || voteOf(example, false) === undefined || (question.manual && example.answer !== 'accept')) continue;
    if (first === undefined) first = example;
    else if (question.manual ? !sameAnnotation(first, example) : example.answer !== first.answer) disagreement = true;
  }
  const reasons: Reason[] = [];
  if (flagged) reasons.push('flagged');
  if (disagreement) reasons.push('disagreement');
  const score = threshold === null ? null : lowestScore(question);
  if (threshold !== null && score !== null && score < threshold) reasons.push('low_confidence');
  if (ignored) reasons.push('ignored');
  return reasons;
}

function lowestScore(question: Question): number | null {
  let score: number | null = null;
  for (const { example } of question.latest.values()) {
    const own = scoreOf(example);
    if (own !== null && (score === null || own < score)) score = own;
  }
  return score;
}

function summarize(question: Question): Omit<QuestionSummary, 'reasons'> {
  const answers = [...question.latest.values()].sort((a, b) => a.index - b.index);
  const representative = representativeOf(answers, question.manual).example;
  const bySession = answers.sort((a, b) => (a.session < b.session ? -1 : a.session > b.session ? 1 : 0));
  const inputHash = representative._input_hash;
  const taskHash = representative._task_hash;
  return {
    key: question.manual ? `input:${inputHash}` : `task:${taskHash}`,
    inputHash,
    taskHash,
    viewId: question.viewId,
    task: withoutAnnotator(representative),
    versions: bySession.map(versionOf),
    sessions: bySession.map((answer) => answer.session),
    score: lowestScore(question),
  };
}

/** What a session voted for; undefined when its answer is not a vote. */
function voteOf(example: Example, manual: boolean): Vote | undefined {
  if (example.answer === 'ignore') return undefined;
  // Rejecting a manual task says "can't annotate this", not a competing annotation.
  if (manual) return example.answer === 'accept' ? annotationKey(example) : undefined;
  return example.answer;
}

/** Element by element, in the order given: how agreeing annotators usually store the same spans or choices. */
function sameInOrder(a: unknown, b: unknown, same: (x: unknown, y: unknown) => boolean): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (!same(a[i], b[i])) return false;
  return true;
}

function sameSpan(x: unknown, y: unknown): boolean {
  if (!x || !y || typeof x !== 'object' || typeof y !== 'object') return x === y;
  const a = x as Record<string, unknown>;
  const b = y as Record<string, unknown>;
  return a.start === b.start && a.end === b.end && a.label === b.label && a.points === undefined && b.points === undefined;
}

/**
 * Whether two sessions annotated the same thing. Compared in order first,
 * without building anything (the scan runs this for every shared answer);
 * only when that fails, as sets, by annotationKey.
 */
function sameAnnotation(a: Example, b: Example): boolean {
  if (sameInOrder(a.spans, b.spans, sameSpan) && sameInOrder(a.accept, b.accept, (x, y) => x === y) && a.relations === undefined && b.relations === undefined) return true;
  return annotationKey(a) === annotationKey(b);
}

/** A span as what it marks: offsets and label for text, label and corners (to 0.1 px) for an image box. */
function spanKey(span: unknown): string {
  if (!span || typeof span !== 'object') return String(span);
  const { start, end, label, points } = span as Record<string, unknown>;
  if (Array.isArray(points)) {
    const corners = points.map((point) => (Array.isArray(point) ? point.map((v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : String(v))).join(',') : String(point)));
    return `${String(label)}@${corners.join(';')}`;
  }
  // Offsets first: a label cannot be mistaken for them, whatever characters it has.
  return `${String(start)}-${String(end)}:${String(label)}`;
}

function relationKey(relation: unknown): string {
  if (!relation || typeof relation !== 'object') return String(relation);
  const { head, child, label } = relation as Record<string, unknown>;
  return `${String(head)}>${String(child)}:${String(label)}`;
}

/** Sorted, so the order annotators happened to mark things in does not count. Runs for every answer of a shared question: kept to strings. */
function setKey(items: unknown, key: (item: unknown) => string): string {
  if (!Array.isArray(items)) return '-';
  if (items.length < 2) return items.length === 0 ? '' : key(items[0]);
  return items.map(key).sort().join('\u0001');
}

/**
 * What an annotator did, compared by content as Prodigy's review tells
 * versions apart: spans (start, end, label; boxes by label and points), the
 * `accept` list and relations, each as a set. Token offsets and colours a
 * front end adds are not part of it.
 */
export function annotationKey(example: Example): string {
  return `${setKey(example.spans, spanKey)}\u0002${setKey(example.accept, String)}\u0002${setKey(example.relations, relationKey)}`;
}

/**
 * The most common voted version (ties: the one seen first), as Prodigy's
 * review pre-selects it; with no votes at all, the latest answer.
 * `answers` must be in input order.
 */
function representativeOf(answers: Answered[], manual: boolean): Answered {
  const counts = new Map<Vote, { first: Answered; count: number }>();
  let best: { first: Answered; count: number } | undefined;
  for (const answer of answers) {
    const vote = voteOf(answer.example, manual);
    if (vote === undefined) continue;
    let entry = counts.get(vote);
    if (!entry) {
      entry = { first: answer, count: 0 };
      counts.set(vote, entry);
    }
    entry.count += 1;
    // Strictly more: an equal count never displaces the version seen first.
    if (!best || entry.count > best.count || (entry.count === best.count && entry.first.index < best.first.index)) best = entry;
  }
  if (best) return best.first;
  let latest = answers[0] as Answered;
  for (const answer of answers) if (answer.time >= latest.time) latest = answer;
  return latest;
}

function versionOf({ example, session }: Answered): DisputeVersion {
  const version: DisputeVersion = { answer: example.answer, session_id: session, task_hash: example._task_hash };
  if (typeof example.label === 'string') version.label = example.label;
  if (Array.isArray(example.spans)) version.spans = example.spans;
  if (Array.isArray(example.accept)) version.accept = example.accept;
  if (Array.isArray(example.relations)) version.relations = example.relations;
  if (example.flagged === true) version.flagged = true;
  return version;
}

function withoutAnnotator(example: Example): Record<string, unknown> {
  const task: Record<string, unknown> = {};
  for (const field of Object.keys(example)) if (!PER_ANNOTATOR.has(field)) task[field] = example[field];
  return task;
}

/** A review example carries the interface it reviewed in `view_id`; `_view_id` is just "review". */
function underlyingView(example: Example, fallback: string): string {
  const own = example._view_id;
  const view = typeof own === 'string' && own !== '' ? own : fallback;
  if (view !== 'review') return view;
  const reviewed = example.view_id;
  return typeof reviewed === 'string' && reviewed !== '' ? reviewed : 'classification';
}

function sessionOf(example: Example): string {
  const session = example._session_id;
  if (typeof session === 'string' && session !== '') return session;
  const annotator = example._annotator_id;
  return typeof annotator === 'string' && annotator !== '' ? annotator : NO_SESSION;
}

/** A model-in-the-loop recipe puts its confidence in `meta.score`, some custom ones at the top level. */
function scoreOf(example: Example): number | null {
  const meta = example.meta;
  if (typeof meta === 'object' && meta !== null) {
    const score = (meta as Record<string, unknown>).score;
    if (typeof score === 'number' && Number.isFinite(score)) return score;
  }
  const score = example.score;
  return typeof score === 'number' && Number.isFinite(score) ? score : null;
}

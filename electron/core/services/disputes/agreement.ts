import type { Agreement, AgreementMeasures } from '../../../../shared/api/schemas/agreement';
import { latestAnswers, type AnsweredQuestion } from './detect';
import type { Example } from './types';
import { MANUAL_VIEWS } from '../../../../shared/prodigy-views';

/**
 * Inter-annotator agreement, as Prodigy's `metric.iaa.*` recipes define it
 * (prodi.gy/docs/metrics, Prodigy ≥ 1.14.3):
 *
 * - binary answers (`metric.iaa.binary`) and document labels
 *   (`metric.iaa.doc`, multiclass or multilabel): percent agreement,
 *   Krippendorff's alpha and Gwet's AC2, computed with the equations of
 *   K. L. Gwet, "On Krippendorff's Alpha Coefficient" (2015), nominal
 *   (identity) weights. Multilabel choice is measured per label, each label a
 *   yes/no question, and overall over every (item, label) pair;
 * - spans (`metric.iaa.span`): pairwise F1, since there is no fixed set of
 *   units to correct for chance (Hripcsak & Rothschild, 2005): for each pair
 *   of annotators, exact matches of (start, end, label) over the items both
 *   accepted, F1 = 2·TP / (2·TP + FP + FN), averaged over the pairs.
 *
 * Answers are each session's latest to a question, grouped as the dispute
 * scan groups them; `ignore` is not an answer, nor is `reject` on a manual task.
 */

type Value = string;
type Matrix = Array<Array<Value | null>>;

const NONE: AgreementMeasures = { percentAgreement: null, krippendorffAlpha: null, gwetAC2: null, pairwiseF1: null };
const LOWEST_SHOWN = 10;
const SPAN_VIEWS = new Set(['ner_manual', 'spans_manual']);

const finite = (value: number): number | null => (Number.isFinite(value) ? Math.max(-1, Math.min(1, value)) : null);

/**
 * Percent agreement, Krippendorff's alpha and Gwet's AC2 of an items × raters
 * matrix (null where a rater gave no value), nominal weights. Alpha and AC2
 * are null where undefined (every value the same: no chance to correct for).
 */
export function categoricalAgreement(matrix: Matrix): { measures: AgreementMeasures; items: number } {
  const categories = [...new Set(matrix.flat().filter((value): value is Value => value !== null))];
  const rows = matrix.map((row) => {
    const counts = new Map<Value, number>();
    for (const value of row) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
    return { counts, raters: row.filter((value) => value !== null).length };
  });
  const rated = rows.filter((row) => row.raters >= 1);
  const coincident = rows.filter((row) => row.raters >= 2);
  const n = coincident.length;
  if (n === 0 || categories.length === 0) return { measures: NONE, items: 0 };
  const q = categories.length;
  const rbar = coincident.reduce((sum, row) => sum + row.raters, 0) / n;

  // Observed agreement: Krippendorff's (weighted by the average raters per item) and Gwet's (per item).
  let krippSum = 0;
  let gwetSum = 0;
  for (const row of coincident) {
    for (const count of row.counts.values()) {
      krippSum += (count * (count - 1)) / (rbar * (row.raters - 1));
      gwetSum += (count * (count - 1)) / (row.raters * (row.raters - 1));
    }
  }
  const krippPaPrime = krippSum / n;
  const krippPa = (1 - 1 / (n * rbar)) * krippPaPrime + 1 / (n * rbar);
  const gwetPa = gwetSum / n;

  // Chance agreement: Krippendorff's from the values on coincident items, Gwet's from every rated item.
  let krippPe = 0;
  let gwetSpread = 0;
  for (const category of categories) {
    const pi = coincident.reduce((sum, row) => sum + (row.counts.get(category) ?? 0), 0) / n / rbar;
    krippPe += pi * pi;
    const piGwet = rated.reduce((sum, row) => sum + (row.counts.get(category) ?? 0) / row.raters, 0) / rated.length;
    gwetSpread += piGwet * (1 - piGwet);
  }
  const gwetPe = q > 1 ? gwetSpread / (q - 1) : Number.NaN;
  return {
    items: n,
    measures: {
      percentAgreement: finite(gwetPa),
      krippendorffAlpha: krippPe < 1 ? finite((krippPa - krippPe) / (1 - krippPe)) : null,
      gwetAC2: finite((gwetPa - gwetPe) / (1 - gwetPe)),
      pairwiseF1: null,
    },
  };
}

/** The share of annotator pairs that gave an item the same value (1 when all agree). */
function pairShare(values: readonly Value[]): number {
  const counts = new Map<Value, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let agreeing = 0;
  for (const count of counts.values()) agreeing += count * (count - 1);
  return values.length > 1 ? agreeing / (values.length * (values.length - 1)) : 1;
}

type SpanSet = Set<string>;

/** Pairwise F1 over the items in `items` (each a map session → its spans), restricted to `label` if given. */
export function pairwiseF1(items: ReadonlyArray<ReadonlyMap<string, SpanSet>>, label?: string): number | null {
  const sessions = [...new Set(items.flatMap((item) => [...item.keys()]))].sort();
  const scores: number[] = [];
  for (let a = 0; a < sessions.length; a += 1) {
    for (let b = a + 1; b < sessions.length; b += 1) {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      let shared = 0;
      for (const item of items) {
        const left = item.get(sessions[a] as string);
        const right = item.get(sessions[b] as string);
        if (!left || !right) continue;
        shared += 1;
        const keep = (span: string) => label === undefined || spanLabel(span) === label;
        const l = [...left].filter(keep);
        const r = new Set([...right].filter(keep));
        const matched = l.filter((span) => r.has(span)).length;
        tp += matched;
        fn += l.length - matched;
        fp += r.size - matched;
      }
      // A pair that shares items but marked nothing (of this label) on them agrees completely.
      if (shared > 0) scores.push(tp + fp + fn === 0 ? 1 : (2 * tp) / (2 * tp + fp + fn));
    }
  }
  return scores.length > 0 ? scores.reduce((sum, score) => sum + score, 0) / scores.length : null;
}

const spanLabel = (key: string): string => (JSON.parse(key) as [number, number, string])[2];

function spansOf(example: Example): SpanSet {
  const spans = Array.isArray(example.spans) ? example.spans : [];
  return new Set(
    spans.flatMap((span) => {
      const { start, end, label } = (span ?? {}) as Record<string, unknown>;
      return typeof start === 'number' && typeof end === 'number' && typeof label === 'string' ? [JSON.stringify([start, end, label])] : [];
    }),
  );
}

function textOf(example: Example): string {
  const text = typeof example.text === 'string' ? example.text : typeof example.html === 'string' ? example.html.replace(/<[^>]*>/g, ' ') : typeof example.image === 'string' ? 'Image' : '';
  return text.replace(/\s+/g, ' ').trim().slice(0, 160);
}

/** Answers that count: not `ignore`, and on a manual interface only `accept` (a reject there says "cannot annotate"). */
function counted(question: AnsweredQuestion, manual: boolean): AnsweredQuestion['answers'] {
  return question.answers.filter(({ example }) => (manual ? example.answer === 'accept' : example.answer === 'accept' || example.answer === 'reject'));
}

function percent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`;
}

/** Krippendorff's own reading of alpha (Content Analysis, 2004, §11.4): ≥ .800 reliable, ≥ .667 tentative. */
function alphaWords(alpha: number | null): string {
  if (alpha === null) return 'Chance-corrected agreement cannot be computed here: every answer was the same.';
  if (alpha >= 0.8) return `Krippendorff’s alpha is ${alpha.toFixed(2)}: agreement well beyond chance, enough to rely on these labels.`;
  if (alpha >= 0.667) return `Krippendorff’s alpha is ${alpha.toFixed(2)}: agreement beyond chance, but only enough for tentative conclusions.`;
  return `Krippendorff’s alpha is ${alpha.toFixed(2)}: annotators agree little more than chance would have them; the guidelines or the labels may need a look.`;
}

function f1Words(f1: number | null): string {
  if (f1 === null) return 'No two annotators marked the same items.';
  if (f1 >= 0.8) return `Pairwise F1 is ${f1.toFixed(2)}: annotators mark mostly the same spans.`;
  return `Pairwise F1 is ${f1.toFixed(2)}: annotators often mark different spans (boundaries or labels); the items below show where.`;
}

function lowestOf(scored: Array<{ question: AnsweredQuestion; score: number; annotators: number }>): Agreement['lowest'] {
  return scored
    .filter((entry) => entry.score < 1 && entry.annotators >= 2)
    .sort((a, b) => a.score - b.score || a.question.key.localeCompare(b.question.key))
    .slice(0, LOWEST_SHOWN)
    .map(({ question, score, annotators }) => ({ key: question.key, text: textOf((question.answers[0] as { example: Example }).example), score, annotators }));
}

function categorical(questions: AnsweredQuestion[], sessions: string[], valueOf: (example: Example) => Value | null) {
  const matrix = questions.map((question) => {
    const bySession = new Map(question.answers.map(({ session, example }) => [session, valueOf(example)]));
    return sessions.map((session) => bySession.get(session) ?? null);
  });
  return categoricalAgreement(matrix);
}

/** Text spans: pairwise F1 between annotators, overall and per label (Prodigy's metric.iaa.span). */
function spanAgreement(shared: AnsweredQuestion[], sessions: string[]): Agreement {
  const items = shared.map((question) => new Map(question.answers.map(({ session, example }) => [session, spansOf(example)])));
  const labels = [...new Set(items.flatMap((item) => [...item.values()].flatMap((set) => [...set].map(spanLabel))))].sort();
  const overall = pairwiseF1(items);
  const scored = shared.map((question, i) => ({ question, score: pairwiseF1([items[i] as Map<string, SpanSet>]) ?? 1, annotators: question.answers.length }));
  return {
    kind: 'spans',
    annotators: sessions,
    items: shared.length,
    overall: { ...NONE, pairwiseF1: overall },
    perLabel: labels.map((label) => ({ ...NONE, label, items: items.filter((item) => [...item.values()].some((set) => [...set].some((span) => spanLabel(span) === label))).length, pairwiseF1: pairwiseF1(items, label) })),
    lowest: lowestOf(scored),
    summary: `${shared.length} item${shared.length === 1 ? '' : 's'} marked by ${sessions.length} annotators. ${f1Words(overall)}`,
  };
}

/** Choices: one label per item (multiclass) or several (multilabel, a yes/no per label), as metric.iaa.choice does. */
function choiceAgreement(shared: AnsweredQuestion[], sessions: string[], knownLabels: readonly string[]): Agreement {
  const accepted = (example: Example): string[] => (Array.isArray(example.accept) ? example.accept.map(String) : []);
  const multilabel = shared.some((question) => question.answers.some(({ example }) => accepted(example).length > 1));
  const labels = [...new Set([...knownLabels, ...shared.flatMap((question) => question.answers.flatMap(({ example }) => accepted(example)))])].sort();
  const perLabel = labels.map((label) => {
    const result = categorical(shared, sessions, (example) => (accepted(example).includes(label) ? 'yes' : 'no'));
    return { ...result.measures, label, items: result.items };
  });
  const overall = multilabel
    ? categoricalAgreement(shared.flatMap((question) => labels.map((label) => sessions.map((session) => {
        const answer = question.answers.find((a) => a.session === session);
        return answer ? (accepted(answer.example).includes(label) ? 'yes' : 'no') : null;
      })))).measures
    : categorical(shared, sessions, (example) => accepted(example)[0] ?? '(none)').measures;
  const scored = shared.map((question) => {
    const values = question.answers.map(({ example }) => accepted(example));
    const score = multilabel ? labels.reduce((sum, label) => sum + pairShare(values.map((v) => String(v.includes(label)))), 0) / Math.max(1, labels.length) : pairShare(values.map((v) => v[0] ?? '(none)'));
    return { question, score, annotators: values.length };
  });
  return {
    kind: multilabel ? 'multilabel' : 'multiclass',
    annotators: sessions,
    items: shared.length,
    overall,
    perLabel,
    lowest: lowestOf(scored),
    summary: `${shared.length} item${shared.length === 1 ? '' : 's'} labelled by ${sessions.length} annotators; they chose the same ${multilabel ? 'labels' : 'label'} ${percent(overall.percentAgreement)} of the time. ${alphaWords(overall.krippendorffAlpha)}`,
  };
}

/** The agreement among the sessions in a db-out export; `kind: 'none'` with the reason when it cannot be measured. */
export function measureAgreement(examples: readonly Example[], options: { viewId?: string | null; labels?: readonly string[] } = {}): Agreement {
  const all = latestAnswers(examples, options.viewId);
  const sessions = [...new Set(all.flatMap((question) => question.answers.map((answer) => answer.session)))].sort();
  const none = (summary: string): Agreement => ({ kind: 'none', annotators: sessions, items: 0, overall: NONE, perLabel: [], lowest: [], summary });
  if (sessions.length < 2) return none('Agreement needs answers from at least two annotators; these answers come from one.');

  const views = new Map<string, number>();
  for (const question of all) views.set(question.viewId, (views.get(question.viewId) ?? 0) + 1);
  const view = [...views].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'classification';
  const questions = all.filter((question) => question.viewId === view);
  const manual = MANUAL_VIEWS.has(view);
  const answered = questions.map((question) => ({ ...question, answers: counted(question, manual) }));
  const shared = answered.filter((question) => question.answers.length >= 2);
  if (shared.length === 0) return none('No item was answered by two annotators or more, so there is no agreement to measure yet.');

  if (SPAN_VIEWS.has(view)) return spanAgreement(shared, sessions);
  if (view === 'choice') return choiceAgreement(shared, sessions, options.labels ?? []);

  if (!manual) {
    const answerOf = (example: Example) => (example.answer === 'accept' || example.answer === 'reject' ? example.answer : null);
    const overall = categorical(shared, sessions, answerOf).measures;
    const labels = [...new Set(shared.map((question) => question.answers[0]?.example.label).filter((label): label is string => typeof label === 'string'))].sort();
    const perLabel = labels.map((label) => {
      const result = categorical(shared.filter((question) => question.answers[0]?.example.label === label), sessions, answerOf);
      return { ...result.measures, label, items: result.items };
    });
    const scored = shared.map((question) => ({ question, score: pairShare(question.answers.map(({ example }) => example.answer)), annotators: question.answers.length }));
    return {
      kind: 'binary',
      annotators: sessions,
      items: shared.length,
      overall,
      perLabel,
      lowest: lowestOf(scored),
      summary: `${shared.length} item${shared.length === 1 ? '' : 's'} answered by ${sessions.length} annotators; they gave the same answer ${percent(overall.percentAgreement)} of the time. ${alphaWords(overall.krippendorffAlpha)}`,
    };
  }
  return none(`Agreement is not measured for the “${view}” interface: Prodigy’s metrics cover accept/reject answers, choices and text spans. Disagreements are still sent for review.`);
}

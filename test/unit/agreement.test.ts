import { describe, expect, it } from 'vitest';
import { categoricalAgreement, measureAgreement, pairwiseF1 } from '../../electron/core/services/disputes/agreement';
import type { Example } from '../../electron/core/services/disputes/types';

/** Rows are items, columns raters; `.` is a missing value. */
function matrix(table: string): Array<Array<string | null>> {
  return table
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).slice(1).map((cell) => (cell === '.' ? null : cell)));
}

describe('percent agreement, Krippendorff’s alpha and Gwet’s AC2 (nominal), against published worked examples', () => {
  it('matches Gwet (2015), “On Krippendorff’s Alpha Coefficient”, p. 16: 4 raters, 12 units, missing values', () => {
    // The reliability data of Krippendorff's own nominal example, as Gwet tabulates it; the values are Gwet's,
    // and the prodigy-iaa package (the basis of Prodigy's metric.iaa.*) tests against the same numbers.
    const data = matrix(`
      1  1 1 . 1
      2  2 2 3 2
      3  3 3 3 3
      4  3 3 3 3
      5  2 2 2 2
      6  1 2 3 4
      7  4 4 4 4
      8  1 1 2 1
      9  2 2 2 2
      10 . 5 5 5
      11 . . 1 1
      12 . . 3 .`);
    const { measures, items } = categoricalAgreement(data);
    expect(items).toBe(11);
    expect(measures.percentAgreement).toBeCloseTo(0.8182, 4);
    expect(measures.krippendorffAlpha).toBeCloseTo(0.7434, 4);
    expect(measures.gwetAC2).toBeCloseTo(0.7754, 4);
  });

  it('matches Hayes & Krippendorff (2007), “Answering the Call for a Standard Reliability Measure”, 5 observers, 40 units, as nominal data', () => {
    const data = matrix(`
      1 1 1 2 . 2
      2 1 1 0 1 .
      3 2 3 3 3 .
      4 . 0 0 . 0
      5 0 0 0 . 0
      6 0 0 0 . 0
      7 1 0 2 . 1
      8 1 . 2 0 .
      9 2 2 2 . 2
      10 2 1 1 1 .
      11 . 1 0 0 .
      12 0 0 0 0 .
      13 1 2 2 2 .
      14 3 3 2 2 3
      15 1 1 1 . 1
      16 1 1 1 . 1
      17 2 1 2 . 2
      18 1 2 3 3 .
      19 1 1 0 1 .
      20 0 0 0 . 0
      21 0 0 1 1 .
      22 0 0 . 0 0
      23 2 3 3 3 .
      24 0 0 0 0 .
      25 1 2 . 2 2
      26 0 1 1 1 .
      27 0 0 0 1 0
      28 1 2 1 2 .
      29 1 1 2 2 .
      30 1 1 2 . 2
      31 1 1 0 . 0
      32 2 1 2 1 .
      33 2 2 . 2 2
      34 3 2 2 2 .
      35 2 2 2 . 2
      36 2 2 3 . 2
      37 2 2 2 . 2
      38 2 2 . 1 2
      39 2 2 2 2 .
      40 1 1 1 . 1`);
    const { measures } = categoricalAgreement(data);
    // Values as prodigy-iaa's tests (tests/test_measures.py) give them for this data.
    expect(measures.percentAgreement).toBeCloseTo(0.625, 4);
    expect(measures.krippendorffAlpha).toBeCloseTo(0.4765, 4);
    expect(measures.gwetAC2).toBeCloseTo(0.5093, 4);
  });

  it('is 1 for perfect agreement over two values, and undefined (null) when every answer is the same value', () => {
    expect(categoricalAgreement(matrix(`a yes yes\nb no no\nc yes yes`)).measures).toMatchObject({ percentAgreement: 1, krippendorffAlpha: 1, gwetAC2: 1 });
    expect(categoricalAgreement(matrix(`a yes yes\nb yes yes`)).measures).toMatchObject({ percentAgreement: 1, krippendorffAlpha: null, gwetAC2: null });
    expect(categoricalAgreement(matrix(`a yes .\nb . no`))).toMatchObject({ items: 0 });
  });
});

describe('pairwise F1 for spans (exact start, end and label), worked by hand', () => {
  const span = (start: number, end: number, label: string) => JSON.stringify([start, end, label]);
  it('counts a pair’s matches over the items both annotated, and averages the pairs', () => {
    // Item 1: A {P 0-3, L 10-16}, B {P 0-3, L 10-15}; item 2: A {P 4-8}, B {P 4-8, O 20-24}.
    // A–B: TP 2 (P 0-3, P 4-8), FN 1 (L 10-16), FP 2 (L 10-15, O 20-24) → F1 = 4 / (4 + 2 + 1) = 0.5714.
    const items = [
      new Map([['a', new Set([span(0, 3, 'P'), span(10, 16, 'L')])], ['b', new Set([span(0, 3, 'P'), span(10, 15, 'L')])]]),
      new Map([['a', new Set([span(4, 8, 'P')])], ['b', new Set([span(4, 8, 'P'), span(20, 24, 'O')])]]),
    ];
    expect(pairwiseF1(items)).toBeCloseTo(4 / 7, 6);
    expect(pairwiseF1(items, 'P')).toBe(1);
    expect(pairwiseF1(items, 'L')).toBe(0);
    // A third annotator who agrees with A everywhere: pairs A–B 4/7, A–C 1, B–C 4/7 → mean 0.7143.
    const withC = items.map((item) => new Map([...item, ['c', item.get('a') as Set<string>]]));
    expect(pairwiseF1(withC)).toBeCloseTo((4 / 7 + 1 + 4 / 7) / 3, 6);
  });
});

let time = 1_700_000_000;
const eg = (session: string, fields: Record<string, unknown>): Example =>
  ({ _input_hash: 1, _task_hash: 1, answer: 'accept', _session_id: `ds-${session}`, _timestamp: (time += 1), ...fields }) as Example;

describe('agreement over a db-out export, per label and overall, with the items that pull it down', () => {
  it('measures binary answers by task, per label', () => {
    const items = [
      ['Refund please', 'BILLING', 'accept', 'accept'],
      ['Card declined', 'BILLING', 'accept', 'reject'],
      ['Cannot log in', 'ACCESS', 'reject', 'reject'],
      ['Password reset', 'ACCESS', 'accept', 'accept'],
    ] as const;
    const examples = items.flatMap(([text, label, a, b], i) => [
      eg('ana', { text, label, _input_hash: i, _task_hash: 100 + i, _view_id: 'classification', answer: a }),
      eg('ben', { text, label, _input_hash: i, _task_hash: 100 + i, _view_id: 'classification', answer: b }),
    ]);
    const agreement = measureAgreement(examples);
    expect(agreement).toMatchObject({ kind: 'binary', annotators: ['ds-ana', 'ds-ben'], items: 4 });
    expect(agreement.overall.percentAgreement).toBeCloseTo(0.75, 6);
    // Gwet's equations by hand: r̄ = 2, pa' = 0.75, pa = (1 - 1/8)·0.75 + 1/8 = 0.78125; π(accept) = 5/8, pe = 0.53125; α = 0.5333.
    expect(agreement.overall.krippendorffAlpha).toBeCloseTo((0.78125 - 0.53125) / (1 - 0.53125), 6);
    expect(agreement.perLabel.map((label) => [label.label, label.items, label.percentAgreement])).toEqual([
      ['ACCESS', 2, 1],
      ['BILLING', 2, 0.5],
    ]);
    expect(agreement.lowest).toEqual([{ key: 'task:101', text: 'Card declined', score: 0, annotators: 2 }]);
    expect(agreement.summary).toContain('they gave the same answer 75% of the time');
  });

  it('measures exclusive choices as one label each, and non-exclusive ones per label and over every (item, label)', () => {
    const choice = (session: string, i: number, accept: string[]) => eg(session, { text: `t${i}`, _input_hash: i, _view_id: 'choice', accept, options: [] });
    const exclusive = [choice('ana', 1, ['A']), choice('ben', 1, ['A']), choice('ana', 2, ['B']), choice('ben', 2, ['A'])];
    const one = measureAgreement(exclusive);
    expect(one).toMatchObject({ kind: 'multiclass', items: 2 });
    expect(one.overall.percentAgreement).toBe(0.5);
    expect(one.lowest.map((item) => item.key)).toEqual(['input:2']);
    const multi = [choice('ana', 1, ['A', 'B']), choice('ben', 1, ['A']), choice('ana', 2, ['B']), choice('ben', 2, ['B'])];
    const many = measureAgreement(multi);
    expect(many.kind).toBe('multilabel');
    // (item, label) units: 1A yes/yes, 1B yes/no, 2A no/no, 2B yes/yes → 3 of 4 agree.
    expect(many.overall.percentAgreement).toBe(0.75);
    expect(many.perLabel.map((label) => [label.label, label.percentAgreement])).toEqual([
      ['A', 1],
      ['B', 0.5],
    ]);
  });

  it('measures spans with pairwise F1, ignoring rejects and skips, and names the item that differs', () => {
    const ner = (session: string, i: number, spans: Array<[number, number, string]>, answer = 'accept') =>
      eg(session, { text: 'Ana met Ben in Berlin.', _input_hash: i, _task_hash: 900 + i, _view_id: 'ner_manual', answer, spans: spans.map(([start, end, label]) => ({ start, end, label })) });
    const examples = [
      ner('ana', 1, [[0, 3, 'PER'], [15, 21, 'LOC']]),
      ner('ben', 1, [[0, 3, 'PER'], [15, 21, 'ORG']]),
      ner('ana', 2, [[8, 11, 'PER']]),
      ner('ben', 2, [[8, 11, 'PER']]),
      ner('ben', 3, [], 'reject'),
      ner('ana', 3, [[0, 3, 'PER']]),
    ];
    const agreement = measureAgreement(examples);
    expect(agreement).toMatchObject({ kind: 'spans', items: 2 });
    // TP 2, FP 1, FN 1 → 4 / 6.
    expect(agreement.overall.pairwiseF1).toBeCloseTo(2 / 3, 6);
    expect(agreement.perLabel.map((label) => [label.label, label.pairwiseF1])).toEqual([
      ['LOC', 0],
      ['ORG', 0],
      ['PER', 1],
    ]);
    expect(agreement.lowest.map((item) => [item.key, item.score])).toEqual([['input:1', 0.5]]);
  });

  it('says in words when there is nothing to measure', () => {
    expect(measureAgreement([eg('ana', { text: 'x', _view_id: 'classification' })])).toMatchObject({ kind: 'none', summary: expect.stringContaining('at least two annotators') });
    const apart = [eg('ana', { text: 'x', _task_hash: 1, _view_id: 'classification' }), eg('ben', { text: 'y', _task_hash: 2, _view_id: 'classification' })];
    expect(measureAgreement(apart)).toMatchObject({ kind: 'none', summary: expect.stringContaining('No item was answered by two annotators') });
    const boxes = [eg('ana', { image: 'x', _view_id: 'image_manual', spans: [] }), eg('ben', { image: 'x', _view_id: 'image_manual', spans: [] })];
    expect(measureAgreement(boxes).summary).toContain('not measured for the “image_manual” interface');
  });
});

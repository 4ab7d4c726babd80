import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDisputes } from '../../electron/core/services/disputes/detect';
import { parseExamples, readExamples, readExamplesSync } from '../../electron/core/services/disputes/read';
import type { Answer, Dispute, Example } from '../../electron/core/services/disputes/types';
import { disputeNote } from '../../electron/core/escalations/words';
import { tempDir } from '../support/tmp';

/** Input fields of a task as the source file had them, with the hashes Prodigy gave the annotated version. */
type Task = Record<string, unknown> & { _input_hash: number; _task_hash: number; _view_id: string };

let clock = 1_717_000_000;
/** One line of `prodigy db-out DATASET`: the task plus the annotator's answer and who gave it. */
function answered(dataset: string, session: string, task: Task, answer: Answer, extra: Record<string, unknown> = {}): Example {
  clock += 7;
  const id = `${dataset}-${session}`;
  return { ...task, answer, _timestamp: clock, _session_id: id, _annotator_id: id, ...extra };
}

// Binary textcat (textcat.manual with one label): the question is the task hash.
const invoice: Task = {
  text: 'Please find attached the invoice for March; payment is due within 30 days of receipt.',
  meta: { file_id: 'fil-1', path: 'mail/0001.txt' },
  label: 'BILLING',
  _input_hash: 1204,
  _task_hash: -45,
  _view_id: 'classification',
};
const outage: Task = {
  text: 'The VPN has been down since 9am and nobody in the Leeds office can reach the file share.',
  meta: { file_id: 'fil-2', path: 'mail/0002.txt' },
  label: 'BILLING',
  _input_hash: -3310,
  _task_hash: 881,
  _view_id: 'classification',
};

// textcat.manual with several labels: the `choice` interface; each selection has its own task hash.
const OPTIONS = [
  { id: 'SPORTS', text: 'SPORTS' },
  { id: 'POLITICS', text: 'POLITICS' },
  { id: 'BUSINESS', text: 'BUSINESS' },
];
const headline = (accept: string[], taskHash: number): Task => ({
  text: 'Minister opens new stadium as city bids to host the 2030 games',
  options: OPTIONS,
  accept,
  config: { choice_style: 'multiple' },
  meta: { file_id: 'fil-3', path: 'news/0003.txt' },
  _input_hash: 77,
  _task_hash: taskHash,
  _view_id: 'choice',
});

// ner.manual / spans.manual: the spans are the annotation. (Older fixtures here give each version its own
// task hash; Prodigy keeps the served one for every annotator, as the block on one task hash below has it.)
const NER_TEXT = 'Acme Corp hired Jane Doe in Berlin.';
const NER_TOKENS = [...NER_TEXT.matchAll(/\w+|[^\w\s]/g)].map((match, id) => {
  const end = match.index + match[0].length;
  return { text: match[0], start: match.index, end, id, ws: NER_TEXT[end] === ' ' };
});
const ORG = { start: 0, end: 9, token_start: 0, token_end: 1, label: 'ORG' };
const PERSON = { start: 16, end: 24, token_start: 3, token_end: 4, label: 'PERSON' };
const PLACE = { start: 28, end: 34, token_start: 6, token_end: 6, label: 'GPE' };
const sentence = (view: 'ner_manual' | 'spans_manual', spans: unknown[], taskHash: number): Task => ({
  text: NER_TEXT,
  tokens: NER_TOKENS,
  spans,
  meta: { file_id: 'fil-4', path: 'news/0004.txt' },
  _input_hash: -900,
  _task_hash: taskHash,
  _view_id: view,
});

// image.manual: rectangles as spans with points.
const box = (label: string, x: number, y: number, w: number, h: number) => ({
  label,
  type: 'rect',
  x,
  y,
  width: w,
  height: h,
  points: [
    [x, y],
    [x, y + h],
    [x + w, y + h],
    [x + w, y],
  ],
});
const scan = (spans: unknown[], taskHash: number): Task => ({
  image: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  width: 800,
  height: 600,
  spans,
  meta: { file_id: 'fil-5', path: 'scans/0005.png' },
  _input_hash: 4410,
  _task_hash: taskHash,
  _view_id: 'image_manual',
});

const SESSION_FIELDS = ['_session_id', '_annotator_id', '_timestamp', 'answer', 'flagged'];

describe('dispute detection: binary textcat (classification)', () => {
  it('finds nothing when the sessions agree', () => {
    expect(detectDisputes([answered('mail', 'alex', invoice, 'accept'), answered('mail', 'bea', invoice, 'accept')], {})).toEqual([]);
    expect(detectDisputes([answered('mail', 'alex', invoice, 'reject'), answered('mail', 'bea', invoice, 'reject')], {})).toEqual([]);
  });

  it('reports accept against reject on one task hash as a disagreement, with every version', () => {
    const examples = [answered('mail', 'bea', invoice, 'reject'), answered('mail', 'alex', invoice, 'accept')];
    const [dispute, ...rest] = detectDisputes(examples, {});
    expect(rest).toEqual([]);
    expect(dispute).toEqual({
      key: 'task:-45',
      inputHash: 1204,
      taskHash: -45,
      reason: 'disagreement',
      reasons: ['disagreement'],
      viewId: 'classification',
      task: invoice,
      versions: [
        { answer: 'accept', label: 'BILLING', session_id: 'mail-alex', task_hash: -45 },
        { answer: 'reject', label: 'BILLING', session_id: 'mail-bea', task_hash: -45 },
      ],
      sessions: ['mail-alex', 'mail-bea'],
      score: null,
    });
  });

  it('does not count ignore as a vote: accept and ignore is ignored, not a disagreement', () => {
    const disputes = detectDisputes([answered('mail', 'alex', invoice, 'accept'), answered('mail', 'bea', invoice, 'ignore')], {});
    expect(disputes).toHaveLength(1);
    expect(disputes[0]).toMatchObject({ reason: 'ignored', reasons: ['ignored'], sessions: ['mail-alex', 'mail-bea'] });
  });

  it('counts only the latest answer of a session (by timestamp, then by line)', () => {
    const changedMind = [
      answered('mail', 'alex', invoice, 'reject', { _timestamp: 100 }),
      answered('mail', 'bea', invoice, 'accept', { _timestamp: 150 }),
      answered('mail', 'alex', invoice, 'accept', { _timestamp: 200 }),
    ];
    expect(detectDisputes(changedMind, {})).toEqual([]);
    // Lines out of time order: the later timestamp still wins.
    const outOfOrder = [
      answered('mail', 'alex', invoice, 'accept', { _timestamp: 300 }),
      answered('mail', 'alex', invoice, 'reject', { _timestamp: 200 }),
      answered('mail', 'bea', invoice, 'accept', { _timestamp: 250 }),
    ];
    expect(detectDisputes(outOfOrder, {})).toEqual([]);
    // Same timestamp: the later line wins, and it disagrees with bea.
    const tie = [
      answered('mail', 'alex', invoice, 'accept', { _timestamp: 300 }),
      answered('mail', 'bea', invoice, 'accept', { _timestamp: 300 }),
      answered('mail', 'alex', invoice, 'reject', { _timestamp: 300 }),
    ];
    const [dispute] = detectDisputes(tie, {});
    expect(dispute?.reason).toBe('disagreement');
    expect(dispute?.versions.map((v) => [v.session_id, v.answer])).toEqual([
      ['mail-alex', 'reject'],
      ['mail-bea', 'accept'],
    ]);
  });

  it('still reports a disagreement when two of three sessions agree', () => {
    const examples = [answered('mail', 'alex', invoice, 'accept'), answered('mail', 'bea', invoice, 'reject'), answered('mail', 'cem', invoice, 'reject')];
    const [dispute] = detectDisputes(examples, {});
    expect(dispute?.reasons).toEqual(['disagreement']);
    expect(dispute?.versions.map((v) => v.answer)).toEqual(['accept', 'reject', 'reject']);
  });

  it('reports a flagged answer even when everyone agrees, and keeps the flag out of the task', () => {
    const [dispute, ...rest] = detectDisputes([answered('mail', 'alex', invoice, 'accept', { flagged: true }), answered('mail', 'bea', invoice, 'accept')], {});
    expect(rest).toEqual([]);
    expect(dispute).toMatchObject({ reason: 'flagged', reasons: ['flagged'] });
    expect(dispute?.versions).toEqual([
      { answer: 'accept', label: 'BILLING', session_id: 'mail-alex', task_hash: -45, flagged: true },
      { answer: 'accept', label: 'BILLING', session_id: 'mail-bea', task_hash: -45 },
    ]);
    for (const field of SESSION_FIELDS) expect(dispute?.task).not.toHaveProperty(field);
  });

  it('treats a flag withdrawn by a later answer of the same session as gone', () => {
    const examples = [
      answered('mail', 'alex', invoice, 'accept', { flagged: true, _timestamp: 100 }),
      answered('mail', 'alex', invoice, 'accept', { _timestamp: 200 }),
      answered('mail', 'bea', invoice, 'accept', { _timestamp: 150 }),
    ];
    expect(detectDisputes(examples, {})).toEqual([]);
  });

  it('keeps every reason, in priority order, with the first as the reason', () => {
    const examples = [
      answered('mail', 'alex', invoice, 'accept', { meta: { ...(invoice.meta as object), score: 0.12 } }),
      answered('mail', 'bea', invoice, 'ignore'),
      answered('mail', 'cem', invoice, 'reject', { flagged: true }),
    ];
    const [dispute] = detectDisputes(examples, { lowConfidenceThreshold: 0.5 });
    expect(dispute?.reasons).toEqual(['flagged', 'disagreement', 'low_confidence', 'ignored']);
    expect(dispute?.reason).toBe('flagged');
    expect(detectDisputes(examples.slice(0, 2), { lowConfidenceThreshold: 0.5 })[0]).toMatchObject({ reason: 'low_confidence', reasons: ['low_confidence', 'ignored'] });
  });

  it('reports low confidence from meta.score, strictly below the threshold, with the lowest score', () => {
    const scored = (session: string, score: number) => answered('mail', session, { ...invoice, meta: { ...(invoice.meta as object), score } }, 'accept');
    const [dispute] = detectDisputes([scored('alex', 0.41), scored('bea', 0.38)], { lowConfidenceThreshold: 0.5 });
    expect(dispute).toMatchObject({ reason: 'low_confidence', reasons: ['low_confidence'], score: 0.38 });
    expect(detectDisputes([scored('alex', 0.5), scored('bea', 0.5)], { lowConfidenceThreshold: 0.5 })).toEqual([]);
    expect(detectDisputes([scored('alex', 0.91), scored('bea', 0.91)], { lowConfidenceThreshold: 0.5 })).toEqual([]);
  });

  it('reports low confidence from a top-level score too', () => {
    const examples = [answered('mail', 'alex', { ...outage, score: 0.07 }, 'accept'), answered('mail', 'bea', { ...outage, score: 0.07 }, 'accept')];
    const [dispute] = detectDisputes(examples, { lowConfidenceThreshold: 0.5 });
    expect(dispute).toMatchObject({ key: 'task:881', reason: 'low_confidence', score: 0.07 });
    expect(dispute?.task.score).toBe(0.07);
  });

  it('never reports low confidence without a threshold, but still gives the score', () => {
    const low = [answered('mail', 'alex', { ...outage, score: 0.07 }, 'accept'), answered('mail', 'bea', { ...outage, score: 0.07 }, 'accept')];
    expect(detectDisputes(low, {})).toEqual([]);
    expect(detectDisputes(low, { lowConfidenceThreshold: null })).toEqual([]);
    const flaggedToo = [answered('mail', 'alex', { ...outage, score: 0.07 }, 'accept', { flagged: true })];
    expect(detectDisputes(flaggedToo, {})[0]).toMatchObject({ reasons: ['flagged'], score: 0.07 });
  });

  it('lists disputes in the order their questions first appear', () => {
    const examples = [
      answered('mail', 'alex', outage, 'accept'),
      answered('mail', 'alex', invoice, 'accept'),
      answered('mail', 'bea', invoice, 'reject'),
      answered('mail', 'bea', outage, 'ignore'),
    ];
    expect(detectDisputes(examples, {}).map((d) => [d.key, d.reason])).toEqual([
      ['task:881', 'ignored'],
      ['task:-45', 'disagreement'],
    ]);
  });

  it('falls back to _annotator_id when an answer has no _session_id', () => {
    const { _session_id: _a, ...alex } = answered('mail', 'alex', invoice, 'accept');
    const { _session_id: _b, ...bea } = answered('mail', 'bea', invoice, 'reject');
    expect(detectDisputes([alex, bea] as Example[], {})[0]?.sessions).toEqual(['mail-alex', 'mail-bea']);
    // Both present: the session decides, so two sessions of one annotator are two voters.
    const twoTabs = [
      answered('mail', 'alex', invoice, 'accept', { _annotator_id: 'mail-alex' }),
      answered('mail', 'alex-laptop', invoice, 'reject', { _annotator_id: 'mail-alex' }),
    ];
    expect(detectDisputes(twoTabs, {})[0]?.sessions).toEqual(['mail-alex', 'mail-alex-laptop']);
  });
});

describe('dispute detection: choice', () => {
  it('finds nothing when the sessions made the same selection', () => {
    const examples = [answered('news', 'alex', headline(['SPORTS', 'POLITICS'], 501), 'accept'), answered('news', 'bea', headline(['SPORTS', 'POLITICS'], 501), 'accept')];
    expect(detectDisputes(examples, {})).toEqual([]);
  });

  it('reports different selections of one input as a disagreement, keyed by the input hash', () => {
    const examples = [answered('news', 'alex', headline(['SPORTS'], 501), 'accept'), answered('news', 'bea', headline(['POLITICS'], -502), 'accept')];
    const [dispute, ...rest] = detectDisputes(examples, {});
    expect(rest).toEqual([]);
    expect(dispute).toMatchObject({ key: 'input:77', inputHash: 77, taskHash: 501, reason: 'disagreement', viewId: 'choice' });
    expect(dispute?.task).toEqual(headline(['SPORTS'], 501));
    expect(dispute?.versions).toEqual([
      { answer: 'accept', accept: ['SPORTS'], session_id: 'news-alex', task_hash: 501 },
      { answer: 'accept', accept: ['POLITICS'], session_id: 'news-bea', task_hash: -502 },
    ]);
  });

  it('does not count a reject on a manual task as a vote', () => {
    const examples = [answered('news', 'alex', headline(['SPORTS'], 501), 'accept'), answered('news', 'bea', headline([], 503), 'reject')];
    expect(detectDisputes(examples, {})).toEqual([]);
    const withThird = [...examples, answered('news', 'cem', headline(['BUSINESS'], 504), 'accept')];
    expect(detectDisputes(withThird, {})[0]?.reasons).toEqual(['disagreement']);
  });

  it('reports an ignored choice task, and with no votes shows the latest answer', () => {
    const examples = [
      answered('news', 'alex', headline([], 505), 'ignore', { _timestamp: 100 }),
      answered('news', 'bea', headline(['SPORTS'], 501), 'reject', { _timestamp: 200 }),
    ];
    const [dispute] = detectDisputes(examples, {});
    expect(dispute).toMatchObject({ reason: 'ignored', reasons: ['ignored'], taskHash: 501 });
    expect(dispute?.task.accept).toEqual(['SPORTS']);
  });

  it('uses options.viewId for examples saved without _view_id', () => {
    const bare = (accept: string[], taskHash: number) => {
      const { _view_id: _, ...task } = headline(accept, taskHash);
      return task as Task;
    };
    const examples = [answered('news', 'alex', bare(['SPORTS'], 501), 'accept'), answered('news', 'bea', bare(['POLITICS'], -502), 'accept')];
    expect(detectDisputes(examples, { viewId: 'choice' })[0]).toMatchObject({ key: 'input:77', viewId: 'choice' });
    // As binary answers they are two different questions, each answered once: nothing to dispute.
    expect(detectDisputes(examples, {})).toEqual([]);
  });
});

describe('dispute detection: ner_manual and spans_manual', () => {
  it('finds nothing when every session drew the same spans', () => {
    const same = (session: string) => answered('ner', session, sentence('ner_manual', [ORG, PERSON], 610), 'accept');
    expect(detectDisputes([same('alex'), same('bea'), same('cem')], {})).toEqual([]);
  });

  it('reports different spans as a disagreement, with the majority version as the task', () => {
    const examples = [
      answered('ner', 'cem', sentence('ner_manual', [ORG], 611), 'accept'),
      answered('ner', 'alex', sentence('ner_manual', [ORG, PERSON, PLACE], 612), 'accept'),
      answered('ner', 'bea', sentence('ner_manual', [ORG, PERSON, PLACE], 612), 'accept'),
    ];
    const [dispute] = detectDisputes(examples, {});
    expect(dispute).toMatchObject({ key: 'input:-900', inputHash: -900, taskHash: 612, reason: 'disagreement', viewId: 'ner_manual', sessions: ['ner-alex', 'ner-bea', 'ner-cem'] });
    expect(dispute?.task).toEqual(sentence('ner_manual', [ORG, PERSON, PLACE], 612));
    expect(dispute?.versions.map((v) => [v.session_id, v.task_hash, v.spans?.length])).toEqual([
      ['ner-alex', 612, 3],
      ['ner-bea', 612, 3],
      ['ner-cem', 611, 1],
    ]);
  });

  it('breaks a tie between versions by the one seen first', () => {
    const examples = [
      answered('spans', 'bea', sentence('spans_manual', [PERSON], 621), 'accept'),
      answered('spans', 'alex', sentence('spans_manual', [ORG], 620), 'accept'),
    ];
    expect(detectDisputes(examples, {})[0]).toMatchObject({ key: 'input:-900', taskHash: 621, viewId: 'spans_manual', reason: 'disagreement' });
  });

  it('does not let a session that changed its spans disagree with itself', () => {
    const examples = [
      answered('spans', 'alex', sentence('spans_manual', [ORG], 620), 'accept', { _timestamp: 100 }),
      answered('spans', 'bea', sentence('spans_manual', [ORG, PERSON], 622), 'accept', { _timestamp: 110 }),
      answered('spans', 'alex', sentence('spans_manual', [ORG, PERSON], 622), 'accept', { _timestamp: 120 }),
    ];
    expect(detectDisputes(examples, {})).toEqual([]);
  });

  it('reports an ignored sentence without calling it a disagreement', () => {
    const examples = [answered('ner', 'alex', sentence('ner_manual', [ORG], 611), 'accept'), answered('ner', 'bea', sentence('ner_manual', [], 613), 'ignore')];
    expect(detectDisputes(examples, {})[0]).toMatchObject({ reason: 'ignored', reasons: ['ignored'], taskHash: 611 });
  });

  it('reads the reviewed interface of a review example from view_id', () => {
    const reviewed = (spans: unknown[], taskHash: number): Task => ({ ...sentence('ner_manual', spans, taskHash), _view_id: 'review', view_id: 'ner_manual' });
    const examples = [answered('ner-review', 'sme1', reviewed([ORG], 611), 'accept'), answered('ner-review', 'sme2', reviewed([PERSON], 614), 'accept')];
    expect(detectDisputes(examples, {})[0]).toMatchObject({ key: 'input:-900', viewId: 'ner_manual', reason: 'disagreement' });
  });
});

describe('dispute detection: image_manual', () => {
  it('reports different boxes on one image as a disagreement', () => {
    const examples = [answered('scans', 'alex', scan([box('STAMP', 40, 40, 120, 80)], 7001), 'accept'), answered('scans', 'bea', scan([box('STAMP', 44, 38, 118, 84)], -7002), 'accept')];
    const [dispute] = detectDisputes(examples, {});
    expect(dispute).toMatchObject({ key: 'input:4410', taskHash: 7001, reason: 'disagreement', viewId: 'image_manual' });
    expect(dispute?.versions.map((v) => (v.spans?.[0] as { x: number }).x)).toEqual([40, 44]);
  });

  it('finds nothing when the boxes match, and reports a flag on one of them', () => {
    const same = [answered('scans', 'alex', scan([box('SIGNATURE', 500, 420, 200, 90)], 7003), 'accept'), answered('scans', 'bea', scan([box('SIGNATURE', 500, 420, 200, 90)], 7003), 'accept')];
    expect(detectDisputes(same, {})).toEqual([]);
    const flagged = [same[0] as Example, { ...(same[1] as Example), flagged: true }];
    expect(detectDisputes(flagged, {})[0]).toMatchObject({ reason: 'flagged', reasons: ['flagged'], versions: [{ session_id: 'scans-alex' }, { session_id: 'scans-bea', flagged: true }] });
  });

  it('does not count a rejected image as a vote', () => {
    const examples = [answered('scans', 'alex', scan([box('STAMP', 40, 40, 120, 80)], 7001), 'accept'), answered('scans', 'bea', scan([], 7004), 'reject')];
    expect(detectDisputes(examples, {})).toEqual([]);
  });
});

describe('dispute detection: manual answers that share the task hash they were served with (as Prodigy stores them)', () => {
  // Prodigy sets _task_hash when the task enters the stream and keeps it when it is annotated (CONTRACTS §C):
  // every version below carries the same one, so only their content can tell them apart.
  const SERVED = 7001;

  it('finds different spans on one task a disagreement, and says which spans each version marked', () => {
    const examples = [
      answered('ner', 'alex', sentence('ner_manual', [ORG, PERSON], SERVED), 'accept'),
      answered('ner', 'bea', sentence('ner_manual', [ORG, { ...PERSON, label: 'ORG' }], SERVED), 'accept'),
    ];
    const [dispute] = detectDisputes(examples, {});
    expect(dispute).toMatchObject({ key: 'input:-900', reason: 'disagreement', taskHash: SERVED });
    expect(dispute?.versions.map((v) => v.task_hash)).toEqual([SERVED, SERVED]);
    expect(disputeNote(dispute as Dispute, null)).toBe('Annotators disagree: ORG “Acme Corp”, PERSON “Jane Doe” (1) vs ORG “Acme Corp”, ORG “Jane Doe” (1).');
  });

  it('finds one span moved by a token a disagreement too', () => {
    const examples = [
      answered('spans', 'alex', sentence('spans_manual', [PLACE], SERVED), 'accept'),
      answered('spans', 'bea', sentence('spans_manual', [{ ...PLACE, start: 25, token_start: 5 }], SERVED), 'accept'),
    ];
    expect(detectDisputes(examples, {})[0]?.reasons).toEqual(['disagreement']);
  });

  it('finds different choices, boxes and relations on one task disagreements', () => {
    const choices = [answered('news', 'alex', headline(['SPORTS'], SERVED), 'accept'), answered('news', 'bea', headline(['POLITICS'], SERVED), 'accept')];
    expect(detectDisputes(choices, {})[0]).toMatchObject({ key: 'input:77', reason: 'disagreement' });
    const boxes = [answered('img', 'alex', scan([box('CAT', 10, 10, 50, 40)], SERVED), 'accept'), answered('img', 'bea', scan([box('DOG', 10, 10, 50, 40)], SERVED), 'accept')];
    expect(detectDisputes(boxes, {})[0]).toMatchObject({ key: 'input:4410', reason: 'disagreement' });
    const moved = [answered('img', 'alex', scan([box('CAT', 10, 10, 50, 40)], SERVED), 'accept'), answered('img', 'bea', scan([box('CAT', 200, 10, 50, 40)], SERVED), 'accept')];
    expect(detectDisputes(moved, {})[0]?.reasons).toEqual(['disagreement']);
    const rel = (label: string): Task => ({ text: NER_TEXT, tokens: NER_TOKENS, spans: [ORG, PERSON], relations: [{ head: 3, child: 0, label }], _input_hash: -901, _task_hash: SERVED, _view_id: 'relations' });
    const relations = [answered('rel', 'alex', rel('WORKS_FOR'), 'accept'), answered('rel', 'bea', rel('OWNS'), 'accept')];
    const [related] = detectDisputes(relations, {});
    expect(related).toMatchObject({ reason: 'disagreement' });
    expect(related?.versions.map((v) => v.relations)).toEqual([[{ head: 3, child: 0, label: 'WORKS_FOR' }], [{ head: 3, child: 0, label: 'OWNS' }]]);
  });

  it('finds nothing when the content is the same, in whatever order it was marked and whatever else the page stored', () => {
    const spans = [
      answered('ner', 'alex', sentence('ner_manual', [ORG, PERSON, PLACE], SERVED), 'accept'),
      // Another order, and the token offsets and colour a front end adds left out: the same spans.
      answered('ner', 'bea', sentence('ner_manual', [PLACE, { start: 16, end: 24, label: 'PERSON', color: '#fc0' }, ORG], SERVED), 'accept'),
    ];
    expect(detectDisputes(spans, {})).toEqual([]);
    const choices = [answered('news', 'alex', headline(['SPORTS', 'POLITICS'], SERVED), 'accept'), answered('news', 'bea', headline(['POLITICS', 'SPORTS'], SERVED), 'accept')];
    expect(detectDisputes(choices, {})).toEqual([]);
    const boxes = [answered('img', 'alex', scan([box('CAT', 10, 10, 50, 40)], SERVED), 'accept'), answered('img', 'bea', scan([{ ...box('CAT', 10, 10, 50, 40), color: 'red' }], SERVED), 'accept')];
    expect(detectDisputes(boxes, {})).toEqual([]);
  });

  it('keeps binary answers grouped by the task hash: one proposal, accept against reject', () => {
    const examples = [answered('mail', 'alex', invoice, 'accept'), answered('mail', 'bea', invoice, 'reject')];
    expect(detectDisputes(examples, {})[0]).toMatchObject({ key: 'task:-45', reason: 'disagreement' });
    // Another label on the same text is another question, not a competing answer.
    const other = { ...invoice, label: 'REFUND', _task_hash: -46 };
    expect(detectDisputes([answered('mail', 'alex', invoice, 'accept'), answered('mail', 'bea', other, 'reject')], {})).toEqual([]);
  });
});

describe('reading a db-out export', () => {
  const lines = (...examples: unknown[]) => examples.map((example) => JSON.stringify(example)).join('\n');
  const good = answered('mail', 'alex', invoice, 'accept');

  it('reads every example, skipping blank lines, CRLF endings and a BOM', async () => {
    const file = path.join(tempDir(), 'annotations.jsonl');
    const second = answered('mail', 'bea', invoice, 'reject');
    fs.writeFileSync(file, `\uFEFF${JSON.stringify(good)}\r\n\r\n   \n${JSON.stringify(second)}`);
    expect(await readExamples(file)).toEqual([good, second]);
    expect(readExamplesSync(file)).toEqual([good, second]);
  });

  it('names the file (not its folder) and the line of invalid JSON', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'annotations.jsonl');
    fs.writeFileSync(file, `${lines(good, good)}\n\n{"text": "cut off", "_input_hash": 1\n${lines(good)}\n`);
    const error = await readExamples(file).catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^annotations\.jsonl line 4: not valid JSON/);
    expect((error as Error).message).not.toContain(dir);
  });

  it.each([
    ['an array', '["accept"]', 'not a JSON object'],
    ['null', 'null', 'not a JSON object'],
    ['no input hash', lines({ ...good, _input_hash: undefined }), 'no _input_hash'],
    ['no task hash', lines({ ...good, _task_hash: undefined }), 'no _task_hash'],
    ['a fractional hash', lines({ ...good, _task_hash: 1.5 }), '_task_hash is not a signed 32-bit integer: 1.5'],
    ['a hash past 32 bits', lines({ ...good, _input_hash: 2 ** 31 }), '_input_hash is not a signed 32-bit integer: 2147483648'],
    ['a hash as a string', lines({ ...good, _input_hash: '1204' }), '_input_hash is not a signed 32-bit integer: "1204"'],
    ['no answer', lines({ ...good, answer: undefined }), 'no answer'],
    ['an unknown answer', lines({ ...good, answer: 'maybe' }), 'answer must be "accept", "reject" or "ignore", not "maybe"'],
  ])('refuses a line with %s, naming file and line', (_what, bad, message) => {
    const text = `${lines(good)}\n${lines(good)}\n${bad}\n${lines(good)}\n`;
    expect(() => parseExamples(text, 'annotations.jsonl')).toThrow(`annotations.jsonl line 3: ${message}`);
  });

  it('accepts the extreme signed 32-bit hashes', () => {
    const text = lines({ ...good, _input_hash: -(2 ** 31), _task_hash: 2 ** 31 - 1 });
    expect(parseExamples(text, 'x.jsonl')[0]).toMatchObject({ _input_hash: -2147483648, _task_hash: 2147483647 });
  });
});

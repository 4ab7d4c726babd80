import { z } from 'zod';
import { RemoteId } from './common';

/**
 * How far an assignment's annotation is, as this computer's Prodigy database
 * knows it: the signed-in person's own answers (the same count Sessions
 * shows), and every answer the database holds — this person's and any other
 * annotator's put in with db-in. File 360 reports no progress, so answers
 * given on other computers and not imported here are not counted.
 */
export const AnswerProgress = z.strictObject({
  /** Items in the source of the last session; null before the first one (the source is built when a session starts). */
  total: z.int().min(0).nullable(),
  /** Items this person answered (skips included). */
  mine: z.int().min(0),
  /** Items anyone answered, in this computer's Prodigy database. */
  all: z.int().min(0),
  /** How many annotators (Prodigy sessions) those answers come from. */
  annotators: z.int().min(0),
});
export type AnswerProgress = z.infer<typeof AnswerProgress>;

export const AnswerFilter = z.enum(['all', 'accept', 'reject', 'ignore', 'flagged']);
export type AnswerFilter = z.infer<typeof AnswerFilter>;

export const AnswerListInput = z.strictObject({
  assignmentId: RemoteId,
  /** Words from the item's text or the labels chosen; empty for every answer. */
  query: z.string().trim().max(200).default(''),
  answer: AnswerFilter.default('all'),
  offset: z.int().min(0).default(0),
  limit: z.int().min(1).max(200).default(50),
});

export const AnswerRow = z.strictObject({
  /** The question as the "ask a reviewer" picker names it (`input:` or `task:` and a Prodigy hash). */
  key: z.string().max(64),
  text: z.string(),
  answer: z.enum(['accept', 'reject', 'ignore']),
  /** The labels chosen, the spans marked, or the yes/no on a label, in words; empty when the answer (a skip, a bare reject) says it all. */
  summary: z.string(),
  flagged: z.boolean(),
  /** When it was given (ISO), from Prodigy's own timestamp; null when Prodigy stored none. */
  answeredAt: z.string().nullable(),
});
export type AnswerRow = z.infer<typeof AnswerRow>;

export const AnswerPage = z.strictObject({
  /** Answers that match, over every page. */
  total: z.int().min(0),
  offset: z.int().min(0),
  rows: z.array(AnswerRow),
});
export type AnswerPage = z.infer<typeof AnswerPage>;

export const GuidelinesInput = z.strictObject({ id: RemoteId });

export const Guidelines = z.discriminatedUnion('state', [
  /** The project names no guidelines file. */
  z.strictObject({ state: z.literal('none') }),
  /** Named, but not on this computer (yet, or it could not be fetched). */
  z.strictObject({ state: z.literal('missing'), path: z.string().nullable(), reason: z.string() }),
  z.strictObject({ state: z.literal('ready'), path: z.string(), format: z.enum(['markdown', 'text', 'html']), text: z.string(), truncated: z.boolean() }),
]);
export type Guidelines = z.infer<typeof Guidelines>;

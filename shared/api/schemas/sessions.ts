import { z } from 'zod';
import { RemoteId } from './common';

export const SessionState = z.enum(['idle', 'starting', 'running', 'stopping', 'stopped', 'crashed', 'failed']);
export type SessionState = z.infer<typeof SessionState>;

export const AnswerCounts = z.strictObject({
  answered: z.int().min(0),
  total: z.int().min(0),
  accept: z.int().min(0),
  reject: z.int().min(0),
  ignore: z.int().min(0),
  flagged: z.int().min(0),
});
export type AnswerCounts = z.infer<typeof AnswerCounts>;

export const LogLine = z.strictObject({
  at: z.string(),
  stream: z.enum(['stdout', 'stderr', 'app']),
  text: z.string(),
});
export type LogLine = z.infer<typeof LogLine>;

/** A file of the assignment that does not become a task, and why. */
export const SkippedFile = z.strictObject({ path: z.string(), reason: z.string() });

export const SessionView = z.strictObject({
  assignmentId: RemoteId,
  assignmentName: z.string(),
  recipe: z.string(),
  dataset: z.string(),
  state: SessionState,
  /** Why it failed or crashed, in words. */
  message: z.string().nullable(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  progress: AnswerCounts.nullable(),
  skipped: z.array(SkippedFile),
  /** Whether the assignment can be annotated here at all (synced, still shared, annotator). */
  startable: z.boolean(),
  whyNot: z.string().nullable(),
  /** A reviewer's assignment (or a review project): its work is deciding items under Reviews, not a Prodigy session. */
  inReviews: z.boolean(),
});
export type SessionView = z.infer<typeof SessionView>;

export const SessionLog = z.strictObject({
  assignmentId: RemoteId,
  lines: z.array(LogLine),
});

/** What to open: the shell opened a window itself (url null), or the page should open this address in a tab. */
export const OpenedSession = z.strictObject({ url: z.string().nullable() });

export const SessionInput = z.strictObject({ assignmentId: RemoteId });

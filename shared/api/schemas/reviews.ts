import { z } from 'zod';
import { RemoteId } from './common';
import { DecisionChange, DecisionView, EscalationReason, Outcome, Priority } from './escalations';

export const ReviewState = z.enum(['open', 'claimed', 'completed']);

export const ReviewSummary = z.strictObject({
  id: RemoteId,
  assignmentId: RemoteId,
  assignmentName: z.string().nullable(),
  reason: EscalationReason,
  priority: Priority,
  state: ReviewState,
  /** Who raised it. */
  raisedBy: z.string(),
  /** Who is working on it, when claimed; `mine` when that is the signed-in reviewer. */
  claimedBy: z.string().nullable(),
  mine: z.boolean(),
  text: z.string(),
  /** How many annotators' versions came with it; approving one of several needs a pick on its page. */
  versionCount: z.int().min(0),
  created: z.string(),
  due: z.string().nullable(),
  /** A decision made here, on its way to File 360 (or stopped on the way). */
  pending: z.strictObject({ outcome: Outcome, state: z.enum(['queued', 'sending', 'sent', 'failed', 'discarded']), error: z.string().nullable(), change: DecisionChange }).nullable(),
  decision: DecisionView.nullable(),
});
export type ReviewSummary = z.infer<typeof ReviewSummary>;

export const ReviewVersion = z.strictObject({
  session: z.string(),
  answer: z.enum(['accept', 'reject', 'ignore']),
  label: z.string().nullable(),
  accept: z.array(z.string()),
  spans: z.array(z.record(z.string(), z.unknown())),
  flagged: z.boolean(),
});
export type ReviewVersion = z.infer<typeof ReviewVersion>;

export const ReviewDetail = ReviewSummary.extend({
  note: z.string(),
  viewId: z.string(),
  /** The task as the annotators saw it (text, image, options, tokens, meta). */
  task: z.record(z.string(), z.unknown()),
  versions: z.array(ReviewVersion),
  /** Labels or options a correction can use. */
  labels: z.array(z.string()),
  /** Why opening did not claim it (someone else has it, it is decided, offline), in words. */
  claimProblem: z.string().nullable(),
});
export type ReviewDetail = z.infer<typeof ReviewDetail>;

export const ReviewFilter = z.strictObject({
  state: z.enum(['open', 'claimed', 'completed', 'all']).default('open'),
  reason: EscalationReason.optional(),
  priority: Priority.optional(),
  due: z.enum(['overdue', 'day', 'week', 'any']).default('any'),
});

export const ReviewList = z.strictObject({
  items: z.array(ReviewSummary),
  refreshedAt: z.string().nullable(),
  /** Why the list could not be refreshed from File 360 (offline, signed out); the cached one is shown. */
  problem: z.string().nullable(),
});
export type ReviewList = z.infer<typeof ReviewList>;

export const ReviewIdInput = z.strictObject({ id: RemoteId });

export const DecideInput = z.strictObject({
  id: RemoteId,
  outcome: Outcome,
  /** Approve: the version chosen (index into `versions`); absent means the task as shown. */
  version: z.int().min(0).optional(),
  /** Correct: the task with the reviewer's label, choice or spans. */
  correctedTask: z.record(z.string(), z.unknown()).optional(),
  comment: z.string().trim().max(4000).default(''),
});

/** Several items approved with one comment; each is still its own decision in the outbox. */
export const ApproveManyInput = z.strictObject({
  ids: z
    .array(RemoteId)
    .min(1, 'Pick at least one item to approve.')
    .max(200, 'Approve at most 200 items at a time.')
    .refine((ids) => new Set(ids).size === ids.length, 'Each item can be approved only once.'),
  comment: z.string().trim().max(4000).default(''),
});

const BulkItem = z.strictObject({
  id: RemoteId,
  /** The item's text, so the result names it; null when it is not on this computer. */
  text: z.string().nullable(),
});

export const ApproveManyResult = z.strictObject({
  approved: z.array(BulkItem),
  /** Items that could not be approved, each with why in words; the others were approved regardless. */
  failed: z.array(BulkItem.extend({ error: z.string() })),
});
export type ApproveManyResult = z.infer<typeof ApproveManyResult>;

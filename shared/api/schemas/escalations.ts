import { z } from 'zod';
import { RemoteId } from './common';

export const EscalationReason = z.enum(['flagged', 'disagreement', 'low_confidence', 'ignored', 'question']);
export type EscalationReason = z.infer<typeof EscalationReason>;
export const Priority = z.enum(['normal', 'high']);
export const Outcome = z.enum(['approved', 'corrected', 'rejected']);
export type Outcome = z.infer<typeof Outcome>;

/** The annotation before the decision and as decided, in words (shared/decisions.ts); null when there is nothing to compare. */
export const DecisionChange = z.strictObject({ before: z.string(), after: z.string() }).nullable();

/** What a reviewer decided, as File 360 reported it. */
export const DecisionView = z.strictObject({
  outcome: Outcome,
  reviewer: z.string(),
  comment: z.string().nullable(),
  time: z.string(),
  change: DecisionChange,
});
export type DecisionView = z.infer<typeof DecisionView>;

/** An escalation this computer raised (the annotator's side). */
export const EscalationView = z.strictObject({
  id: z.string(),
  remoteId: RemoteId.nullable(),
  assignmentId: RemoteId,
  reason: EscalationReason,
  reasons: z.array(EscalationReason),
  note: z.string(),
  priority: Priority,
  state: z.enum(['queued', 'open', 'claimed', 'completed', 'failed']),
  /** The item's text (or a description of it), shortened. */
  text: z.string(),
  createdAt: z.string(),
  sendError: z.string().nullable(),
  decision: DecisionView.nullable(),
  /** Once the decision is in Prodigy: when, and in which dataset. */
  appliedAt: z.string().nullable(),
  appliedDataset: z.string().nullable(),
  applyError: z.string().nullable(),
});
export type EscalationView = z.infer<typeof EscalationView>;

export const EscalationListInput = z.strictObject({ assignmentId: RemoteId.optional() });

/** An annotated item an annotator may ask about. */
export const AskCandidate = z.strictObject({
  key: z.string().max(64),
  text: z.string(),
  answer: z.enum(['accept', 'reject', 'ignore']),
  /** The annotation in a few words (labels chosen, spans marked). */
  summary: z.string(),
});
export type AskCandidate = z.infer<typeof AskCandidate>;

export const AskCandidatesInput = z.strictObject({ assignmentId: RemoteId, query: z.string().max(200).default('') });

export const AskInput = z.strictObject({
  assignmentId: RemoteId,
  key: z.string().min(1).max(64),
  question: z.string().trim().min(1, 'Write your question for the reviewer').max(4000),
  priority: Priority.default('normal'),
});

export const EscalationIdInput = z.strictObject({ id: z.string().min(1).max(64) });

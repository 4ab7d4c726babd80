/**
 * Shapes of the dispute scan over Prodigy `db-out` exports (CONTRACTS §C). A
 * Dispute maps onto the `item` of an escalation (CONTRACTS §A.8): `inputHash`,
 * `taskHash`, `task` and `versions` go there as they are.
 */

export type Answer = 'accept' | 'reject' | 'ignore';

/**
 * One line of a db-out export. Only the fields the scan cannot do without are
 * checked on read; everything else stays as Prodigy wrote it and is checked
 * where it is used, since annotators' tasks carry arbitrary custom keys.
 */
export interface Example {
  _input_hash: number;
  _task_hash: number;
  answer: Answer;
  [field: string]: unknown;
}

/** In priority order: `Dispute.reason` is the first of these that applies. */
export const REASONS = ['flagged', 'disagreement', 'low_confidence', 'ignored'] as const;
export type Reason = (typeof REASONS)[number];

/** One session's answer to the question (its latest). */
export interface DisputeVersion {
  answer: Answer;
  label?: string;
  spans?: unknown[];
  accept?: unknown[];
  relations?: unknown[];
  session_id: string;
  flagged?: boolean;
  task_hash: number;
}

/** One question and every session's answer to it. */
export interface QuestionSummary {
  /** `input:<hash>` for manual interfaces, `task:<hash>` for binary ones. */
  key: string;
  inputHash: number;
  /** The representative's task hash. */
  taskHash: number | null;
  /** Why a reviewer should look at it; empty when nothing calls for it. */
  reasons: Reason[];
  /** The interface the annotators answered in (for a review example, the one it reviewed). */
  viewId: string;
  /** The version most sessions gave, without who gave it; what a reviewer starts from. */
  task: Record<string, unknown>;
  /** One per session, sorted by session id. */
  versions: DisputeVersion[];
  sessions: string[];
  /** The lowest model score among the answers, if any carried one. */
  score: number | null;
}

/** A question a reviewer should look at: `reason` is the first of `reasons`. */
export interface Dispute extends QuestionSummary {
  reason: Reason;
}

export interface DetectOptions {
  /** Answers scored strictly below this are `low_confidence`; null or absent: never. */
  lowConfidenceThreshold?: number | null;
  /** The recipe's interface, for examples saved without `_view_id`. */
  viewId?: string | null;
}

import type { EscalationReason } from '../../../../shared/api/schemas/escalations';
export { ANSWER_WORDS, OUTCOME_WORDS } from '../../../../shared/decisions';
import type { ReviewSummary } from '../../../../shared/api/schemas/reviews';

/** Why an item was escalated, as a reviewer reads it in a list. */
export const REASON_WORDS: Record<EscalationReason, string> = {
  flagged: 'Flagged',
  disagreement: 'Annotators disagree',
  low_confidence: 'Low confidence',
  ignored: 'Skipped',
  question: 'Question',
};

/** The same, as the heading of the item's page. */
export const REASON_TITLES: Record<EscalationReason, string> = {
  flagged: 'Flagged item',
  disagreement: 'Annotators disagree',
  low_confidence: 'Low-confidence item',
  ignored: 'Skipped item',
  question: 'Question from the annotator',
};

/** The note's heading: the annotator's own question, or why the app escalated the item. */
export function noteHeading(reason: EscalationReason, raisedBy: string): string {
  return reason === 'question' ? `Question from ${raisedBy}` : 'Why it needs review';
}

export type Pending = NonNullable<ReviewSummary['pending']>;

/** Where a decision made here is on its way to File 360, in words. */
export function pendingWords(pending: Pending, online: boolean): string {
  switch (pending.state) {
    case 'queued':
      return online ? 'Waiting to be sent' : 'Sent when you are online';
    case 'sending':
      return 'Sending…';
    case 'sent':
      return 'Sent';
    case 'failed':
      return 'Not sent';
    case 'discarded':
      return 'Discarded in the Outbox, not sent';
  }
}

/** "you" for the signed-in reviewer, else the name File 360 gave. */
export function personWords(name: string | null, me: { id: string; displayName: string } | null | undefined): string | null {
  if (!name) return null;
  if (me && (name === me.id || name === me.displayName)) return 'you';
  return name;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `formatRelative`'s "now" reads oddly after "sent" or "raised": "just now". */
export function sinceWords(relative: string): string {
  return relative === 'now' ? 'just now' : relative;
}

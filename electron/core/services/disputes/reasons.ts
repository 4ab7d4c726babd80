import type { Reason } from './types';

/** What each reason an item goes to a reviewer for is called where people read it. */
export const REASON_TITLES: Record<Reason | 'question', string> = {
  flagged: 'Flagged',
  disagreement: 'Annotators disagree',
  low_confidence: 'Low confidence',
  ignored: 'Skipped',
  question: 'Question',
};

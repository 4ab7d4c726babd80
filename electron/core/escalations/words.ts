import type { Dispute, Reason } from '../disputes/types';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function disagreement(dispute: Dispute): string {
  const tally = new Map<string, number>();
  for (const version of dispute.versions) {
    if (version.answer === 'ignore') continue;
    const what = version.accept?.length ? version.accept.join(', ') : version.spans?.length ? plural(version.spans.length, 'span') : version.answer;
    tally.set(what, (tally.get(what) ?? 0) + 1);
  }
  return `Annotators disagree: ${[...tally].map(([what, n]) => `${what} (${n})`).join(' vs ')}.`;
}

const SENTENCES: Record<Reason, (dispute: Dispute, threshold: number | null) => string> = {
  flagged: () => 'Flagged by the annotator.',
  disagreement,
  low_confidence: (dispute, threshold) => `Low model confidence (${dispute.score ?? '?'}${threshold === null ? '' : ` < ${threshold}`}).`,
  ignored: () => 'Skipped (ignore) by the annotator.',
};

/** The note a reviewer reads first: why this item reached them, every reason in a sentence. */
export function disputeNote(dispute: Dispute, threshold: number | null): string {
  return dispute.reasons.map((reason) => SENTENCES[reason](dispute, threshold)).join(' ');
}

export const REASON_TITLES: Record<Reason | 'question', string> = {
  flagged: 'Flagged',
  disagreement: 'Annotators disagree',
  low_confidence: 'Low confidence',
  ignored: 'Skipped',
  question: 'Question',
};

import type { Dispute, Reason } from '../services/disputes/types';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A version as a reviewer would tell it from the others: the spans themselves, not only how many. */
function versionWords(version: Dispute['versions'][number], text: string | null): string {
  if (version.accept?.length) return [...version.accept].map(String).sort().join(', ');
  if (version.spans?.length) {
    const spans = version.spans.map((span) => {
      const { start, end, label } = (span ?? {}) as { start?: unknown; end?: unknown; label?: unknown };
      const marked = text !== null && typeof start === 'number' && typeof end === 'number' ? ` “${text.slice(start, end)}”` : '';
      return `${typeof label === 'string' ? label : '?'}${marked}`;
    });
    return spans.length > 3 ? `${plural(spans.length, 'span')} (${spans.slice(0, 3).join(', ')}, …)` : spans.sort().join(', ');
  }
  if (version.spans && version.answer === 'accept') return 'no spans';
  return version.answer;
}

function disagreement(dispute: Dispute): string {
  const tally = new Map<string, number>();
  const text = typeof dispute.task.text === 'string' ? dispute.task.text : null;
  for (const version of dispute.versions) {
    if (version.answer === 'ignore') continue;
    const what = versionWords(version, text);
    tally.set(what, (tally.get(what) ?? 0) + 1);
  }
  return `Annotators disagree: ${[...tally].map(([what, n]) => `${what} (${n})`).join(' vs ')}.`;
}

const SENTENCES: Record<Reason, (dispute: Dispute, threshold: number | null) => string> = {
  flagged: () => 'Flagged by the annotator.',
  disagreement,
  low_confidence: (dispute, threshold) => `Low model confidence (${dispute.score ?? '?'}${threshold === null ? '' : ` < ${threshold}`}).`,
  ignored: () => 'Skipped by the annotator.',
};

/** The note a reviewer reads first: why this item reached them, every reason in a sentence. */
export function disputeNote(dispute: Dispute, threshold: number | null): string {
  return dispute.reasons.map((reason) => SENTENCES[reason](dispute, threshold)).join(' ');
}


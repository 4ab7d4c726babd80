/**
 * A reviewer's decision in words both sides read the same way: the annotator
 * on the assignment page and the reviewer on the item's page see one
 * before → after of the label, choices or spans, not just "Corrected".
 */

export type Outcome = 'approved' | 'corrected' | 'rejected';
export type Answer = 'accept' | 'reject' | 'ignore';

export const OUTCOME_WORDS: Record<Outcome, string> = {
  approved: 'Approved',
  corrected: 'Corrected',
  rejected: 'Rejected',
};

/** Prodigy's three answers, named once: "ignore" is what Prodigy stores, "Skipped" is what its button and this app say. */
export const ANSWER_WORDS: Record<Answer, string> = {
  accept: 'Accepted',
  reject: 'Rejected',
  ignore: 'Skipped',
};

/** The parts of a Prodigy answer a decision can change (a version, a corrected task). */
export interface Annotation {
  answer?: unknown;
  accept?: unknown;
  spans?: unknown;
  label?: unknown;
}

export interface DecisionChange {
  before: string;
  after: string;
}

const MAX_SPAN_TEXT = 40;

function spanWords(spans: unknown[], text: string | null): string {
  return spans
    .map((span) => {
      const { label, start, end } = (span ?? {}) as { label?: unknown; start?: unknown; end?: unknown };
      const name = typeof label === 'string' && label ? label : 'unlabelled';
      if (text === null || typeof start !== 'number' || typeof end !== 'number' || end <= start) return name;
      const covered = text.slice(start, end).replace(/\s+/g, ' ').trim();
      return `${name} “${covered.length > MAX_SPAN_TEXT ? `${covered.slice(0, MAX_SPAN_TEXT - 1)}…` : covered}”`;
    })
    .join(', ');
}

/** One answer in a few words: the options chosen, the spans marked, or the yes/no on a label; "Skipped" for a skip. */
export function annotationWords(annotation: Annotation, text: string | null = null): string {
  const answer = annotation.answer === 'reject' || annotation.answer === 'ignore' ? annotation.answer : 'accept';
  if (answer === 'ignore') return ANSWER_WORDS.ignore;
  const accept = Array.isArray(annotation.accept) ? annotation.accept.map(String) : [];
  const spans = Array.isArray(annotation.spans) ? annotation.spans : [];
  const parts: string[] = [];
  if (accept.length > 0) parts.push(accept.join(', '));
  if (spans.length > 0) parts.push(spanWords(spans, text));
  if (parts.length === 0 && typeof annotation.label === 'string' && annotation.label) parts.push(`${annotation.label}: ${answer === 'reject' ? 'no' : 'yes'}`);
  if (parts.length === 0) return answer === 'reject' ? ANSWER_WORDS.reject : 'Nothing chosen';
  return answer === 'reject' ? `${ANSWER_WORDS.reject} (${parts.join('; ')})` : parts.join('; ');
}

/**
 * What the decision changed: the annotators' answers (each distinct one once)
 * before; after, the task as decided (a correction, or the version approved;
 * an approval without one keeps the task as shown). A rejection leaves nothing to use.
 */
export function decisionChange(item: { task: Record<string, unknown>; versions: readonly Annotation[] }, outcome: Outcome, decided: Annotation | null | undefined): DecisionChange | null {
  const text = typeof item.task.text === 'string' ? item.task.text : null;
  const before = [...new Set(item.versions.map((version) => annotationWords(version, text)))].join(' or ') || 'No answer';
  if (outcome === 'rejected') return { before, after: 'Rejected: not used' };
  const after = decided ?? (outcome === 'approved' ? item.task : null);
  return after ? { before, after: annotationWords(after, text) } : null;
}

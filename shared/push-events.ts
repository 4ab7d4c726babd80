/**
 * CONTRACTS §B event types and what each is called in the UI. Plain data, no
 * zod, so the renderer can import it (its CSP forbids zod's code generator).
 */
export const PUSH_EVENT_TYPES = [
  'review.requested',
  'decision.made',
  'batch.assigned',
  'task.assigned',
  'deadline.approaching',
  'relabel.requested',
  'annotation.rejected',
  'annotation.completed',
  'dataset.ready',
  'pipeline.failed',
] as const;

export type PushEventType = (typeof PUSH_EVENT_TYPES)[number];

export const PUSH_EVENT_LABELS: Record<PushEventType, string> = {
  'review.requested': 'An item needs a reviewer',
  'decision.made': 'A reviewer decided an item',
  'batch.assigned': 'New files to annotate',
  'task.assigned': 'A new assignment',
  'deadline.approaching': 'Due dates, expiry and review deadlines',
  'relabel.requested': 'Items to label again',
  'annotation.rejected': 'Answers rejected',
  'annotation.completed': 'Annotation packages uploaded',
  'dataset.ready': 'A dataset is complete',
  'pipeline.failed': 'Failures (Prodigy crashed, bad source files)',
};

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

/**
 * The app's own notifications, which never travel through Push: a wipe of an
 * assignment. They pop up like Push ones (quiet hours hold them) and are not
 * muted by type, since they say that files and perhaps work left this computer.
 */
export const APP_EVENT_TYPES = ['assignment.removed'] as const;

export type AppEventType = (typeof APP_EVENT_TYPES)[number];

export const APP_EVENT_LABELS: Record<AppEventType, string> = {
  'assignment.removed': 'Assignments removed from this computer',
};

export function isAppEventType(type: string): type is AppEventType {
  return (APP_EVENT_TYPES as readonly string[]).includes(type);
}

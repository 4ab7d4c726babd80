import { APP_EVENT_LABELS, PUSH_EVENT_LABELS } from '../../../shared/push-events';

const LABELS: Record<string, string | undefined> = { ...PUSH_EVENT_LABELS, ...APP_EVENT_LABELS };

/** What a notification about a wiped assignment keeps: its kind and the assignment's name, never its words, which may quote a task. */
export const REMOVED_SUMMARY = 'The details were removed from this computer with the assignment.';

export function strippedTitle(type: string, assignmentName: string): string {
  return `${LABELS[type] ?? 'Notification'}: “${assignmentName}”`;
}

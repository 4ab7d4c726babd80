import type { Outcome } from '../../../../shared/api/schemas/escalations';
import type { NotificationItem } from '../../../../shared/api/schemas/notifications';
import { APP_EVENT_LABELS, PUSH_EVENT_LABELS, PUSH_EVENT_TYPES, isAppEventType, type PushEventType } from '../../../../shared/push-events';
import type { IconName } from '../../components/icon-paths';
import { formatRelative } from '../../format';

/** Why a notification did not pop up (yet); nothing to say for the rest. */
export const DELIVERY_WORDS: Partial<Record<NotificationItem['delivery'], string>> = {
  held: 'Arrived during quiet hours — pops up when they end',
  muted: 'Muted — not popped up',
  expired: 'Expired before it could pop up',
};

const TYPE_ICONS: Record<PushEventType, IconName> = {
  'review.requested': 'message',
  'decision.made': 'reviews',
  'batch.assigned': 'inbox',
  'task.assigned': 'clipboard',
  'deadline.approaching': 'clock',
  'relabel.requested': 'relabel',
  'annotation.rejected': 'x-circle',
  'annotation.completed': 'outbox',
  'dataset.ready': 'database',
  'pipeline.failed': 'alert',
};

function isKnown(type: string): type is PushEventType {
  return (PUSH_EVENT_TYPES as readonly string[]).includes(type);
}

const OUTCOME_ICONS: Record<Outcome, IconName> = { approved: 'reviews', corrected: 'relabel', rejected: 'x-circle' };

/** A newer server may send types this app does not know yet: they get the plain bell. A rejection is not shown with a check. */
export function typeIcon(item: Pick<NotificationItem, 'type' | 'outcome'>): IconName {
  if (isAppEventType(item.type)) return 'trash';
  if (item.outcome) return OUTCOME_ICONS[item.outcome];
  return isKnown(item.type) ? TYPE_ICONS[item.type] : 'notifications';
}

export function typeLabel(type: string): string {
  if (isAppEventType(type)) return APP_EVENT_LABELS[type];
  return isKnown(type) ? PUSH_EVENT_LABELS[type] : type;
}

/** "5 minutes ago", or "just now" rather than a bare "now". */
export function ago(iso: string, now: number): string {
  const words = formatRelative(iso, now);
  return words === 'now' ? 'just now' : words;
}

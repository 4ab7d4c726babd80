import type { Settings } from '../../../shared/api/schemas/settings';
import { isAppEventType, type PushEventType } from '../../../shared/push-events';
import type { Delivery } from './types';
import type { IncomingNotification } from '../kernel/incoming';

export interface NotificationRules {
  /** Event types never shown natively; still stored and listed in the center, marked muted. */
  mutedTypes: string[];
  /** Topics, exact or a prefix ending in '*' (`assignment.*`). */
  mutedTopics: string[];
  /** 'HH:MM' local time, may wrap midnight; null = off. */
  quietHours: { start: string; end: string } | null;
}

export const DEFAULT_NOTIFICATION_RULES: NotificationRules = { mutedTypes: [], mutedTopics: [], quietHours: null };

/**
 * Which CONTRACTS §B event types pop up natively unless the user mutes them:
 * all that the app knows. `annotation.completed` is muted in the default
 * settings instead (a manager's stream of progress ticks; the annotator's own
 * upload), so a user who wants it only ticks a box. Types not in this table (a
 * newer server) are listed but do not pop up, until the app knows what they mean.
 */
export const POPS_UP_BY_DEFAULT: Record<PushEventType, boolean> = {
  'review.requested': true,
  'decision.made': true,
  'batch.assigned': true,
  'task.assigned': true,
  'deadline.approaching': true,
  'relabel.requested': true,
  'annotation.rejected': true,
  'annotation.completed': true,
  'dataset.ready': true,
  'pipeline.failed': true,
};

/** The rules as the settings hold them (`quietHours` is `HH:MM-HH:MM`, checked by the settings schema). */
export function notificationRules(settings: Pick<Settings, 'mutedNotificationTypes' | 'mutedTopics' | 'quietHours'>): NotificationRules {
  const quiet = settings.quietHours;
  return {
    mutedTypes: settings.mutedNotificationTypes,
    mutedTopics: settings.mutedTopics,
    quietHours: quiet ? { start: quiet.slice(0, 5), end: quiet.slice(6) } : null,
  };
}

/** How many pop up at once; the rest are summed up in one more ("And 7 more"), so a catch-up is not a storm of toasts. */
export const MAX_NATIVE_AT_ONCE = 3;

export function topicMuted(topic: string | null, patterns: readonly string[]): boolean {
  if (topic === null) return false;
  return patterns.some((pattern) => (pattern.endsWith('*') ? topic.startsWith(pattern.slice(0, -1)) : topic === pattern));
}

export interface DeliveryContext {
  nowMs: number;
  rules: NotificationRules;
  quiet: boolean;
  /** The unread one this replaces, when the user already saw it pop up. */
  alreadyShown: { title: string; summary: string } | null;
}

type Deciding = Pick<IncomingNotification, 'type' | 'topic' | 'expires' | 'title' | 'summary' | 'history'>;

/**
 * Where a notification goes natively, first rule that applies wins. A
 * replacement that says the same as the toast the user already saw stays
 * silent; one whose title or summary changed pops up again.
 */
export function deliveryOf(n: Deciding, { nowMs, rules, quiet, alreadyShown }: DeliveryContext): Delivery {
  const expires = n.expires === null ? Number.NaN : Date.parse(n.expires);
  if (expires <= nowMs) return 'expired';
  if (n.history) return 'silent';
  if (rules.mutedTypes.includes(n.type) || topicMuted(n.topic, rules.mutedTopics)) return 'muted';
  if (alreadyShown && alreadyShown.title === n.title && alreadyShown.summary === n.summary) return 'silent';
  if (!(POPS_UP_BY_DEFAULT as Record<string, boolean | undefined>)[n.type] && !isAppEventType(n.type)) return 'silent';
  return quiet ? 'held' : 'shown';
}

import { REMOTE_ID } from '../../../shared/ids';
import type { Route } from '../../../shared/routes';
import type { IncomingNotification } from '../kernel/incoming';

/** Only ids a route may carry (deep links and the API refuse others), so a bad id falls through to a broader place. */
function idIn(data: Record<string, unknown>, field: string): string | null {
  const value = data[field];
  return typeof value === 'string' && REMOTE_ID.test(value) ? value : null;
}

/**
 * What a click on a notification opens. A review SLA reminder carries the
 * escalation as well as its assignment: the reviewer acts in Reviews, so it
 * goes there like a review request does. A decision leads to the assignment's
 * page, at that decision.
 */
export function routeOf(item: Pick<IncomingNotification, 'type' | 'data'>): Route {
  const escalation = idIn(item.data, 'escalation_id');
  const assignment = idIn(item.data, 'assignment_id');
  if (escalation && (item.type === 'review.requested' || item.type === 'deadline.approaching')) return { section: 'reviews', id: escalation };
  // The annotator reads the decision on the assignment's page, brought into view there.
  if (item.type === 'decision.made' && assignment) return escalation ? { section: 'assignments', id: assignment, decision: escalation } : { section: 'assignments', id: assignment };
  if (item.type === 'pipeline.failed' && (item.data.session != null || item.data.source === 'session')) return { section: 'sessions' };
  if (assignment) return { section: 'assignments', id: assignment };
  return { section: 'notifications' };
}

import type { IncomingNotification } from '../kernel/incoming';

/** A notification the app makes itself about one assignment (a wipe, work sent ahead of an expiry), as the center stores it. */
export function localNotification(
  n: { source: 'app' | 'reminder'; type: string; title: string; summary: string; assignmentId: string; collapseKey?: string; expires?: string },
  now: Date,
): IncomingNotification {
  return {
    source: n.source,
    seq: null,
    remoteId: null,
    type: n.type,
    title: n.title.slice(0, 200),
    summary: n.summary.slice(0, 1000),
    topic: `assignment.${n.assignmentId}`,
    collapseKey: n.collapseKey ?? null,
    created: now.toISOString(),
    expires: n.expires ?? null,
    data: { assignment_id: n.assignmentId },
  };
}

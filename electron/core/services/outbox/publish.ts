import type { Outbox } from './outbox';
import type { Owner } from '../../kernel/identity';

/**
 * CONTRACTS §B event types the app publishes itself. File 360 announces what
 * happens in File 360 (an escalation raised, a decision recorded), so the app
 * does not publish those again: Push would store, and people would see, two.
 */
export type PublishType = 'annotation.completed' | 'dataset.ready' | 'pipeline.failed';

export interface Publish {
  owner: Owner;
  assignmentId: string | null;
  type: PublishType;
  title: string;
  summary: string;
  users?: string[];
  groups?: string[];
  data: Record<string, unknown>;
  collapseKey?: string;
  /** Published only once this row has been sent. */
  afterId?: number | null;
}

/** What the Outbox calls a publish: whom it tells (people by name where the caller knows them), and what. */
export function publishLabel(recipients: readonly string[], title: string): string {
  return `Notify ${recipients.join(', ')}: ${title}`;
}

/**
 * Queues a Push publish (CONTRACTS §B `POST /push/v1/notifications`). It waits
 * in the outbox until the Push client is there to send it; nothing is lost
 * meanwhile. A publish with nobody to tell is not queued at all.
 */
export function queuePublish(outbox: Outbox, publish: Publish): number | null {
  if (!publish.users?.length && !publish.groups?.length) return null;
  return outbox.enqueue({
    kind: 'push',
    owner: publish.owner,
    assignmentId: publish.assignmentId,
    label: publishLabel([...(publish.users ?? []), ...(publish.groups ?? [])], publish.title),
    payload: {
      ...(publish.users?.length ? { users: publish.users } : {}),
      ...(publish.groups?.length ? { groups: publish.groups } : {}),
      type: publish.type,
      title: publish.title,
      summary: publish.summary.slice(0, 500),
      data: publish.data,
      ...(publish.collapseKey ? { collapse_key: publish.collapseKey } : {}),
    },
    afterId: publish.afterId ?? null,
  });
}

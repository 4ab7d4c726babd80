import type { Outcome } from '../../../shared/decisions';
import type { Route } from '../../../shared/routes';
import type { IncomingNotification } from '../kernel/incoming';

/**
 * What became of a notification natively. Every one is stored; the center lists
 * all but `collapsed` (replaced by a newer one with the same collapse key).
 */
export type Delivery = 'shown' | 'held' | 'muted' | 'expired' | 'collapsed' | 'silent';

/** One row of the notification center, as the UI gets it. */
export interface NotificationItem extends Pick<IncomingNotification, 'source' | 'type' | 'title' | 'summary' | 'topic' | 'collapseKey' | 'created'> {
  id: number;
  /** ISO time this computer stored it. */
  receivedAt: string;
  delivery: Delivery;
  read: boolean;
  /** What a click opens. */
  route: Route;
  /** A decision's outcome, when File 360 said it. */
  outcome: Outcome | null;
}

export interface NotificationQuery {
  filter: 'all' | 'unread';
  type?: string;
  limit: number;
  /** Paging: only items older than this id. */
  beforeId?: number;
}

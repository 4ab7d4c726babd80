import type { Outcome } from '../../../shared/decisions';
import type { Route } from '../../../shared/routes';
import type { NotificationSource } from '../kernel/incoming';

/**
 * What became of a notification natively. Every one is stored; the center lists
 * all but `collapsed` (replaced by a newer one with the same collapse key).
 */
export type Delivery = 'shown' | 'held' | 'muted' | 'expired' | 'collapsed' | 'silent';

/** One row of the notification center, as the UI gets it. */
export interface NotificationItem {
  id: number;
  source: NotificationSource;
  type: string;
  title: string;
  summary: string;
  topic: string | null;
  collapseKey: string | null;
  created: string;
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

/**
 * What the notification center takes in, declared below both its sources: the
 * Push client delivers into a sink of these without knowing the center, and
 * reminders and the app's own notices are the same shape.
 */
export type NotificationSource = 'push' | 'reminder' | 'app';

export interface IncomingNotification {
  source: NotificationSource;
  /** Push seq, unique per account; null for local ones. */
  seq: number | null;
  remoteId: string | null;
  /** A CONTRACTS §B event type. */
  type: string;
  title: string;
  summary: string;
  topic: string | null;
  collapseKey: string | null;
  /** ISO time. */
  created: string;
  expires: string | null;
  /** assignment_id, escalation_id, dataset, session… as relevant. */
  data: Record<string, unknown>;
  /** Fetched as a new device's recent history: listed in the center, never popped up. */
  history?: boolean;
}

/** The center's `receive`: stores a batch and says how many were new; runs inside the Push client's transaction, so it must be synchronous. */
export type NotificationSink = (batch: IncomingNotification[]) => number;

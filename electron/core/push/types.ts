import type { IncomingNotification } from '../notifications/types';

/** `NotificationCenter.receive`: stores a batch and says how many were new; runs inside the client's transaction, so it must be synchronous. */
export type NotificationSink = (batch: IncomingNotification[]) => number;

export type PushState = 'stopped' | 'connecting' | 'live' | 'backoff' | 'catching-up';

/** Notifications numbered after `afterSeq` and before `firstRetainedSeq` expired on the server before this device fetched them. */
export interface PushGap {
  afterSeq: number;
  firstRetainedSeq: number;
}

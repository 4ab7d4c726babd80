

export type PushState = 'stopped' | 'connecting' | 'live' | 'backoff' | 'catching-up';

/** Notifications numbered after `afterSeq` and before `firstRetainedSeq` expired on the server before this device fetched them. */
export interface PushGap {
  afterSeq: number;
  firstRetainedSeq: number;
}

/** Phrases the main process and the renderer both show, kept in one place so they never disagree. */

export type WipeReason = 'expired' | 'revoked' | 'removed';

/** Completes "“Name” …": why an assignment's files left this computer. */
export const WIPE_REASON_WORDS: Record<WipeReason, string> = {
  expired: 'expired',
  revoked: 'was withdrawn',
  removed: 'is no longer shared with you',
};

export const CONNECTION_WORDS = {
  'not-configured': 'No server set',
  'signed-out': 'Not signed in',
  offline: 'Offline',
  online: 'Online',
} as const;

/**
 * Every kind of audit event the app writes, with the words the UI shows.
 * Plain data (no zod) so the renderer can import it.
 */
export const AUDIT_TYPES = [
  'app.started',
  'settings.changed',
  'database.moved_aside',
  'keychain.unavailable',
  'auth.signed_in',
  'auth.signed_out',
  'auth.session_expired',
  'file.downloaded',
  'file.removed',
  'file.rejected',
  'sync.completed',
  'sync.stopped',
  'assignment.wiped',
  'assignment.restored',
  'session.started',
  'session.stopped',
  'session.crashed',
  'session.orphan_stopped',
] as const;

export type AuditType = (typeof AUDIT_TYPES)[number];

export const AUDIT_TYPE_LABELS: Record<AuditType, string> = {
  'app.started': 'App started',
  'settings.changed': 'Setting changed',
  'database.moved_aside': 'Damaged database moved aside',
  'keychain.unavailable': 'Keychain unavailable',
  'auth.signed_in': 'Signed in',
  'auth.signed_out': 'Signed out',
  'auth.session_expired': 'Session ended',
  'file.downloaded': 'File downloaded',
  'file.removed': 'File removed',
  'file.rejected': 'File refused',
  'sync.completed': 'Sync finished',
  'sync.stopped': 'Sync stopped',
  'assignment.wiped': 'Assignment wiped',
  'assignment.restored': 'Assignment shared again',
  'session.started': 'Prodigy session started',
  'session.stopped': 'Prodigy session stopped',
  'session.crashed': 'Prodigy session crashed',
  'session.orphan_stopped': 'Leftover Prodigy stopped',
};

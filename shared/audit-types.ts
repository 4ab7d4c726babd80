/**
 * Every kind of audit event the app writes, with the words the UI shows.
 * Plain data (no zod) so the renderer can import it.
 */
export const AUDIT_TYPES = [
  'app.started',
  'settings.changed',
  'database.moved_aside',
  'keychain.unavailable',
] as const;

export type AuditType = (typeof AUDIT_TYPES)[number];

export const AUDIT_TYPE_LABELS: Record<AuditType, string> = {
  'app.started': 'App started',
  'settings.changed': 'Setting changed',
  'database.moved_aside': 'Damaged database moved aside',
  'keychain.unavailable': 'Keychain unavailable',
};

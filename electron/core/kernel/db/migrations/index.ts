import type { Migration } from '../migrate';
import auditLog from './0001-audit-log';
import appState from './0002-app-state';
import file360 from './0003-file360';
import prodigySessions from './0004-prodigy-sessions';
import prodigySessionTotal from './0005-prodigy-session-total';
import outbox from './0006-outbox';
import pushNotifications from './0007-push-notifications';
import governance from './0008-governance';
import prodigyVersionAgreement from './0009-prodigy-version-agreement';
import wipeDetail from './0010-wipe-detail';
import yearIndexes from './0011-year-indexes';
import outboxOnePendingIndex from './0012-outbox-one-pending-index';

/** Forward-only, applied in order at start. Add a file, never edit a shipped one. */
export const MIGRATIONS: readonly Migration[] = [auditLog, appState, file360, prodigySessions, prodigySessionTotal, outbox, pushNotifications, governance, prodigyVersionAgreement, wipeDetail, yearIndexes, outboxOnePendingIndex];

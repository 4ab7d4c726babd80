import type { Migration } from '../migrate';
import auditLog from './0001-audit-log';
import appState from './0002-app-state';

/** Forward-only, applied in order at start. Add a file, never edit a shipped one. */
export const MIGRATIONS: readonly Migration[] = [auditLog, appState];

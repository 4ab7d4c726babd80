/**
 * Error codes every transport can return, with the words the UI shows when the
 * server side sent no more specific message. Plain data so the renderer can
 * import it without pulling in zod.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_METHOD',
  'INTERNAL',
  'FORBIDDEN_SENDER',
  'TRANSPORT_CLOSED',
  'DB_UNAVAILABLE',
  'DB_CORRUPT',
  'DB_TOO_NEW',
  'DB_UNREADABLE',
  'SETTING_LOCKED',
  'CONFIRMATION_REQUIRED',
  'NOTHING_TO_RECOVER',
  'NO_SERVER',
  'NOT_SIGNED_IN',
  'SIGN_IN_FAILED',
  'SIGNED_OUT',
  'OFFLINE',
  'FILE360_REFUSED',
  'NOT_FOUND',
  'ASSIGNMENT_UNAVAILABLE',
  'PRODIGY_MISSING',
  'PRODIGY_COMMAND_INVALID',
  'PRODIGY_FAILED',
  'SOURCE_INVALID',
  'SESSION_NOT_RUNNING',
  'RECIPE_UNSUPPORTED',
  'UPDATE_NOT_READY',
  'UPDATE_WAITING',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorShape {
  code: ErrorCode;
  message: string;
  /** For INVALID_INPUT: which field was wrong, so a form can say it beside the field. */
  issues?: Array<{ path: string; message: string }>;
}

export const ERROR_TEXT: Record<ErrorCode, string> = {
  INVALID_INPUT: 'The app sent a request it should not have. Nothing was changed.',
  UNKNOWN_METHOD: 'This version of the app does not know how to do that.',
  INTERNAL: 'Something went wrong inside the app. Nothing was lost; the details are in the log.',
  FORBIDDEN_SENDER: 'That request came from a page the app does not trust, so it was refused.',
  TRANSPORT_CLOSED: 'The window lost its connection to the app. Reload the window, or restart the app.',
  DB_UNAVAILABLE: 'The local database could not be opened, so this is unavailable until that is fixed.',
  DB_CORRUPT: 'The local database file is damaged.',
  DB_TOO_NEW: 'The local database was written by a newer version of the app.',
  DB_UNREADABLE: 'The local database file could not be read.',
  SETTING_LOCKED: 'That setting is fixed for this run by a command-line flag or an environment variable.',
  CONFIRMATION_REQUIRED: 'Type the new value again to confirm the change.',
  NOTHING_TO_RECOVER: 'There is no database problem to fix.',
  NO_SERVER: 'Set the File 360 server address and tenant in Settings first.',
  NOT_SIGNED_IN: 'Sign in to File 360 first.',
  SIGN_IN_FAILED: 'Signing in to File 360 did not finish.',
  SIGNED_OUT: 'Your File 360 session ended. Sign in again to continue.',
  OFFLINE: 'File 360 cannot be reached right now. Your files stay available; the app tries again on its own.',
  FILE360_REFUSED: 'File 360 refused the request.',
  NOT_FOUND: 'That item is not on this computer.',
  ASSIGNMENT_UNAVAILABLE: 'That assignment has expired or was withdrawn, so its files were removed from this computer.',
  PRODIGY_MISSING: 'Prodigy could not be found on this computer.',
  PRODIGY_COMMAND_INVALID: 'The Prodigy command in Settings cannot be run as written.',
  PRODIGY_FAILED: 'Prodigy did not start.',
  SOURCE_INVALID: 'Some of the assignment’s task files cannot be read.',
  SESSION_NOT_RUNNING: 'That assignment has no running Prodigy session.',
  RECIPE_UNSUPPORTED: 'This assignment asks for a Prodigy recipe the app cannot run.',
  UPDATE_NOT_READY: 'No update has been downloaded yet.',
  UPDATE_WAITING: 'The update waits until nothing would be interrupted by a restart.',
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

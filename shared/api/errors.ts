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
  'SETTINGS_FILE_INVALID',
  'NOTHING_TO_RECOVER',
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
  SETTINGS_FILE_INVALID: 'The settings file could not be read, so settings cannot be saved until it is reset.',
  NOTHING_TO_RECOVER: 'There is no database problem to fix.',
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

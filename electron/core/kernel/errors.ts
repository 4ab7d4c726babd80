import type { ErrorCode } from '../../../shared/api/errors';

/**
 * An error the user should read. Its message is shown as is, so it must be in
 * plain words and must never contain a secret. Anything else thrown inside a
 * handler is logged and reported as INTERNAL.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

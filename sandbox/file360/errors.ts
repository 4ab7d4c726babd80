/**
 * The three error bodies of CONTRACTS §A.2 and A.1. Handlers throw these; the
 * server turns them into responses in one place (respond.ts).
 */

/** A service error: Documentum-style JSON `{status, code, message, details, id}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details = '',
    /** Fields added beside the standard ones, e.g. `received` on RANGE_NOT_CONTIGUOUS. */
    readonly fields: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** An API-gateway error: `{fault:{faultstring, detail:{errorcode}}}` (auth, throttling). */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly errorcode: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** An OAuth token endpoint error (RFC 6749 §5.2): `{error, error_description}`. */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_grant' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope',
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'NOT_FOUND', `${what} was not found.`);
export const invalidRequest = (message: string) => new ApiError(400, 'INVALID_REQUEST', message);

import { GatewayError, OAuthError, ServiceError } from './wire';

/**
 * Anything File 360 said no to, or could not be reached for. `retryable` and
 * `retryAfterMs` drive the retry policy; `message` is safe to show.
 */
export class File360Error extends Error {
  override name = 'File360Error';

  constructor(
    readonly kind: 'http' | 'network' | 'timeout' | 'invalid-response',
    message: string,
    readonly status: number | null = null,
    /** The server's code (ASSIGNMENT_EXPIRED, invalid_grant, …) when it sent one. */
    readonly code: string | null = null,
    readonly requestId: string | null = null,
    readonly retryAfterMs: number | null = null,
    /** The server's own words (an OAuth `error_description`, a service `message`), unprefixed. */
    readonly detail: string | null = null,
  ) {
    super(message);
  }

  /** Network trouble, timeouts, 5xx, 408, 425 and 429 may succeed later; other answers will not. */
  get retryable(): boolean {
    if (this.kind !== 'http') return this.kind !== 'invalid-response';
    const status = this.status ?? 0;
    return status >= 500 || status === 408 || status === 425 || status === 429;
  }
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

const STATUS_WORDS: Record<number, string> = {
  400: 'File 360 did not accept the request',
  401: 'File 360 asked you to sign in again',
  403: 'File 360 refused access',
  404: 'File 360 could not find it',
  409: 'File 360 reported a conflict',
  413: 'File 360 said it was too large',
  422: 'File 360 could not process it',
  429: 'File 360 is busy and asked the app to slow down',
  500: 'File 360 had an internal error',
  502: 'File 360 could not be reached through its gateway',
  503: 'File 360 is temporarily unavailable',
  504: 'File 360 took too long to answer',
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads any error body the contract allows (service, gateway, OAuth) or none
 * at all (a proxy's HTML page), and keeps the server's words only when it sent some.
 */
export function errorFromResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  now: number,
): File360Error {
  const requestId = (headers['x-request-id'] as string | undefined) ?? null;
  const retryAfterMs = parseRetryAfter(headers['retry-after'], now);
  const json = parseJson(body);
  let code: string | null = null;
  let detail: string | undefined;

  const service = ServiceError.safeParse(json);
  const gateway = GatewayError.safeParse(json);
  const oauth = OAuthError.safeParse(json);
  if (service.success) {
    code = service.data.code;
    detail = service.data.message;
  } else if (gateway.success) {
    code = gateway.data.fault.detail?.errorcode ?? null;
    detail = gateway.data.fault.faultstring;
  } else if (oauth.success) {
    code = oauth.data.error;
    detail = oauth.data.error_description;
  }
  const words = STATUS_WORDS[status] ?? `File 360 answered ${status}`;
  const message = detail ? `${words}: ${detail.slice(0, 300)}` : `${words} (HTTP ${status}).`;
  return new File360Error('http', message, status, code, requestId, retryAfterMs, detail?.slice(0, 300) ?? null);
}

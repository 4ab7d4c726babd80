import http from 'node:http';
import type { Readable } from 'node:stream';
import type { BodyWriter } from './body-writer';
import { ApiError, GatewayError, OAuthError } from './errors';
import type { Exchange } from './exchange';

/** Writes status, headers and body (none for HEAD and 304) through the fault-aware writer. */
export function createSend(writer: BodyWriter): (ex: Exchange, status: number, headers: http.OutgoingHttpHeaders, body?: Buffer | Readable) => Promise<void> {
  return async (ex, status, headers, body) => {
    ex.res.writeHead(status, headers);
    if (!body || ex.req.method === 'HEAD' || status === 304) {
      if (body && !Buffer.isBuffer(body)) body.destroy();
      ex.res.end();
      return;
    }
    await writer.write(ex, body);
  };
}

export function sendJson(ex: Exchange, status: number, value: unknown, headers: http.OutgoingHttpHeaders = {}): Promise<void> {
  const body = Buffer.from(JSON.stringify(value));
  return ex.send(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store', ...headers }, body);
}

/** Every error a handler throws, in the body its kind calls for. */
export function sendError(ex: Exchange, error: unknown): Promise<void> {
  if (error instanceof GatewayError) {
    return sendJson(ex, error.status, { fault: { faultstring: error.message, detail: { errorcode: error.errorcode } } }, error.headers);
  }
  if (error instanceof OAuthError) {
    return sendJson(ex, 400, { error: error.error, error_description: error.message });
  }
  const apiError =
    error instanceof ApiError
      ? error
      : new ApiError(500, 'INTERNAL_ERROR', 'The sandbox failed to handle this request.', error instanceof Error ? error.message : String(error));
  if (!(error instanceof ApiError)) console.error('[file360 sandbox]', error);
  const body = { status: apiError.status, code: apiError.code, message: apiError.message, details: apiError.details, id: ex.requestId, ...apiError.fields };
  return sendJson(ex, apiError.status, body, apiError.headers);
}

/** The plain page a proxy in front of the service might send instead of JSON. */
export function sendHtmlError(ex: Exchange, status: number, headers: http.OutgoingHttpHeaders): Promise<void> {
  const text = http.STATUS_CODES[status] ?? 'Error';
  const body = Buffer.from(`<!doctype html><html><head><title>${status} ${text}</title></head><body><h1>${status} ${text}</h1></body></html>`);
  return ex.send(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length, ...headers }, body);
}

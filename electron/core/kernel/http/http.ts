import type { Readable } from 'node:stream';
import { DelegateBackoff, decorrelatedJitterGenerator, handleWhen, retry } from 'cockatiel';
import { Agent, errors as undiciErrors, request } from 'undici';
import type { z } from 'zod';
import { File360Error, errorFromResponse } from './errors';

export interface HttpOptions {
  userAgent: string;
  connectTimeoutMs?: number;
  /** Longest wait for response headers. */
  headersTimeoutMs?: number;
  /** Longest silence in the middle of a body: a stalled download fails instead of hanging. */
  bodyTimeoutMs?: number;
  maxAttempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited out; the caller gets the error. */
  maxRetryAfterMs?: number;
  /** Largest JSON answer read into memory (default JSON_BODY_LIMIT). */
  maxJsonBytes?: number;
}

/**
 * What one answer may hold in memory. A JSON page is at most 1000 items
 * (CONTRACTS §A.3); at a generous 16 KiB an item that is 16 MiB, and parsed it
 * costs a few times that, well inside the app's memory budget (DESIGN §8). An
 * error body is only read for its message. Content is never buffered: its cap
 * is the manifest's size for the file, checked as the bytes stream (sync/downloader.ts).
 */
export const JSON_BODY_LIMIT = 16 * 1024 * 1024;
export const ERROR_BODY_LIMIT = 64 * 1024;

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /**
   * `idempotent`: safe to send twice (GET, PUT of a range, POST with an Idempotency-Key).
   * `unsent-only`: retried only when it surely never reached the server (token requests:
   * a refresh token is single-use, so a lost answer must not be replayed).
   */
  retry: 'idempotent' | 'unsent-only' | 'never';
}

export interface StreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

export interface Http {
  json<T extends z.ZodType>(req: HttpRequest, schema: T): Promise<z.output<T>>;
  /** Sends a request and returns a non-error response's body as a stream; never retried. */
  stream(req: Omit<HttpRequest, 'retry'>): Promise<StreamResponse>;
  /**
   * Sends a request and returns whatever came back, errors included, without
   * reading them as File 360's: for another server (object storage), whose
   * answers must never pass for File 360's codes. Never retried.
   */
  raw(req: Omit<HttpRequest, 'retry'>): Promise<StreamResponse>;
  close(): Promise<void>;
}

const UNSENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function networkError(error: unknown): File360Error {
  if (error instanceof File360Error) return error;
  const code = (error as { code?: string }).code ?? '';
  if (error instanceof undiciErrors.BodyTimeoutError) return new File360Error('timeout', 'File 360 stopped sending data.', null, code);
  if (error instanceof undiciErrors.HeadersTimeoutError) return new File360Error('timeout', 'File 360 took too long to answer.', null, code);
  if (error instanceof undiciErrors.ConnectTimeoutError) return new File360Error('timeout', 'File 360 could not be reached in time.', null, code);
  if ((error as Error).name === 'AbortError') throw error;
  return new File360Error('network', `File 360 could not be reached${whyUnreachable(code)}.`, null, code);
}

/** Why a server could not be reached, from the system's error code, in words ("" when the code says nothing a person could use). */
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'nothing answered at its address',
  ECONNRESET: 'the connection was cut',
  ENOTFOUND: 'its address could not be found',
  EAI_AGAIN: 'its address could not be looked up',
  EHOSTUNREACH: 'the network has no way to it',
  ENETUNREACH: 'this computer is not connected to a network',
};

export function whyUnreachable(code: string | null): string {
  const words = code ? UNREACHABLE[code] : undefined;
  return words ? `: ${words}` : '';
}

function isRetryable(mode: HttpRequest['retry'], error: unknown): boolean {
  if (!(error instanceof File360Error) || mode === 'never') return false;
  if (mode === 'idempotent') return error.retryable;
  return UNSENT.has(error.code ?? '') || error.status === 429 || error.status === 503;
}

function mebibytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/**
 * Reads a body into memory, at most `limit` bytes: past that it stops reading
 * and throws, or with `truncate` keeps what it has (an error body is only read
 * for its words).
 */
async function readAll(response: StreamResponse, limit: number, truncate = false): Promise<string> {
  const tooLarge = () => new File360Error('invalid-response', `File 360 sent an answer larger than ${mebibytes(limit)}; the app stopped reading it.`, response.status);
  const announced = Number(response.headers['content-length']);
  if (!truncate && Number.isFinite(announced) && announced > limit) {
    response.body.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    const bytes = chunk as Buffer;
    const room = limit - size;
    if (bytes.length > room) {
      if (!truncate) throw tooLarge();
      chunks.push(bytes.subarray(0, room));
      break;
    }
    chunks.push(bytes);
    size += bytes.length;
  }
  // Leaving the loop early destroys the body; its error, if any, goes to the listener send() attached.
  return Buffer.concat(chunks).toString('utf8');
}

/** Decorrelated jitter (AWS) between attempts, unless the server said how long to wait. */
function backoffOf(options: HttpOptions) {
  const jitter = {
    generator: decorrelatedJitterGenerator,
    initialDelay: options.initialDelayMs ?? 250,
    maxDelay: options.maxDelayMs ?? 30_000,
    exponent: 2,
  };
  type JitterState = Parameters<typeof decorrelatedJitterGenerator>[0];
  return new DelegateBackoff<{ result: unknown; attempt: number }, JitterState>((context, state) => {
    const result = context.result as { error?: unknown };
    const asked = result.error instanceof File360Error ? result.error.retryAfterMs : null;
    const [delay, next] = decorrelatedJitterGenerator(state, jitter);
    return { delay: asked ?? delay, state: next };
  });
}

/** A successful answer's body, read within its limit, parsed and checked against what the caller expects. */
async function jsonOf<S extends z.ZodType>(response: StreamResponse, limit: number, schema: S): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readAll(response, limit);
  } catch (error) {
    throw networkError(error);
  }
  if (response.status === 204 || text === '') return schema.parse(undefined);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new File360Error('invalid-response', 'File 360 sent an answer that is not JSON.', response.status);
  }
  const checked = schema.safeParse(parsed);
  if (!checked.success) {
    throw new File360Error('invalid-response', `File 360 sent an answer this app does not understand (${checked.error.issues[0]?.path.join('.') || 'body'}).`, response.status);
  }
  return checked.data;
}

export function createHttp(options: HttpOptions): Http {
  const agent = new Agent({
    connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    headersTimeout: options.headersTimeoutMs ?? 30_000,
    bodyTimeout: options.bodyTimeoutMs ?? 30_000,
    keepAliveTimeout: 10_000,
  });
  const maxRetryAfter = options.maxRetryAfterMs ?? 120_000;
  const backoff = backoffOf(options);

  async function raw(req: Omit<HttpRequest, 'retry'>): Promise<StreamResponse> {
    let response;
    try {
      response = await request(req.url, {
        method: req.method,
        headers: { 'user-agent': options.userAgent, ...req.headers },
        body: req.body,
        signal: req.signal,
        dispatcher: agent,
      });
    } catch (error) {
      throw networkError(error);
    }
    // Whoever holds the body may drop it (destroy, or simply stop reading): an error it emits then
    // must not become an uncaught exception. Readers still see errors through for-await and pipeline.
    response.body.on('error', () => undefined);
    return { status: response.statusCode, headers: response.headers, body: response.body };
  }

  async function send(req: Omit<HttpRequest, 'retry'>): Promise<StreamResponse> {
    const answer = await raw(req);
    if (answer.status >= 400) {
      const text = await readAll(answer, ERROR_BODY_LIMIT, true).catch(() => '');
      throw errorFromResponse(answer.status, answer.headers, text, Date.now());
    }
    return answer;
  }

  return {
    async json(req, schema) {
      const policy = retry(
        handleWhen((error) => isRetryable(req.retry, error) && ((error as File360Error).retryAfterMs ?? 0) <= maxRetryAfter),
        { maxAttempts: req.retry === 'never' ? 0 : (options.maxAttempts ?? 5), backoff },
      );
      return policy.execute(async () => jsonOf(await send(req), options.maxJsonBytes ?? JSON_BODY_LIMIT, schema), req.signal);
    },
    stream: send,
    raw,
    close: () => agent.close(),
  };
}

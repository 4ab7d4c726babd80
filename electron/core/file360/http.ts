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
}

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
  return new File360Error('network', `File 360 could not be reached (${code || (error as Error).message}).`, null, code);
}

function isRetryable(mode: HttpRequest['retry'], error: unknown): boolean {
  if (!(error instanceof File360Error) || mode === 'never') return false;
  if (mode === 'idempotent') return error.retryable;
  return UNSENT.has(error.code ?? '') || error.status === 429 || error.status === 503;
}

async function readAll(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function createHttp(options: HttpOptions): Http {
  const agent = new Agent({
    connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    headersTimeout: options.headersTimeoutMs ?? 30_000,
    bodyTimeout: options.bodyTimeoutMs ?? 30_000,
    keepAliveTimeout: 10_000,
  });
  const maxRetryAfter = options.maxRetryAfterMs ?? 120_000;
  const jitter = {
    generator: decorrelatedJitterGenerator,
    initialDelay: options.initialDelayMs ?? 250,
    maxDelay: options.maxDelayMs ?? 30_000,
    exponent: 2,
  };

  // Decorrelated jitter (AWS) between attempts, unless the server said how long to wait.
  type JitterState = Parameters<typeof decorrelatedJitterGenerator>[0];
  const backoff = new DelegateBackoff<{ result: unknown; attempt: number }, JitterState>((context, state) => {
    const result = context.result as { error?: unknown };
    const asked = result.error instanceof File360Error ? result.error.retryAfterMs : null;
    const [delay, next] = decorrelatedJitterGenerator(state, jitter);
    return { delay: asked ?? delay, state: next };
  });

  async function send(req: Omit<HttpRequest, 'retry'>): Promise<StreamResponse> {
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
    if (response.statusCode >= 400) {
      const text = await readAll(response.body).catch(() => '');
      throw errorFromResponse(response.statusCode, response.headers, text, Date.now());
    }
    return { status: response.statusCode, headers: response.headers, body: response.body };
  }

  return {
    async json(req, schema) {
      const policy = retry(
        handleWhen((error) => isRetryable(req.retry, error) && ((error as File360Error).retryAfterMs ?? 0) <= maxRetryAfter),
        { maxAttempts: req.retry === 'never' ? 0 : (options.maxAttempts ?? 5), backoff },
      );
      return policy.execute(async () => {
        const response = await send(req);
        let text: string;
        try {
          text = await readAll(response.body);
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
      }, req.signal);
    },
    stream: send,
    close: () => agent.close(),
  };
}

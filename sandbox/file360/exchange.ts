import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { ApiError } from './errors';
import type { BodyFaults } from './faults';

/** One request and its response, with what the server worked out about it. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  /** The request URL made absolute against the sandbox's base URL. */
  url: URL;
  requestId: string;
  params: Record<string, string>;
  bodyFaults: BodyFaults;
  send(status: number, headers: OutgoingHttpHeaders, body?: Buffer | Readable): Promise<void>;
  /** Set on file content responses, so the bytes written are counted per file. */
  statsFileId?: string;
}

/** An exchange whose `send` writes through `send` (createSend): the File 360 listener's and the storage's alike. */
export function createExchange(
  parts: Omit<Exchange, 'send' | 'params'>,
  send: (ex: Exchange, status: number, headers: OutgoingHttpHeaders, body?: Buffer | Readable) => Promise<void>,
): Exchange {
  const ex: Exchange = { ...parts, params: {}, send: (status, headers, body) => send(ex, status, headers, body) };
  return ex;
}

const MAX_JSON_BYTES = 4 * 1024 * 1024;

async function readText(ex: Exchange, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of ex.req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit) throw new ApiError(413, 'INVALID_REQUEST', `The request body is larger than ${limit} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses and validates a JSON body; anything else is a 400 that says what was wrong. */
export async function readJson<T extends z.ZodType>(ex: Exchange, schema: T): Promise<z.output<T>> {
  const text = await readText(ex, MAX_JSON_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'INVALID_REQUEST', 'The request body is not valid JSON.');
  }
  const checked = schema.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'body';
    throw new ApiError(400, 'INVALID_REQUEST', `Invalid field ${where}: ${issue?.message ?? 'not accepted'}.`);
  }
  return checked.data;
}

export async function readForm(ex: Exchange): Promise<URLSearchParams> {
  return new URLSearchParams(await readText(ex, 64 * 1024));
}

export function header(ex: Exchange, name: string): string | undefined {
  const value = ex.req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

import { createHash } from 'node:crypto';
import { onTestFinished } from 'vitest';
import { startFile360Sandbox, type File360Sandbox, type File360SandboxOptions } from '../../sandbox/file360';

import { signIn } from './sandbox-oauth';

export { authorizeUrl, callbackListener, hiddenFields, pkce, signIn, submitApprovePage, tokenRequest, type Tokens } from './sandbox-oauth';

/** A sandbox closed when the current test finishes. */
export async function sandbox(options: File360SandboxOptions = {}): Promise<File360Sandbox> {
  const started = await startFile360Sandbox(options);
  onTestFinished(() => started.close());
  return started;
}

/** A JSON API call as the signed-in user; `T` is what the test expects the body to be. */
export async function api<T = Record<string, unknown>>(sb: File360Sandbox, token: string, path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: T }> {
  const response = await fetch(`${sb.url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

export interface Collection<T> {
  _embedded: { collection: T[] };
  _links: { self: { href: string }; next?: { href: string } };
  page: number;
  items_per_page: number;
  total?: number;
}

/** Every item of a HAL collection, following `_links.next`; also returns the pages seen. */
export async function allPages<T>(sb: File360Sandbox, token: string, path: string): Promise<{ items: T[]; pages: Collection<T>[] }> {
  const pages: Collection<T>[] = [];
  let url: string | undefined = `${sb.url}${path}`;
  while (url) {
    const { status, body }: { status: number; body: Collection<T> } = await api<Collection<T>>(sb, token, url.slice(sb.url.length));
    if (status !== 200) throw new Error(`GET ${url} answered ${status}`);
    pages.push(body);
    url = body._links.next?.href;
  }
  return { items: pages.flatMap((page) => page._embedded.collection), pages };
}

/** Reads a response body as far as it goes; a connection error ends it rather than throwing. */
export async function readUntilError(response: Response): Promise<{ bytes: Buffer; error?: unknown }> {
  const chunks: Buffer[] = [];
  const reader = response.body?.getReader();
  try {
    for (let next = await reader?.read(); next && !next.done; next = await reader?.read()) chunks.push(Buffer.from(next.value));
    return { bytes: Buffer.concat(chunks) };
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Ana asks the reviewers of her triage assignment about one item, straight at
 * File 360, which tells them through Push (review.requested). `key` tells one
 * question from another (it is also the idempotency key).
 */
export async function askReviewers(sb: File360Sandbox, key = 'e2e-question', text = 'I cancelled last week and still want my money back for this month.'): Promise<string> {
  const { access_token: token } = await signIn(sb, 'ana');
  const hash = [...key].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 1_000_000, 7);
  const { status, body } = await api<{ id: string }>(sb, token, '/file360/v1/escalations', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
    body: JSON.stringify({
      assignment_id: 'asg-support-triage',
      reason: 'question',
      note: 'Is a refund request after cancelling billing or cancellation?',
      item: {
        input_hash: hash,
        task: { text, _input_hash: hash },
        versions: [{ answer: 'accept', accept: ['billing'], session_id: 'support_intents_batch7-u-ana' }],
        file_ids: [],
      },
    }),
  });
  if (status !== 201) throw new Error(`escalation not created: ${status} ${JSON.stringify(body)}`);
  return body.id;
}

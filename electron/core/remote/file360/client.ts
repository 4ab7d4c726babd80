import { z } from 'zod';
import { REMOTE_ID } from '../../../../shared/ids';
import { parseUrl } from '../../../../shared/url';
import { fetchContent, type ContentRequest, type ContentResponse } from './content';
import { File360Error } from '../../kernel/http/errors';
import type { Http } from '../../kernel/http/http';
import type { Owner } from '../../kernel/identity';
import type { File360Session } from './session';
import { Assignment, AuditAccepted, AuditRecord, ChunkAnswer, CommitAnswer, CommittedUpload, Escalation, ManifestItem, Me, UploadState } from './wire';
import { Collection } from '../../kernel/http/wire';

const PAGE_SIZE = 1000;
/** 10 000 pages of 1000 items is far beyond any assignment; a longer `next` chain is a server bug. */
const MAX_PAGES = 10_000;
/** Each item is checked on its own (collect), so one that cannot be read is named instead of failing the page. */
const Page = Collection(z.unknown());

/** An item of a collection that did not pass its schema: what it was, and why, in words. */
/** A signed-in account's client and whose data it reads and writes. */
export interface Connection {
  client: File360Client;
  owner: Owner;
}

export interface Unreadable {
  /** Its `id`, when it had a usable one. */
  id: string | null;
  name: string | null;
  reason: string;
}

/** A whole collection: the items that passed their schema, and those that did not. */
export interface Listing<T> {
  items: T[];
  unreadable: Unreadable[];
}

function unreadable(raw: unknown, error: z.ZodError): Unreadable {
  const fields = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const issue = error.issues[0];
  return {
    id: typeof fields.id === 'string' && REMOTE_ID.test(fields.id) ? fields.id : null,
    name: typeof fields.name === 'string' ? fields.name.slice(0, 200) : null,
    reason: `${issue?.path.join('.') || 'item'}: ${issue?.message ?? 'not understood'}`,
  };
}

export type { ContentRequest, ContentResponse } from './content';

export interface NewUpload {
  kind: 'export' | 'package' | 'escalation' | 'decision';
  name: string;
  size: number;
  sha256: string;
  mime_type: string;
  metadata: Record<string, unknown>;
}

export interface EscalationQuery {
  role?: 'reviewer' | 'annotator';
  state?: 'open' | 'claimed' | 'completed';
  assignment_id?: string;
  updated_after?: string;
}

export type EscalationAction =
  | { action: 'claim' }
  | { action: 'complete'; outcome: 'approved' | 'corrected' | 'rejected'; corrected_task?: Record<string, unknown>; comment?: string };

/**
 * Writes are sent once per call (`retry: 'never'`): the outbox decides when to
 * try again, and every write carries an Idempotency-Key or is idempotent by contract.
 */
export interface File360Client {
  me(): Promise<Me>;
  /** Every assignment shared with the user; one File 360 describes in a form the app cannot read is listed apart, with why. */
  assignments(): Promise<Listing<Assignment>>;
  manifest(assignmentId: string, signal?: AbortSignal): Promise<ManifestItem[]>;
  /** The bytes of one version, from File 360 or the object storage it redirects to (§A.6). */
  content(request: ContentRequest): Promise<ContentResponse>;
  createUpload(assignmentId: string, key: string, upload: NewUpload): Promise<UploadState>;
  /**
   * §A.7 step 5: create, send and commit one chunk's worth in one request, the
   * metadata in Upload-Metadata (base64url JSON, as tus sends it). A server
   * without it answers 415 (or 413 for more than its chunk_size): use the steps.
   */
  uploadAtOnce(assignmentId: string, key: string, upload: NewUpload, bytes: Buffer): Promise<{ id: string; file: ManifestItem }>;
  uploadState(uploadId: string): Promise<UploadState>;
  putChunk(uploadId: string, range: { start: number; size: number }, bytes: Buffer): Promise<{ received: number }>;
  commitUpload(uploadId: string, sha256: string): Promise<ManifestItem>;
  createEscalation(key: string, body: Record<string, unknown>): Promise<Escalation>;
  escalations(query: EscalationQuery): Promise<Escalation[]>;
  escalation(id: string): Promise<Escalation>;
  actOnEscalation(id: string, action: EscalationAction): Promise<Escalation>;
  postAuditEvents(key: string, events: Array<Record<string, unknown>>): Promise<number>;
  /** One page of File 360's history for an assignment, oldest first, after the entry `afterId`. */
  auditHistory(assignmentId: string, afterId: string | null): Promise<{ items: AuditRecord[]; more: boolean }>;
}

type Get = <T extends z.ZodType>(url: string, schema: T, signal?: AbortSignal) => Promise<z.output<T>>;

/** The session's token on every request: reads are retried as idempotent, writes are sent once. */
function authorizedRequests(session: File360Session, http: Http) {
  const get: Get = (url, schema, signal) =>
    session.authorized((token) =>
      http.json({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, retry: 'idempotent', signal }, schema),
    );
  const send = <T extends z.ZodType>(method: 'POST' | 'PUT', url: string, schema: T, body: string | Buffer, headers: Record<string, string> = {}) =>
    session.authorized((token) =>
      http.json(
        {
          method,
          url,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': typeof body === 'string' ? 'application/json' : 'application/octet-stream', ...headers },
          body,
          retry: 'never',
        },
        schema,
      ),
    );
  return { get, send };
}

/**
 * Follows `_links.next` to the end, on this server only (the bearer token must
 * never go elsewhere), and stops at once, with words, at a link it has
 * already followed or an empty page that still points on: either would loop.
 */
async function collect<T extends z.ZodType>(get: Get, api: string, first: string, item: T, signal?: AbortSignal): Promise<Listing<z.output<T>>> {
  const origin = new URL(api).origin;
  const listing: Listing<z.output<T>> = { items: [], unreadable: [] };
  const seen = new Set<string>();
  for (let url: string | undefined = first; url; ) {
    if (seen.size >= MAX_PAGES) throw new File360Error('invalid-response', 'File 360 kept sending more pages than any assignment can have.');
    seen.add(url);
    const body: z.output<typeof Page> = await get(url, Page, signal);
    for (const raw of body._embedded.collection) {
      const checked = item.safeParse(raw);
      if (checked.success) listing.items.push(checked.data as z.output<T>);
      else listing.unreadable.push(unreadable(raw, checked.error));
    }
    const href = body._links.next?.href;
    if (href === undefined) break;
    const next = parseUrl(href, `${api}/`);
    if (!next) throw new File360Error('invalid-response', 'File 360 sent a link to the next page that is not an address.');
    if (next.origin !== origin) throw new File360Error('invalid-response', 'File 360 pointed the next page at another server; the app did not follow it.');
    if (seen.has(next.href)) throw new File360Error('invalid-response', 'File 360 pointed the next page back at a page it had already sent; the app stopped following it.');
    if (body._embedded.collection.length === 0) throw new File360Error('invalid-response', 'File 360 sent an empty page that still pointed to another; the app stopped following it.');
    url = next.href;
  }
  return listing;
}

/** A collection where one unreadable item fails the whole answer, naming it. */
async function collectAll<T extends z.ZodType>(get: Get, api: string, first: string, item: T, signal?: AbortSignal): Promise<Array<z.output<T>>> {
  const { items, unreadable: [bad] } = await collect(get, api, first, item, signal);
  if (bad) throw new File360Error('invalid-response', `File 360 sent an answer this app does not understand (${bad.id ? `${bad.id}: ` : ''}${bad.reason}).`);
  return items;
}

export function createFile360Client(session: File360Session, http: Http): File360Client {
  const api = `${session.server}/file360/v1`;
  const { get, send } = authorizedRequests(session, http);
  const id = (value: string) => encodeURIComponent(value);

  return {
    createUpload: (assignmentId, key, upload) =>
      send('POST', `${api}/assignments/${id(assignmentId)}/uploads`, UploadState, JSON.stringify(upload), { 'idempotency-key': key }),
    uploadAtOnce: async (assignmentId, key, upload, bytes) => {
      const metadata = Buffer.from(JSON.stringify(upload)).toString('base64url');
      const done = await send('POST', `${api}/assignments/${id(assignmentId)}/uploads`, CommittedUpload, bytes, { 'idempotency-key': key, 'upload-metadata': metadata });
      return { id: done.id, file: done.file };
    },
    uploadState: (uploadId) => get(`${api}/uploads/${id(uploadId)}`, UploadState),
    putChunk: (uploadId, { start, size }, bytes) =>
      send('PUT', `${api}/uploads/${id(uploadId)}`, ChunkAnswer, bytes, { 'content-range': `bytes ${start}-${start + bytes.length - 1}/${size}` }),
    commitUpload: async (uploadId, sha256) => (await send('POST', `${api}/uploads/${id(uploadId)}/commit`, CommitAnswer, JSON.stringify({ sha256 }))).file,
    createEscalation: (key, body) => send('POST', `${api}/escalations`, Escalation, JSON.stringify(body), { 'idempotency-key': key }),
    escalations: (query) => {
      const params = new URLSearchParams({ page: '1', 'items-per-page': String(PAGE_SIZE) });
      for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
      return collectAll(get, api, `${api}/escalations?${params}`, Escalation);
    },
    escalation: (escalationId) => get(`${api}/escalations/${id(escalationId)}`, Escalation),
    actOnEscalation: (escalationId, action) => send('POST', `${api}/escalations/${id(escalationId)}`, Escalation, JSON.stringify(action)),
    postAuditEvents: async (key, events) => (await send('POST', `${api}/audit/events`, AuditAccepted, JSON.stringify({ events }), { 'idempotency-key': key })).accepted,
    async auditHistory(assignmentId, afterId) {
      // Always page 1 after the last id seen: the cursor, not a page number, says where to resume.
      const params = new URLSearchParams({ assignment_id: assignmentId, page: '1', 'items-per-page': String(PAGE_SIZE), ...(afterId ? { after_id: afterId } : {}) });
      const body = await get(`${api}/audit?${params}`, Collection(AuditRecord));
      return { items: body._embedded.collection, more: body._links.next !== undefined };
    },
    me: () => get(`${api}/me`, Me),
    assignments: () => collect(get, api, `${api}/assignments?page=1&items-per-page=${PAGE_SIZE}`, Assignment),
    manifest: (id, signal) => collectAll(get, api, `${api}/assignments/${encodeURIComponent(id)}/files?page=1&items-per-page=${PAGE_SIZE}`, ManifestItem, signal),
    content: (request) => fetchContent(http, api, (call) => session.authorized(call), request),
  };
}

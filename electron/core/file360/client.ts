import type { z } from 'zod';
import { File360Error } from './errors';
import type { Http, StreamResponse } from './http';
import type { File360Session } from './session';
import { Assignment, AuditAccepted, AuditRecord, ChunkAnswer, Collection, CommitAnswer, Escalation, ManifestItem, Me, UploadState } from './wire';

const PAGE_SIZE = 1000;
/** A runaway `next` chain is a server bug; stop rather than loop forever. */
const MAX_PAGES = 10_000;

export interface ContentRequest {
  fileId: string;
  version: number;
  /** Resume from this byte, if the server's copy still has this ETag. */
  resume?: { from: number; etag: string };
  signal?: AbortSignal;
}

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
  assignments(): Promise<Assignment[]>;
  manifest(assignmentId: string, signal?: AbortSignal): Promise<ManifestItem[]>;
  content(request: ContentRequest): Promise<StreamResponse>;
  createUpload(assignmentId: string, key: string, upload: NewUpload): Promise<UploadState>;
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

export function createFile360Client(session: File360Session, http: Http): File360Client {
  const api = `${session.server}/file360/v1`;
  const origin = new URL(session.server).origin;

  const get = <T extends z.ZodType>(url: string, schema: T, signal?: AbortSignal) =>
    session.authorized((token) =>
      http.json({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, retry: 'idempotent', signal }, schema),
    );

  /** Follows `_links.next` to the end, on this server only: the bearer token must never go elsewhere. */
  async function collect<T extends z.ZodType>(first: string, item: T, signal?: AbortSignal): Promise<Array<z.output<T>>> {
    const schema = Collection(item);
    const items: Array<z.output<T>> = [];
    let url: string | undefined = first;
    for (let page = 0; url; page += 1) {
      if (page >= MAX_PAGES) throw new File360Error('invalid-response', 'File 360 kept sending more pages than any assignment can have.');
      const body: z.output<typeof schema> = await get(url, schema, signal);
      items.push(...(body._embedded.collection as Array<z.output<T>>));
      const next = body._links.next?.href;
      url = next ? new URL(next, `${api}/`).href : undefined;
      if (url && new URL(url).origin !== origin) {
        throw new File360Error('invalid-response', 'File 360 pointed the next page at another server; the app did not follow it.');
      }
    }
    return items;
  }

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
  const id = (value: string) => encodeURIComponent(value);

  return {
    createUpload: (assignmentId, key, upload) =>
      send('POST', `${api}/assignments/${id(assignmentId)}/uploads`, UploadState, JSON.stringify(upload), { 'idempotency-key': key }),
    uploadState: (uploadId) => get(`${api}/uploads/${id(uploadId)}`, UploadState),
    putChunk: (uploadId, { start, size }, bytes) =>
      send('PUT', `${api}/uploads/${id(uploadId)}`, ChunkAnswer, bytes, { 'content-range': `bytes ${start}-${start + bytes.length - 1}/${size}` }),
    commitUpload: async (uploadId, sha256) => (await send('POST', `${api}/uploads/${id(uploadId)}/commit`, CommitAnswer, JSON.stringify({ sha256 }))).file,
    createEscalation: (key, body) => send('POST', `${api}/escalations`, Escalation, JSON.stringify(body), { 'idempotency-key': key }),
    escalations: (query) => {
      const params = new URLSearchParams({ page: '1', 'items-per-page': String(PAGE_SIZE) });
      for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
      return collect(`${api}/escalations?${params}`, Escalation);
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
    assignments: () => collect(`${api}/assignments?page=1&items-per-page=${PAGE_SIZE}`, Assignment),
    manifest: (id, signal) => collect(`${api}/assignments/${encodeURIComponent(id)}/files?page=1&items-per-page=${PAGE_SIZE}`, ManifestItem, signal),
    content({ fileId, version, resume, signal }) {
      const url = `${api}/files/${encodeURIComponent(fileId)}/content?version=${version}`;
      return session.authorized((token) => {
        const headers: Record<string, string> = { authorization: `Bearer ${token}` };
        if (resume) {
          headers.range = `bytes=${resume.from}-`;
          headers['if-range'] = resume.etag;
        }
        return http.stream({ method: 'GET', url, headers, signal });
      });
    },
  };
}

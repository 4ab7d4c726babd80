import type { z } from 'zod';
import { File360Error } from './errors';
import type { Http, StreamResponse } from './http';
import type { File360Session } from './session';
import { Assignment, Collection, ManifestItem, Me } from './wire';

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

export interface File360Client {
  me(): Promise<Me>;
  assignments(): Promise<Assignment[]>;
  manifest(assignmentId: string, signal?: AbortSignal): Promise<ManifestItem[]>;
  content(request: ContentRequest): Promise<StreamResponse>;
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

  return {
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

import { File360Error } from '../../kernel/http/errors';
import { whyUnreachable, type Http, type StreamResponse } from '../../kernel/http/http';

/**
 * A file's bytes, from File 360 itself or from the object storage it sent the
 * app to (CONTRACTS §A.6, revised): a 302 or 307 to a pre-signed URL on
 * another origin. The signature in that URL is the credential, so the bearer
 * token never goes there (as browsers drop Authorization on a cross-origin
 * redirect: WHATWG Fetch, "HTTP-redirect fetch").
 */

/** The validator a storage origin gave for a partial it sent, for If-Range when the download resumes there. */
export interface StorageValidator {
  origin: string;
  etag: string;
}

export interface ContentRequest {
  fileId: string;
  version: number;
  /** Resume from this byte, if the copy still has this ETag (File 360's), or `storage`'s where it came from there. */
  resume?: { from: number; etag: string; storage?: StorageValidator | null };
  signal?: AbortSignal;
}

export interface ContentResponse extends StreamResponse {
  /** Who sent these bytes: File 360, or the storage it redirected to (named by origin, for words and validators). */
  source: 'file360' | 'storage';
  origin: string;
}

/** 302 and 307 are what the contract names; S3 itself answers 307 to move a request to another region. */
const REDIRECTS = new Set([302, 307]);
/** File 360 → storage, and a storage that moves the request on (a region, a CDN edge) once or twice. */
const MAX_HOPS = 3;
/** A signature that expired on the way is asked for again; a storage that refuses every fresh one is not asked forever. */
export const MAX_FRESH_LINKS = 3;

function hostOf(url: URL): string {
  return url.host;
}

/**
 * Where File 360 may send the app: https only. Plain http is accepted for
 * 127.0.0.1 alone, and only when File 360 itself is plain http on this
 * computer (the sandbox and the tests); a real server can never point the app
 * at a service on the user's own machine.
 */
export function checkStorageUrl(location: string | string[] | undefined, from: URL, file360: URL): URL {
  const text = Array.isArray(location) ? location[0] : location;
  if (!text) throw new File360Error('invalid-response', 'File 360 redirected the download without saying where to (no Location).');
  let url: URL;
  try {
    url = new URL(text, from);
  } catch {
    throw new File360Error('invalid-response', 'File 360 redirected the download to something that is not an address.');
  }
  const local = url.protocol === 'http:' && url.hostname === '127.0.0.1' && file360.protocol === 'http:' && file360.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !local) {
    throw new File360Error('invalid-response', `File 360 sent the download to ${url.protocol}//${hostOf(url)}, which is not a secure (https) address; the app did not follow it.`);
  }
  if (url.username || url.password) throw new File360Error('invalid-response', `File 360 sent the download to an address with a user name in it (${hostOf(url)}); the app did not follow it.`);
  return url;
}

/** The If-Range a resumed request carries: the storage's own validator there, else File 360's (a mismatch only means the whole file). */
function resumeHeaders(request: ContentRequest, origin: string | null): Record<string, string> {
  if (!request.resume) return {};
  const storage = request.resume.storage;
  const etag = origin !== null && storage?.origin === origin ? storage.etag : request.resume.etag;
  return { range: `bytes=${request.resume.from}-`, 'if-range': etag };
}

/**
 * One trip to the storage and any hops it makes; `expired` when it refused the
 * signature (403), so File 360 is asked for a fresh link. Any other refusal is
 * an error for this file alone, in words that name the storage, never read as
 * File 360's codes (a storage cannot expire an assignment).
 */
async function fromStorage(http: Http, first: URL, file360: URL, request: ContentRequest): Promise<ContentResponse | 'expired'> {
  let url = first;
  for (let hop = 1; ; hop += 1) {
    let answer: StreamResponse;
    try {
      answer = await http.raw({ method: 'GET', url: url.href, headers: resumeHeaders(request, url.origin), signal: request.signal });
    } catch (error) {
      if (!(error instanceof File360Error)) throw error;
      // The same kind (so it is retried like any network trouble), in words that name who could not be reached.
      const words = error.kind === 'timeout' ? 'took too long to answer' : `could not be reached${whyUnreachable(error.code)}`;
      throw new File360Error(error.kind, `The storage server ${hostOf(url)} ${words}.`, null, error.code);
    }
    if (REDIRECTS.has(answer.status) && hop < MAX_HOPS) {
      answer.body.destroy();
      url = checkStorageUrl(answer.headers.location, url, file360);
      continue;
    }
    if (answer.status === 403) {
      answer.body.destroy();
      return 'expired';
    }
    if (answer.status >= 300 && answer.status !== 304) {
      answer.body.destroy();
      const words = REDIRECTS.has(answer.status) ? `kept redirecting the download (${MAX_HOPS} times)` : `answered ${answer.status} instead of the file's bytes`;
      throw new File360Error('http', `The storage server ${hostOf(url)} ${words}.`, answer.status >= 400 ? answer.status : null);
    }
    return { ...answer, source: 'storage', origin: url.origin };
  }
}

/**
 * GET …/files/{id}/content with the bearer token; a redirect is followed to
 * the storage without it, and a link the storage says has expired is asked for
 * again, a few times at most.
 */
export async function fetchContent(
  http: Http,
  api: string,
  authorized: <T>(call: (token: string) => Promise<T>) => Promise<T>,
  request: ContentRequest,
): Promise<ContentResponse> {
  const url = new URL(`${api}/files/${encodeURIComponent(request.fileId)}/content?version=${request.version}`);
  for (let links = 1; ; links += 1) {
    const answer = await authorized((token) =>
      http.stream({ method: 'GET', url: url.href, headers: { authorization: `Bearer ${token}`, ...resumeHeaders(request, null) }, signal: request.signal }),
    );
    if (!REDIRECTS.has(answer.status)) return { ...answer, source: 'file360', origin: url.origin };
    // Only the Location matters; the body of a redirect is dropped unread.
    answer.body.destroy();
    const stored = await fromStorage(http, checkStorageUrl(answer.headers.location, url, url), url, request);
    if (stored !== 'expired') return stored;
    if (links >= MAX_FRESH_LINKS) {
      throw new File360Error('http', `The storage server refused each of ${MAX_FRESH_LINKS} fresh download links File 360 gave (403: the link had expired or was not valid).`, 403);
    }
  }
}

import { withUser } from '../auth';
import { openContent } from '../content';
import type { Context } from '../context';
import { invalidRequest } from '../errors';
import { header, type Exchange } from '../exchange';
import { answerRange, file360Unsatisfiable } from '../ranges';
import type { Route } from '../router';
import type { User } from '../state/users';

/** RFC 9110 §13.1.2: `*` or any listed tag, compared weakly. */
function noneMatch(ifNoneMatch: string, etag: string): boolean {
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/**
 * `GET|HEAD /file360/v1/files/{id}/content[?version=n]` (CONTRACTS §A.6).
 * A request for several ranges is answered with the whole file (200), which
 * RFC 9110 §14.2 allows; a server need not send multipart/byteranges.
 */
async function content(ctx: Context, ex: Exchange, user: User): Promise<void> {
  const fileId = ex.params.id ?? '';
  const current = ctx.files.current(fileId);
  ctx.assignments.open(user.id, current.assignmentId, 'download');
  const versionText = ex.url.searchParams.get('version');
  if (versionText !== null && !/^[1-9]\d{0,8}$/.test(versionText)) throw invalidRequest(`version must be a positive integer, not "${versionText}".`);
  const { item, content: source } = versionText === null ? current : ctx.files.version(fileId, Number(versionText));

  const range = header(ex, 'range');
  ctx.stats.contentRequest(fileId, range);
  const headers: Record<string, string | number> = {
    ETag: item.etag,
    'Accept-Ranges': 'bytes',
    'Content-Type': item.mime_type,
    'Cache-Control': 'private, no-cache',
    'X-Content-Type-Options': 'nosniff',
  };
  const ifNoneMatch = header(ex, 'if-none-match');
  if (ifNoneMatch !== undefined && noneMatch(ifNoneMatch, item.etag)) return ex.send(304, headers);

  // The access is granted (and audited) here; the bytes come from object storage, under a link valid for minutes.
  const redirect = ctx.storage.redirectFor(fileId, item.version_number);
  if (redirect) {
    if (ex.req.method === 'GET') {
      ctx.audit.record({ event_type: 'download', user_id: user.id, assignment_id: current.assignmentId, file_id: fileId, details: { version_number: item.version_number, via: 'storage' } });
    }
    return ex.send(redirect.status, { Location: redirect.location, 'Cache-Control': 'no-store', 'Content-Length': 0 });
  }

  const { status, start, end, contentRange } = answerRange(item.size, item.etag, range, header(ex, 'if-range'), file360Unsatisfiable(range ?? ''));
  if (contentRange) headers['Content-Range'] = contentRange;
  headers['Content-Length'] = end - start + 1;
  if (ex.req.method === 'GET') {
    ctx.audit.record({
      event_type: 'download',
      user_id: user.id,
      assignment_id: current.assignmentId,
      file_id: fileId,
      details: { version_number: item.version_number, ...(status === 206 ? { range: `${start}-${end}` } : {}) },
    });
  }
  ex.statsFileId = fileId;
  const withBody = ex.req.method === 'GET' && item.size > 0;
  return ex.send(status, headers, withBody ? openContent(source, ctx.seed, ctx.blobDir, start, end) : undefined);
}

export function contentRoutes(ctx: Context): Route[] {
  return [{ method: 'GET', pattern: '/file360/v1/files/:id/content', handle: withUser(ctx, (ex, user) => content(ctx, ex, user)) }];
}

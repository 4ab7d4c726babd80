import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { withUser } from '../auth';
import { hashFile } from '../content';
import type { Context } from '../context';
import { ApiError, invalidRequest, notFound } from '../errors';
import { header, readJson, type Exchange } from '../exchange';
import { sendJson } from '../respond';
import type { Route } from '../router';
import type { FileItem } from '../state/files';
import type { UploadRecord } from '../state/uploads';
import type { User } from '../state/users';

/** CONTRACTS §A.7: staged, resumable uploads made idempotent by a key. */
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');

const NewUploadBody = z.strictObject({
  kind: z.enum(['export', 'package', 'escalation', 'decision']),
  name: z.string().min(1).max(255),
  size: z.int().min(0),
  sha256: Sha256,
  mime_type: z.string().min(1).max(255),
  metadata: z.record(z.string(), z.unknown()).default({}),
});

const CommitBody = z.strictObject({ sha256: Sha256 });

/** Chunks and commits of one upload run one at a time. */
class Serial {
  private tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

function uploadView(ctx: Context, upload: UploadRecord) {
  const { user_id: _user, file_id, ...fields } = upload;
  return { ...fields, chunk_size: ctx.uploadChunkSize, ...(file_id ? { file_id } : {}) };
}

/**
 * The grace period this project proposes for CONTRACTS §A.5/§A.7 (sandbox/README.md, "Proposed: finishing an
 * upload begun before the expiry"): an upload created while the assignment was active may still receive its
 * chunks, be committed and have its create replayed for `uploadGraceSeconds` after the expiration. A new upload
 * is refused at once, and a revocation ends everything at once. The server decides by its own clock and its own
 * record of when the upload began, never by a time the client claims. Off (0) unless a test turns it on: the
 * contract as written refuses every upload to an expired assignment.
 */
function withinGrace(ctx: Context, error: unknown, upload: UploadRecord): boolean {
  if (!(error instanceof ApiError) || error.code !== 'ASSIGNMENT_EXPIRED' || ctx.uploadGraceSeconds <= 0) return false;
  const expiration = Date.parse(ctx.assignments.get(upload.assignment_id)?.expiration ?? '');
  return Date.parse(upload.created) < expiration && ctx.clock.now().getTime() < expiration + ctx.uploadGraceSeconds * 1000;
}

/** The caller's own upload to an assignment they may still upload to (or, with the proposed grace, finish it on). */
function ownUpload(ctx: Context, user: User, id: string): UploadRecord {
  const upload = ctx.uploads.get(id);
  if (upload.user_id !== user.id) throw notFound(`Upload ${id}`);
  try {
    ctx.assignments.open(user.id, upload.assignment_id, 'upload');
  } catch (error) {
    if (!withinGrace(ctx, error, upload)) throw error;
  }
  return upload;
}

const notContiguous = (received: number, message: string) => new ApiError(409, 'RANGE_NOT_CONTIGUOUS', message, `Resume from byte ${received}.`, { received });

async function create(ctx: Context, ex: Exchange, user: User, serial: Serial): Promise<void> {
  const assignmentId = ex.params.id ?? '';
  let refused: unknown = null;
  try {
    ctx.assignments.open(user.id, assignmentId, 'upload');
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'ASSIGNMENT_EXPIRED' || ctx.uploadGraceSeconds <= 0) throw error;
    refused = error;
  }
  if (/^application\/octet-stream\b/i.test(header(ex, 'content-type') ?? '')) {
    // A one-request upload is never "begun before" the expiry: the proposed grace covers staged uploads only.
    if (refused !== null || !ctx.singleRequestUploads.enabled) ex.req.resume();
    if (refused !== null) throw refused;
    if (!ctx.singleRequestUploads.enabled) {
      throw new ApiError(415, 'INVALID_REQUEST', 'This server takes uploads in steps: create the upload with a JSON body, then send its chunks and commit it.');
    }
    // Requests with one key run one at a time, so a repeat racing the original finds its result.
    return serial.run(`key:${user.id}:${header(ex, 'idempotency-key') ?? ''}`, () => createCommitted(ctx, ex, user, assignmentId));
  }
  const body = await readJson(ex, NewUploadBody);
  const scope = `uploads:${assignmentId}`;
  const key = header(ex, 'idempotency-key');
  const earlier = ctx.idempotency.replayed(user.id, scope, key, body);
  if (refused !== null && !(earlier && withinGrace(ctx, refused, ctx.uploads.get(earlier)))) throw refused;
  if (earlier) return sendJson(ex, 200, uploadView(ctx, ctx.uploads.get(earlier)), { 'Idempotent-Replayed': 'true' });
  const upload = ctx.uploads.create(assignmentId, user.id, body);
  ctx.idempotency.remember(user.id, scope, key ?? '', body, upload.id);
  return sendJson(ex, 201, uploadView(ctx, upload), { Location: `${ex.url.origin}/file360/v1/uploads/${upload.id}` });
}

function parseContentRange(ex: Exchange, upload: UploadRecord): { start: number; end: number } {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header(ex, 'content-range') ?? '');
  if (!match) throw invalidRequest('Send Content-Range: bytes <first>-<last>/<size> with each chunk.');
  const [start, end, size] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (size !== upload.size) throw invalidRequest(`Content-Range says the file has ${size} bytes; the upload was created for ${upload.size}.`);
  if (start > end || end >= size) throw invalidRequest(`Content-Range ${start}-${end} is not a range inside ${size} bytes.`);
  const declared = header(ex, 'content-length');
  if (declared !== undefined && Number(declared) !== end - start + 1) throw invalidRequest(`Content-Length ${declared} does not match Content-Range ${start}-${end}.`);
  return { start, end };
}

/** Writes the part of the body past `received` at its place in the staging file; returns the bytes the body held. */
async function appendChunk(ex: Exchange, file: string, start: number, received: number): Promise<number> {
  // Created by the first chunk (not at create time: most uploads are small, and a file per create costs).
  const handle = await fs.promises.open(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
  let offset = start;
  try {
    for await (const chunk of ex.req as AsyncIterable<Buffer>) {
      const skip = Math.max(0, received - offset);
      if (skip < chunk.length) await handle.write(chunk, skip, chunk.length - skip, offset + skip);
      offset += chunk.length;
    }
  } finally {
    await handle.close();
  }
  return offset - start;
}

async function putChunk(ctx: Context, ex: Exchange, user: User): Promise<void> {
  const upload = ownUpload(ctx, user, ex.params.id ?? '');
  const { start, end } = parseContentRange(ex, upload);
  const length = end - start + 1;
  if (length > ctx.uploadChunkSize) throw new ApiError(413, 'INVALID_REQUEST', `A chunk may hold at most chunk_size (${ctx.uploadChunkSize}) bytes; this one holds ${length}.`);
  const { received } = upload;
  if (start > received) {
    ex.req.resume();
    throw notContiguous(received, `This chunk starts at byte ${start} but only ${received} bytes were received.`);
  }
  if (end < received) {
    ex.req.resume();
    return sendJson(ex, 202, { received });
  }
  const got = await appendChunk(ex, ctx.uploads.partPath(upload.id), start, received);
  if (got !== length) throw invalidRequest(`The body held ${got} bytes but Content-Range announced ${length}.`);
  ctx.uploads.setReceived(upload.id, end + 1);
  return sendJson(ex, 202, { received: end + 1 });
}

async function commit(ctx: Context, ex: Exchange, user: User): Promise<void> {
  const upload = ownUpload(ctx, user, ex.params.id ?? '');
  const { sha256 } = await readJson(ex, CommitBody);
  if (upload.status === 'committed' && upload.file_id) {
    const file = ctx.files.current(upload.file_id).item;
    if (file.sha256 !== sha256) throw new ApiError(422, 'CHECKSUM_MISMATCH', 'This upload was committed with another SHA-256.', `Committed: ${file.sha256}`);
    return sendJson(ex, 200, { file });
  }
  if (upload.received < upload.size) throw notContiguous(upload.received, `Only ${upload.received} of ${upload.size} bytes were received.`);
  const part = ctx.uploads.partPath(upload.id);
  const actual = await hashFile(part, upload.size);
  if (actual !== upload.sha256) {
    // The stored bytes are not the file announced, so they are dropped: the client starts over from byte 0.
    ctx.uploads.setReceived(upload.id, 0);
    throw new ApiError(422, 'CHECKSUM_MISMATCH', 'The bytes received do not have the SHA-256 this upload was created with.', `Received bytes hash to ${actual}.`, { received: 0 });
  }
  if (sha256 !== actual) throw new ApiError(422, 'CHECKSUM_MISMATCH', 'The SHA-256 given does not match the bytes received.', `Received bytes hash to ${actual}.`);
  // An empty upload never sent a chunk, so it has no part file yet.
  if (upload.size === 0) await fs.promises.writeFile(part, '');
  return sendJson(ex, 201, { file: ctx.db.transaction(() => store(ctx, user, upload, part, actual, 'chunks'))() });
}

/**
 * Makes verified bytes a file of the assignment, and records the upload committed. Call in a transaction.
 * A part file moves into the blob store under the upload's name; the bytes of a one-request upload (one
 * chunk at most) are kept in the database row, as SQLite reads and writes small blobs faster than files
 * (https://sqlite.org/intern-v-extern-blob.html), and a file per upload is most of such a request's cost.
 */
function store(ctx: Context, user: User, upload: UploadRecord, part: string | { bytes: Buffer }, sha256: string, sentIn: 'chunks' | 'one request'): FileItem {
  let content: { blobPath: string } | { bytes: Buffer };
  if (typeof part === 'string') {
    content = { blobPath: `${upload.id}.blob` };
    fs.renameSync(part, path.join(ctx.blobDir, content.blobPath));
  } else content = part;
  const file = ctx.files.addUploaded(upload.assignment_id, `uploads/${upload.kind}/${upload.id}/${upload.name}`, content, upload.size, sha256, upload.mime_type);
  ctx.uploads.committed(upload.id, file.id);
  ctx.audit.record({
    event_type: 'upload',
    user_id: user.id,
    assignment_id: upload.assignment_id,
    file_id: file.id,
    details: { upload_id: upload.id, kind: upload.kind, name: upload.name, size: upload.size, sent_in: sentIn },
  });
  return file;
}

/** Step 1's body, from the `Upload-Metadata` header of a one-request upload (base64url JSON, as tus sends it). */
function metadataOf(ex: Exchange): z.output<typeof NewUploadBody> {
  const text = header(ex, 'upload-metadata');
  if (!text) throw invalidRequest('Send the upload’s metadata (kind, name, size, sha256, mime_type, metadata) as base64url JSON in Upload-Metadata.');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalidRequest('Upload-Metadata is not base64url-encoded JSON.');
  }
  const checked = NewUploadBody.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw invalidRequest(`Invalid field ${issue?.path.join('.') || 'Upload-Metadata'} in Upload-Metadata: ${issue?.message ?? 'not accepted'}.`);
  }
  return checked.data;
}

/** The body of a one-request upload, at most `limit` bytes. */
async function readBytes(ex: Exchange, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of ex.req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit) throw new ApiError(413, 'INVALID_REQUEST', `An upload in one request may hold at most chunk_size (${limit}) bytes; send larger ones in chunks.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * CONTRACTS §A.7 step 5: create, send and commit in one request. The key
 * covers the metadata, which names the bytes by their SHA-256, so the same key
 * with other bytes is a 409 and a repeat is the same committed upload. A key
 * that began an upload in steps finishes it with these bytes.
 */
async function createCommitted(ctx: Context, ex: Exchange, user: User, assignmentId: string): Promise<void> {
  const body = metadataOf(ex);
  if (body.size > ctx.uploadChunkSize) {
    ex.req.resume();
    throw new ApiError(413, 'INVALID_REQUEST', `An upload in one request may hold at most chunk_size (${ctx.uploadChunkSize}) bytes; this one has ${body.size}. Send it in chunks.`);
  }
  const scope = `uploads:${assignmentId}`;
  const key = header(ex, 'idempotency-key');
  const earlier = ctx.idempotency.replayed(user.id, scope, key, body);
  const bytes = await readBytes(ex, ctx.uploadChunkSize);
  const view = (upload: UploadRecord, file: FileItem) => ({ ...uploadView(ctx, upload), file });
  if (earlier) {
    const upload = ctx.uploads.get(earlier);
    if (upload.status === 'committed' && upload.file_id) return sendJson(ex, 200, view(upload, ctx.files.current(upload.file_id).item), { 'Idempotent-Replayed': 'true' });
  }
  if (bytes.length !== body.size) throw invalidRequest(`The body holds ${bytes.length} bytes but Upload-Metadata announced ${body.size}.`);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== body.sha256) throw new ApiError(422, 'CHECKSUM_MISMATCH', 'The bytes received do not have the SHA-256 in Upload-Metadata.', `Received bytes hash to ${actual}.`, { received: 0 });
  // The bytes and every record in one transaction.
  const done = ctx.db.transaction(() => {
    const upload = earlier ? ctx.uploads.get(earlier) : ctx.uploads.create(assignmentId, user.id, body);
    if (!earlier) ctx.idempotency.remember(user.id, scope, key ?? '', body, upload.id);
    ctx.uploads.setReceived(upload.id, bytes.length);
    const file = store(ctx, user, upload, { bytes }, actual, 'one request');
    return view(ctx.uploads.get(upload.id), file);
  })();
  return sendJson(ex, earlier ? 200 : 201, done, { Location: `${ex.url.origin}/file360/v1/uploads/${done.id}` });
}

export function uploadRoutes(ctx: Context): Route[] {
  const serial = new Serial();
  const byKey = new Serial();
  const oneAtATime = (handler: (ctx: Context, ex: Exchange, user: User) => Promise<void>) =>
    withUser(ctx, (ex, user) => serial.run(ex.params.id ?? '', () => handler(ctx, ex, user)));
  return [
    { method: 'POST', pattern: '/file360/v1/assignments/:id/uploads', handle: withUser(ctx, (ex, user) => create(ctx, ex, user, byKey)) },
    {
      method: 'GET',
      pattern: '/file360/v1/uploads/:id',
      handle: withUser(ctx, async (ex, user) => sendJson(ex, 200, uploadView(ctx, ownUpload(ctx, user, ex.params.id ?? '')))),
    },
    { method: 'PUT', pattern: '/file360/v1/uploads/:id', handle: oneAtATime(putChunk) },
    { method: 'POST', pattern: '/file360/v1/uploads/:id/commit', handle: oneAtATime(commit) },
  ];
}

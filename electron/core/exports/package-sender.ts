import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { File360Error } from '../kernel/http/errors';
import { readPayload, type OutboxKindHandler, type SendContext } from '../services/outbox/kind';
import { PermanentError } from '../services/outbox/outcome';

export const PackagePayload = z.object({
  assignment_id: z.string(),
  name: z.string(),
  size: z.int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mime_type: z.string(),
  metadata: z.record(z.string(), z.unknown()),
});
export type PackagePayload = z.infer<typeof PackagePayload>;

const DEFAULT_CHUNK = 8 * 1024 * 1024;
/** A server that keeps moving its resume point would otherwise keep this loop going. */
const MAX_RESUMES = 20;

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const hasCode = (error: unknown, code: string) => error instanceof File360Error && error.code === code;
/** 413: more than that server's chunk_size; 415: no §A.7 step 5 there; 422: bytes hurt on the way. The steps handle all three. */
const USE_THE_STEPS = new Set([413, 415, 422]);

/**
 * What each server said about uploads in this run: its chunk_size (the bound
 * for one request), and whether it answered a one-request upload with 415, so
 * an older server costs one refused request per run rather than one per item.
 */
const chunkSizes = new Map<string, number>();
const stepsOnly = new Set<string>();

/**
 * A package up to this size is read in one synchronous call: reading it on the
 * thread pool is four round trips (open, fstat, read, close) that cost more than
 * the read, and were a fifth of the time of a flush of small packages. Larger
 * ones are read without holding up the event loop.
 */
const READ_AT_ONCE_BYTES = 256 * 1024;

const changedFile = (size: number, made: number) => new PermanentError(`The package file changed on this computer after it was made (${size} bytes, made with ${made}).`, 'FILE_CHANGED');

/**
 * §A.7 step 5: a package of one chunk or less goes in one request (created,
 * sent and committed), under the row's key, so a repeat after a lost answer is
 * the same upload. Null when this server wants the steps instead.
 */
async function atOnce(ctx: SendContext, key: string, payload: PackagePayload, file: string): Promise<{ upload_id: string; file_id: string } | null> {
  const server = ctx.me.server;
  if (stepsOnly.has(server) || payload.size > (chunkSizes.get(server) ?? DEFAULT_CHUNK)) return null;
  const bytes = payload.size <= READ_AT_ONCE_BYTES ? fs.readFileSync(file) : await fs.promises.readFile(file);
  if (bytes.length !== payload.size) throw changedFile(bytes.length, payload.size);
  if (createHash('sha256').update(bytes).digest('hex') !== payload.sha256) throw new PermanentError('The package file changed on this computer after it was made, so it was not sent.', 'FILE_CHANGED');
  const { assignment_id, ...upload } = payload;
  try {
    const done = await ctx.client.uploadAtOnce(assignment_id, key, { kind: 'package', ...upload }, bytes);
    return { upload_id: done.id, file_id: done.file.id };
  } catch (error) {
    if (!(error instanceof File360Error) || !USE_THE_STEPS.has(error.status ?? 0)) throw error;
    if (error.status === 415) stepsOnly.add(server);
    return null;
  }
}

/**
 * CONTRACTS §A.7: one request for a package of one chunk or less (step 5);
 * otherwise create (the key makes a repeat return the same upload and its
 * `received`), send the missing chunks, commit with the hash. A crash anywhere
 * resumes from what the server says it holds.
 */
export const packageSender: OutboxKindHandler = {
  async send(row, ctx) {
    const payload = readPayload(row, PackagePayload, 'package');
    const file = path.join(ctx.dataDir, row.file ?? '');
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!row.file || !stat) throw new PermanentError(`The package file ${path.basename(row.file ?? '')} is no longer on this computer, so it cannot be sent. Discard it and export again.`, 'FILE_MISSING');
    if (stat.size !== payload.size) throw changedFile(stat.size, payload.size);
    const sent = await atOnce(ctx, row.idempotency_key, payload, file);
    if (sent) return sent;

    const { assignment_id, ...upload } = payload;
    for (let restart = 0; ; restart += 1) {
      const created = await ctx.client.createUpload(assignment_id, row.idempotency_key, { kind: 'package', ...upload });
      if (created.chunk_size) chunkSizes.set(ctx.me.server, created.chunk_size);
      if (created.status !== 'committed') await sendMissing(ctx.client, created.id, created.received, created.chunk_size ?? DEFAULT_CHUNK, file, payload.size);
      try {
        const committed = await ctx.client.commitUpload(created.id, payload.sha256);
        return { upload_id: created.id, file_id: committed.id };
      } catch (error) {
        if (!hasCode(error, 'CHECKSUM_MISMATCH')) throw error;
        if ((await sha256Of(file)) !== payload.sha256) throw new PermanentError('The package file changed on this computer after it was made, so it was not sent.', 'FILE_CHANGED');
        // The server dropped what it had (it said so with received: 0): send it all once more, then give up.
        if (restart >= 1) throw new PermanentError('File 360 received different bytes than were sent, twice. Retry later, or ask your File 360 administrator.', 'CHECKSUM_MISMATCH');
      }
    }
  },
};

async function sendMissing(client: SendContext['client'], uploadId: string, from: number, chunkSize: number, file: string, size: number): Promise<void> {
  const handle = await fs.promises.open(file, 'r');
  try {
    let received = from;
    for (let resumes = 0; received < size; ) {
      const length = Math.min(chunkSize, size - received);
      const bytes = Buffer.alloc(length);
      const { bytesRead } = await handle.read(bytes, 0, length, received);
      if (bytesRead !== length) throw new PermanentError('The package file became shorter while it was being sent.', 'FILE_CHANGED');
      let next: number;
      try {
        next = (await client.putChunk(uploadId, { start: received, size }, bytes)).received;
      } catch (error) {
        if (!hasCode(error, 'RANGE_NOT_CONTIGUOUS') || (resumes += 1) > MAX_RESUMES) throw error;
        next = (await client.uploadState(uploadId)).received;
      }
      if (next <= received && (resumes += 1) > MAX_RESUMES) throw new File360Error('invalid-response', 'File 360 stopped taking in the upload’s bytes.');
      received = next;
    }
  } finally {
    await handle.close();
  }
}

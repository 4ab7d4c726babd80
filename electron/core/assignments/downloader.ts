import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { addAbortSignal } from 'node:stream';
import type { File360Client } from '../remote/file360/client';
import type { ContentResponse, StorageValidator } from '../remote/file360/content';
import { File360Error } from '../kernel/http/errors';

export interface DownloadTarget {
  id: string;
  version: number;
  size: number;
  sha256: string;
  /** The ETag the manifest gave, for If-Range; File 360's format is derived from the checksum if it gave none. */
  etag: string | null;
  partialPath: string;
  finalPath: string;
}

/** The bytes arrived but are not the file the manifest describes. Never exposed; retried from scratch. */
export class ChecksumError extends Error {
  override name = 'ChecksumError';
}

/** The server's bytes cannot become this file (too many of them, or a range we did not ask for). */
export class ContentError extends Error {
  override name = 'ContentError';
}

async function hashExisting(file: string, hash: Hash): Promise<void> {
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
}

function partialSize(file: string, expected: number): number {
  // Without throwing: a cold sync asks this of every file, and an error's stack trace costs more than the stat.
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  return size <= expected ? size : 0;
}

/**
 * How many received bytes are gathered before they are written: a file of
 * this size or less is written in one call (the bytes of 10 000 small files
 * arrive in several chunks each, and each write is a trip to the thread pool).
 */
const WRITE_BYTES = 1024 * 1024;

async function writeAll(handle: fs.promises.FileHandle, chunks: Buffer[]): Promise<void> {
  const rest = [...chunks];
  while (rest.length > 0) {
    const { bytesWritten } = await handle.writev(rest);
    // A short write (rare on a local disk) continues where it stopped.
    let skip = bytesWritten;
    while (rest.length > 0 && skip >= (rest[0] as Buffer).length) skip -= (rest.shift() as Buffer).length;
    if (skip > 0) rest[0] = (rest[0] as Buffer).subarray(skip);
  }
}

/**
 * Beside a partial that came from object storage: the origin and ETag it was
 * sent with, so the resume there carries the storage's own validator in
 * If-Range (its ETags are not File 360's). Written at once for large files (a
 * killed app resumes them too), else only when a download breaks off.
 */
const validatorPath = (partialPath: string) => `${partialPath}.source`;
const VALIDATOR_AT_ONCE_BYTES = 1024 * 1024;

function readValidator(partialPath: string): StorageValidator | null {
  try {
    const value = JSON.parse(fs.readFileSync(validatorPath(partialPath), 'utf8')) as Partial<StorageValidator>;
    return typeof value.origin === 'string' && typeof value.etag === 'string' ? { origin: value.origin, etag: value.etag } : null;
  } catch {
    return null;
  }
}

/** A strong ETag the storage sent with the whole file (If-Range takes no weak one: RFC 9110 §13.1.5). */
function storageValidator(response: ContentResponse): StorageValidator | null {
  const etag = response.headers.etag;
  if (response.source !== 'storage' || typeof etag !== 'string' || etag.startsWith('W/') || !/^"[^"]*"$/.test(etag)) return null;
  return { origin: response.origin, etag };
}

/** The one Content-Range a resumed download accepts: from where the partial ends to the end of the file (RFC 9110 §14.4). */
function isRangeAsked(contentRange: string | string[] | undefined, from: number, size: number): boolean {
  return String(contentRange ?? '').trim() === `bytes ${from}-${size - 1}/${size}`;
}

/**
 * How long one file may take in all, beside the idle timeout (which a body
 * drip-fed a byte at a time never trips): two minutes, plus the rest of the
 * file at 32 KiB/s, a poor hotel Wi-Fi. 1 GiB gets about nine hours.
 */
export interface FileDeadline {
  baseMs: number;
  minBytesPerSecond: number;
}
export const DEFAULT_FILE_DEADLINE: FileDeadline = { baseMs: 120_000, minBytesPerSecond: 32 * 1024 };

function deadlineMs(deadline: FileDeadline, bytes: number): number {
  return deadline.baseMs + Math.ceil((bytes / deadline.minBytesPerSecond) * 1000);
}

function minutes(ms: number): string {
  return ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

/**
 * The file as a previous run left it under its real name (renamed just before
 * a crash, or already there from an earlier version with the same bytes):
 * its size and hash are checked, its bytes are not fetched again.
 */
export async function alreadyDownloaded(target: Pick<DownloadTarget, 'finalPath' | 'size' | 'sha256'>): Promise<{ size: number; mtimeMs: number } | null> {
  const stat = fs.statSync(target.finalPath, { throwIfNoEntry: false });
  if (!stat || !stat.isFile() || stat.size !== target.size) return null;
  const hash = createHash('sha256');
  await hashExisting(target.finalPath, hash);
  return hash.digest('hex') === target.sha256 ? { size: stat.size, mtimeMs: stat.mtimeMs } : null;
}

/** A file's partial on disk, and the storage validator a resume of it needs, kept beside it once that is worth it. */
class PartialFile {
  /** Bytes of the file on disk so far. */
  have: number;
  validator: StorageValidator | null;
  private validatorOnDisk: boolean;

  constructor(private readonly target: DownloadTarget) {
    this.have = partialSize(target.partialPath, target.size);
    this.validator = this.have > 0 ? readValidator(target.partialPath) : null;
    this.validatorOnDisk = this.validator !== null;
  }

  keepValidator(): void {
    if (!this.validator || this.validatorOnDisk) return;
    try {
      fs.writeFileSync(validatorPath(this.target.partialPath), JSON.stringify(this.validator), { mode: 0o600 });
      this.validatorOnDisk = true;
    } catch {
      // Without it the resume asks with File 360's ETag, and at worst fetches the whole file again.
    }
  }

  /** The whole file comes again: its copy changed, the validator did not match, or the server ignores ranges. */
  startOver(response: ContentResponse): void {
    this.have = 0;
    this.dropValidator();
    this.validator = storageValidator(response);
    if (this.target.size >= VALIDATOR_AT_ONCE_BYTES) this.keepValidator();
  }

  dropValidator(): void {
    if (this.validatorOnDisk) fs.rmSync(validatorPath(this.target.partialPath), { force: true });
    this.validatorOnDisk = false;
  }
}

/** Who sent the bytes, as an error names them. */
const senderOf = (response: ContentResponse) => (response.source === 'storage' ? `The storage server ${new URL(response.origin).host}` : 'File 360');

/** The resume the partial asks for, if it has bytes: the rest of the file, if the copy is still the one they came from. */
function resumeOf(target: DownloadTarget, partial: PartialFile) {
  return partial.have > 0 ? { from: partial.have, etag: target.etag ?? `"sha256:${target.sha256}"`, storage: partial.validator } : undefined;
}

/**
 * Takes the answer only if it continues the partial (206 for exactly the
 * range asked, whose bytes on disk are then hashed) or starts the file over (200).
 */
async function takeAnswer(response: ContentResponse, target: DownloadTarget, partial: PartialFile, hash: Hash): Promise<void> {
  if (response.status === 206 && partial.have > 0 && isRangeAsked(response.headers['content-range'], partial.have, target.size)) {
    await hashExisting(target.partialPath, hash);
  } else if (response.status === 200) {
    partial.startOver(response);
  } else {
    // The body was given an error listener where it was created (file360/http.ts), so dropping it is safe.
    response.body.destroy();
    throw new ContentError(
      response.status === 206
        ? `${senderOf(response)} sent a part of the file the app did not ask for (${String(response.headers['content-range'] ?? 'no Content-Range')}).`
        : `${senderOf(response)} answered ${response.status} instead of the file's bytes.`,
    );
  }
}

/**
 * Appends the body to the partial, hashing as the bytes stream past. The
 * bytes reach the disk (fdatasync) before the file can get its real name;
 * returns the mtime read from the same handle, or null if the body ended short.
 */
async function receiveInto(
  response: ContentResponse,
  target: DownloadTarget,
  partial: PartialFile,
  hash: Hash,
  stopped: AbortSignal,
  progress: (bytesOfFile: number) => void,
): Promise<{ received: number; mtimeMs: number | null }> {
  let received = partial.have;
  let handle: fs.promises.FileHandle | null = null;
  const gathered: Buffer[] = [];
  let gatheredBytes = 0;
  try {
    addAbortSignal(stopped, response.body);
    handle = await fs.promises.open(target.partialPath, partial.have > 0 ? 'a' : 'w', 0o600);
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > target.size) throw new ContentError(`${senderOf(response)} sent more bytes than the file has.`);
      hash.update(chunk);
      progress(received);
      gathered.push(chunk);
      gatheredBytes += chunk.length;
      if (gatheredBytes >= WRITE_BYTES) {
        await writeAll(handle, gathered.splice(0));
        gatheredBytes = 0;
      }
    }
    await writeAll(handle, gathered.splice(0));
    if (received !== target.size) return { received, mtimeMs: null };
    await handle.datasync();
    return { received, mtimeMs: (await handle.stat()).mtimeMs };
  } catch (error) {
    // Left unread (the partial could not be opened, or a write failed), the body would hold its connection.
    response.body.destroy();
    // What arrived before the break is good (hashed, within the size): kept, so the next attempt resumes after it.
    if (handle && gathered.length > 0) await writeAll(handle, gathered).catch(() => undefined);
    if (received > 0) partial.keepValidator();
    throw error;
  } finally {
    await handle?.close();
  }
}

/** Fetches what the partial lacks within the file's deadline; returns the written file's mtime. */
async function fetchRest(
  client: File360Client,
  target: DownloadTarget,
  partial: PartialFile,
  hash: Hash,
  signal: AbortSignal,
  progress: (bytesOfFile: number) => void,
  deadline: FileDeadline,
): Promise<number> {
  const limitMs = deadlineMs(deadline, target.size - partial.have);
  const overdue = AbortSignal.timeout(limitMs);
  const stopped = AbortSignal.any([signal, overdue]);
  const tooSlow = () => new ContentError(`The file took longer than its ${minutes(limitMs)} limit to arrive; what arrived is kept and the next sync continues it.`);
  let response: ContentResponse;
  try {
    response = await client.content({ fileId: target.id, version: target.version, resume: resumeOf(target, partial), signal: stopped });
  } catch (error) {
    if (overdue.aborted && !signal.aborted) throw tooSlow();
    throw error;
  }
  await takeAnswer(response, target, partial, hash);
  progress(partial.have);
  let done: { received: number; mtimeMs: number | null };
  try {
    done = await receiveInto(response, target, partial, hash, stopped, progress);
  } catch (error) {
    if (error instanceof ContentError || (error as NodeJS.ErrnoException).code === 'ENOSPC' || signal.aborted) throw error;
    if (overdue.aborted) throw tooSlow();
    throw error instanceof File360Error ? error : new File360Error('network', `The download of a file was interrupted (${(error as Error).message}).`, null, (error as NodeJS.ErrnoException).code ?? null);
  }
  if (done.mtimeMs === null) {
    if (done.received > 0) partial.keepValidator();
    throw new File360Error('network', `${senderOf(response)} sent ${done.received} of ${target.size} bytes.`);
  }
  return done.mtimeMs;
}

/** Gives the checked partial its real name; its folder is made only when missing (trying the rename first spares most files a mkdir). */
function placeFile(target: DownloadTarget): void {
  try {
    fs.renameSync(target.partialPath, target.finalPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !fs.existsSync(target.partialPath)) throw error;
    fs.mkdirSync(path.dirname(target.finalPath), { recursive: true, mode: 0o700 });
    fs.renameSync(target.partialPath, target.finalPath);
  }
}

/**
 * Fetches one file into its partial, hashing as the bytes stream past, and
 * only renames it to its real name once length and sha256 match the
 * manifest. A partial left by an earlier attempt (or run) is resumed with
 * Range + If-Range; its bytes are re-hashed from disk, never fetched again.
 */
export async function downloadFile(
  client: File360Client,
  target: DownloadTarget,
  signal: AbortSignal,
  /** How many bytes of this file are on disk so far (a retry may report fewer than before). */
  progress: (bytesOfFile: number) => void,
  deadline: FileDeadline = DEFAULT_FILE_DEADLINE,
): Promise<{ size: number; mtimeMs: number }> {
  const partial = new PartialFile(target);
  const hash = createHash('sha256');
  /** The written file's mtime, once its bytes are flushed. */
  let written: number | null = null;
  // A finished partial from a run that stopped before its rename: only the check is left to do.
  if (partial.have === target.size && partial.have > 0) await hashExisting(target.partialPath, hash);
  else written = await fetchRest(client, target, partial, hash, signal, progress, deadline);
  if (hash.digest('hex') !== target.sha256) {
    fs.rmSync(target.partialPath, { force: true });
    partial.dropValidator();
    throw new ChecksumError('The downloaded file did not match its checksum.');
  }
  placeFile(target);
  partial.dropValidator();
  // A rename keeps the file's mtime, so the one read before it stands (a finished partial from an earlier run was not opened).
  return { size: target.size, mtimeMs: written ?? fs.statSync(target.finalPath).mtimeMs };
}

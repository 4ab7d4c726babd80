import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { AuditEvent } from '../audit/audit-log';
import type { LocalData } from '../db/local-data';
import { AppError } from '../errors';
import type { File360Client } from '../file360/client';
import { File360Error } from '../file360/errors';
import type { ManifestItem } from '../file360/wire';
import { syncDirectory } from '../platform/atomic-file';
import type { Logger } from '../ports';
import { WriteBatch } from './batch';
import { ChecksumError, ContentError, downloadFile } from './downloader';
import { assignmentLayout, partialName, type AssignmentLayout } from './layout';
import { ProgressTracker } from './progress';
import { checkRemotePath, collisionKey, resolveInside } from './safe-path';
import type { FileRow, SyncStore } from './store';

export interface RetryOptions {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface RunDeps {
  dataDir: string;
  data: LocalData;
  store: SyncStore;
  client: File360Client;
  logger: Logger;
  concurrency: number;
  retry: RetryOptions;
  now: () => Date;
  /** Called (throttled by the caller) whenever the numbers move. */
  onProgress(tracker: ProgressTracker): void;
}

/** Why a run ended early. Files already verified stay. */
export type StopReason =
  | { kind: 'paused' }
  | { kind: 'cancelled' }
  | { kind: 'disk-full' }
  | { kind: 'signed-out' }
  | { kind: 'assignment-gone'; code: 'ASSIGNMENT_EXPIRED' | 'ASSIGNMENT_REVOKED' }
  | { kind: 'error'; message: string };

export interface RunResult {
  downloaded: number;
  bytes: number;
  removed: number;
  rejected: number;
  failed: number;
  /** Nothing was downloaded or removed and no file was read: the fast path. */
  unchanged: boolean;
  stopped: StopReason | null;
}

class StopRun extends Error {
  constructor(readonly reason: StopReason) {
    super(reason.kind);
  }
}

function stopReasonOf(error: unknown): StopReason | null {
  if (error instanceof StopRun) return error.reason;
  const code = (error as NodeJS.ErrnoException)?.code;
  // The files' disk (ENOSPC) or the database's (SQLITE_FULL): either way nothing more fits.
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') return { kind: 'disk-full' };
  if (error instanceof AppError && (error.code === 'SIGNED_OUT' || error.code === 'NOT_SIGNED_IN')) return { kind: 'signed-out' };
  if (error instanceof File360Error && error.status === 403 && (error.code === 'ASSIGNMENT_EXPIRED' || error.code === 'ASSIGNMENT_REVOKED')) {
    return { kind: 'assignment-gone', code: error.code };
  }
  return null;
}

/** Worth another try: the network, the server having a bad moment, or bytes that came out wrong. */
function retryable(error: unknown): boolean {
  if (stopReasonOf(error)) return false;
  if (error instanceof ChecksumError) return true;
  return error instanceof File360Error && error.retryable;
}

function describe(error: unknown): string {
  if (error instanceof File360Error || error instanceof ChecksumError || error instanceof ContentError || error instanceof AppError) return error.message;
  return `The file could not be saved (${(error as Error).message}).`;
}

function sha256OfFile(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let read; (read = fs.readSync(fd, buffer)) > 0; ) hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** Size and mtime as recorded when the file was written: the no-change check reads no content. */
function unchangedOnDisk(file: string, row: FileRow): boolean {
  try {
    const stat = fs.statSync(file);
    return stat.size === row.local_size && Math.floor(stat.mtimeMs) === row.local_mtime_ms;
  } catch {
    return false;
  }
}

function removeEmptyParents(file: string, stopAt: string): void {
  for (let dir = path.dirname(file); dir.startsWith(stopAt + path.sep); dir = path.dirname(dir)) {
    try {
      fs.rmdirSync(dir);
    } catch {
      return;
    }
  }
}

interface Plan {
  work: FileRow[];
  removed: number;
  rejected: number;
  unchanged: boolean;
}

/** Which files to fetch. With an unchanged manifest version only local rows and stat() are used. */
async function plan(deps: RunDeps, assignmentId: string, layout: AssignmentLayout, manifestKnownCurrent: boolean): Promise<Plan> {
  const { store, data } = deps;
  const rows = store.files(assignmentId);
  const local = (row: { path: string }) => {
    const checked = checkRemotePath(row.path);
    return checked.ok ? resolveInside(layout.files, checked.segments) : null;
  };

  if (manifestKnownCurrent) {
    const stale = rows.filter((row) => row.state === 'done' && !unchangedOnDisk(local(row) ?? '', row));
    if (stale.length > 0) data.transaction(() => stale.forEach((row) => store.setState(assignmentId, row.id, 'pending')));
    const work = store.files(assignmentId).filter((row) => row.state === 'pending' || row.state === 'error');
    return { work, removed: 0, rejected: 0, unchanged: work.length === 0 };
  }

  const manifest: ManifestItem[] = await deps.client.manifest(assignmentId);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const seenNames = new Map<string, string>();
  const audits: AuditEvent[] = [];
  const toDelete: FileRow[] = [];
  let rejected = 0;

  data.transaction(({ audit }) => {
    for (const item of manifest) {
      const existing = byId.get(item.id);
      byId.delete(item.id);
      const checked = checkRemotePath(item.path);
      const clash = checked.ok ? seenNames.get(collisionKey(item.path)) : undefined;
      const reason = !checked.ok ? checked.reason : clash ? `It has the same name as "${clash}" on disks that ignore case.` : null;
      if (reason) {
        rejected += 1;
        if (existing?.state !== 'rejected' || existing.error !== reason) {
          store.putRejected(assignmentId, item, reason);
          audits.push({ type: 'file.rejected', assignmentId, fileId: item.id, details: { path: item.path.slice(0, 300), reason } });
        }
        if (existing && existing.state === 'done' && existing.path !== item.path) toDelete.push(existing);
        continue;
      }
      seenNames.set(collisionKey(item.path), item.path);
      const same = existing && existing.version === item.version_number && existing.sha256 === item.sha256 && existing.path === item.path;
      if (same && existing.state === 'done' && unchangedOnDisk(local(existing) ?? '', existing)) continue;
      if (existing && existing.state === 'done' && existing.path !== item.path) toDelete.push(existing);
      store.putPending(assignmentId, item);
    }
    // Whatever File 360 no longer lists is no longer shared with this user.
    for (const gone of byId.values()) {
      store.removeFile(assignmentId, gone.id);
      if (gone.state === 'done') toDelete.push(gone);
      audits.push({ type: 'file.removed', assignmentId, fileId: gone.id, details: { path: gone.path, reason: 'no longer in the assignment' } });
    }
    for (const event of audits) audit.append(event);
  });
  for (const row of toDelete) {
    const file = local(row);
    if (file) {
      fs.rmSync(file, { force: true });
      removeEmptyParents(file, layout.files);
    }
  }
  const work = store.files(assignmentId).filter((row) => row.state === 'pending' || row.state === 'error');
  return { work, removed: toDelete.length, rejected, unchanged: false };
}

interface Completed {
  row: FileRow;
  size: number;
  mtimeMs: number;
}

/**
 * One sync of one assignment. `manifestKnownCurrent` says File 360's manifest
 * version equals the one last synced, so the manifest is not fetched.
 */
export async function runSync(
  deps: RunDeps,
  assignmentId: string,
  manifestKnownCurrent: boolean,
  signal: AbortSignal,
): Promise<RunResult> {
  const layout = assignmentLayout(deps.dataDir, assignmentId);
  fs.mkdirSync(layout.files, { recursive: true, mode: 0o700 });
  const result: RunResult = { downloaded: 0, bytes: 0, removed: 0, rejected: 0, failed: 0, unchanged: false, stopped: null };

  let work: FileRow[];
  try {
    const planned = await plan(deps, assignmentId, layout, manifestKnownCurrent);
    Object.assign(result, { removed: planned.removed, rejected: planned.rejected, unchanged: planned.unchanged });
    work = planned.work;
  } catch (error) {
    const reason = stopReasonOf(error);
    if (reason) return { ...result, stopped: reason };
    throw error;
  }
  if (work.length === 0) return result;

  const tracker = new ProgressTracker(work.length, work.reduce((sum, row) => sum + row.size, 0));
  const dirsToSync = new Set<string>();
  const batch = new WriteBatch<Completed>((items) => {
    // The renames reach the disk before the rows say the files are there.
    for (const dir of dirsToSync) {
      // A folder wiped or emptied meanwhile has nothing left to make durable.
      if (fs.existsSync(dir)) syncDirectory(dir);
    }
    dirsToSync.clear();
    deps.data.transaction(({ audit }) => {
      for (const { row, size, mtimeMs } of items) {
        deps.store.markDone(assignmentId, row.id, size, mtimeMs);
        audit.append({ type: 'file.downloaded', assignmentId, fileId: row.id, details: { path: row.path, version: row.version, sha256: row.sha256, size } });
      }
    });
  });
  const failures = new WriteBatch<{ row: FileRow; message: string }>((items) =>
    deps.data.transaction(() => items.forEach(({ row, message }) => deps.store.setState(assignmentId, row.id, 'error', message))),
  );

  const stopper = new AbortController();
  const abortAll = () => stopper.abort();
  signal.addEventListener('abort', abortAll, { once: true });
  const perFile = retry(handleWhen(retryable), {
    maxAttempts: deps.retry.maxAttempts,
    backoff: new ExponentialBackoff({ initialDelay: deps.retry.initialDelayMs, maxDelay: deps.retry.maxDelayMs }),
  });

  let stop: StopReason | null = null;
  const queue = [...work];
  const worker = async () => {
    for (let row = queue.shift(); row && !stopper.signal.aborted; row = queue.shift()) {
      const checked = checkRemotePath(row.path);
      if (!checked.ok) continue;
      const finalPath = resolveInside(layout.files, checked.segments);
      const partialPath = path.join(layout.partial, partialName(row.id, row.version, row.sha256));
      const current = row;
      try {
        const written = await perFile.execute(async () => {
          // A verified file renamed just before a crash is on disk but not yet in the database.
          if (fs.existsSync(finalPath) && fs.statSync(finalPath).size === current.size && sha256OfFile(finalPath) === current.sha256) {
            const stat = fs.statSync(finalPath);
            return { size: stat.size, mtimeMs: stat.mtimeMs };
          }
          return downloadFile(deps.client, { ...current, partialPath, finalPath }, stopper.signal, (bytes) => {
            tracker.file(current.id, bytes);
            deps.onProgress(tracker);
          });
        }, stopper.signal);
        tracker.fileDone(current.id, written.size);
        dirsToSync.add(path.dirname(finalPath));
        batch.add({ row: current, ...written });
        result.downloaded += 1;
        result.bytes += written.size;
      } catch (error) {
        tracker.fileFailed(current.id);
        if (stopper.signal.aborted && !stop) break;
        const reason = stopReasonOf(error);
        if (reason) {
          stop ??= reason;
          abortAll();
          break;
        }
        deps.logger.warn('a file could not be synced', { assignmentId, fileId: current.id, error });
        failures.add({ row: current, message: describe(error) });
        result.failed += 1;
      }
      deps.onProgress(tracker);
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(deps.concurrency, work.length)) }, worker));
  } finally {
    signal.removeEventListener('abort', abortAll);
    try {
      batch.flush();
      failures.flush();
    } catch (error) {
      const reason = stopReasonOf(error);
      if (!reason) throw error;
      stop ??= reason;
    }
  }
  if (!stop && signal.aborted) stop = (signal.reason as StopReason | undefined) ?? { kind: 'cancelled' };
  return { ...result, stopped: stop };
}

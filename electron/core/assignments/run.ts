import fs from 'node:fs';
import path from 'node:path';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { LocalData } from '../kernel/db/local-data';
import { AppError } from '../kernel/errors';
import type { File360Client } from '../remote/file360/client';
import { File360Error } from '../kernel/http/errors';
import { syncDirectory } from '../kernel/platform/atomic-file';
import type { Logger } from '../kernel/ports';
import { WriteBatch } from './batch';
import { ChecksumError, ContentError, alreadyDownloaded, downloadFile, type FileDeadline } from './downloader';
import { assignmentLayout, partialName } from '../services/assignments/layout';
import { planSync, type Work } from './plan';
import { ProgressTracker } from './progress';
import type { FileRow, SyncStore } from '../services/assignments/store';

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
  /** Each file's overall time limit (default DEFAULT_FILE_DEADLINE). */
  fileDeadline?: FileDeadline;
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

interface Completed {
  row: FileRow;
  size: number;
  mtimeMs: number;
}

type Layout = ReturnType<typeof assignmentLayout>;

/** Each file's own retries, with backoff, for what `retryable` says is worth another try. */
const retryPolicy = (options: RetryOptions) =>
  retry(handleWhen(retryable), {
    maxAttempts: options.maxAttempts,
    backoff: new ExponentialBackoff({ initialDelay: options.initialDelayMs, maxDelay: options.maxDelayMs }),
  });
type PerFile = ReturnType<typeof retryPolicy>;

/**
 * Where the run's outcomes go, a batch at a time: the files done (after their
 * folders' renames reach the disk) with their audit lines, and the failures.
 */
function recorder(deps: RunDeps, assignmentId: string) {
  const dirsToSync = new Set<string>();
  const done = new WriteBatch<Completed>((items) => {
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
  return {
    done(completed: Completed, finalPath: string) {
      dirsToSync.add(path.dirname(finalPath));
      done.add(completed);
    },
    failed: (row: FileRow, message: string) => failures.add({ row, message }),
    flush() {
      done.flush();
      failures.flush();
    },
  };
}

/** A file's bytes: on disk already (verified and renamed just before a crash, not yet in the database), or downloaded with retries. */
async function fetchFile(deps: RunDeps, layout: Layout, { row, finalPath }: Work, tracker: ProgressTracker, perFile: PerFile, stopped: AbortSignal) {
  const target = { ...row, finalPath, partialPath: path.join(layout.partial, partialName(row.id, row.version, row.sha256)) };
  const progress = (bytes: number) => {
    tracker.file(row.id, bytes);
    deps.onProgress(tracker);
  };
  return (await alreadyDownloaded(target)) ?? (await perFile.execute(() => downloadFile(deps.client, target, stopped, progress, deps.fileDeadline), stopped));
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
  fs.mkdirSync(layout.partial, { recursive: true, mode: 0o700 });
  const result: RunResult = { downloaded: 0, bytes: 0, removed: 0, rejected: 0, failed: 0, unchanged: false, stopped: null };
  const aborted = (): StopReason => (signal.reason as StopReason | undefined) ?? { kind: 'cancelled' };

  let work: Work[];
  try {
    const planned = await planSync(deps, assignmentId, layout, manifestKnownCurrent, signal);
    Object.assign(result, { removed: planned.removed, rejected: planned.rejected, unchanged: planned.unchanged });
    work = planned.work;
  } catch (error) {
    if (signal.aborted) return { ...result, stopped: aborted() };
    const reason = stopReasonOf(error);
    if (reason) return { ...result, stopped: reason };
    throw error;
  }
  if (signal.aborted) return { ...result, stopped: aborted() };
  if (work.length === 0) return result;

  const tracker = new ProgressTracker(work.length, work.reduce((sum, { row }) => sum + row.size, 0));
  const record = recorder(deps, assignmentId);
  // One signal for everything: the caller's (pause, cancel, wipe) or this run's own stop (disk full, signed out).
  const stopper = new AbortController();
  const stopped = AbortSignal.any([signal, stopper.signal]);
  const perFile = retryPolicy(deps.retry);

  let stop: StopReason | null = null;
  const queue = [...work];
  const worker = async () => {
    for (let next = queue.shift(); next && !stopped.aborted; next = queue.shift()) {
      const { row } = next;
      try {
        const written = await fetchFile(deps, layout, next, tracker, perFile, stopped);
        tracker.fileDone(row.id, written.size);
        record.done({ row, ...written }, next.finalPath);
        result.downloaded += 1;
        result.bytes += written.size;
      } catch (error) {
        // A paused (or otherwise stopped) run keeps its partial file to resume from, so its bytes still count; a cancel deletes it.
        const keepsPartial = stopped.aborted && (stopped.reason as StopReason | undefined)?.kind !== 'cancelled';
        if (!keepsPartial) tracker.fileFailed(row.id);
        const reason = stopReasonOf(error);
        if (reason) {
          stop ??= reason;
          stopper.abort();
          break;
        }
        // Stopped by the caller or by another worker: this file was not at fault.
        if (stopped.aborted) break;
        deps.logger.warn('a file could not be synced', { assignmentId, fileId: row.id, error });
        record.failed(row, describe(error));
        result.failed += 1;
      }
      deps.onProgress(tracker);
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(deps.concurrency, work.length)) }, worker));
  } finally {
    try {
      record.flush();
    } catch (error) {
      const reason = stopReasonOf(error);
      if (!reason) throw error;
      stop ??= reason;
    }
  }
  if (!stop && signal.aborted) stop = aborted();
  return { ...result, stopped: stop };
}

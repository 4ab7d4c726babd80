import fs from 'node:fs';
import type { AnswerProgress, Guidelines } from '../../../shared/api/schemas/answers';
import type { AssignmentDetail, AssignmentSummary, FilePage, SyncProgress, SyncState } from '../../../shared/api/schemas/assignments';
import type { WipeReason } from '../../../shared/words';
import type { LocalData } from '../kernel/db/local-data';
import { scrubDeleted } from '../kernel/db/scrub';
import { prepared } from '../kernel/platform/statements';
import { AppError } from '../kernel/errors';
import type { Connection, File360Client, Unreadable } from '../remote/file360/client';
import { File360Error } from '../kernel/http/errors';
import type { Clock, Logger, Notifier } from '../kernel/ports';
import type { FileDeadline } from './downloader';
import { readGuidelines } from './guidelines';
import { assignmentLayout } from '../services/assignments/layout';
import { type ProgressTracker } from './progress';
import { runSync, type RetryOptions, type RunResult, type StopReason } from './run';
import { assignmentRow, parseTime, type AssignmentColumns, type AssignmentRow, type SyncStore } from '../services/assignments/store';
import { byStage, count, emptyTally, filesIn, outcomeWords, removeFolder, wipedBody, type WipeStep } from '../services/assignments/wipe';
import type { Owner } from '../kernel/identity';
import type { EventHub } from '../kernel/ports';
import { throttle } from '../kernel/platform/throttle';

export type { WipeReason };


export interface SyncEngineDeps {
  dataDir: string;
  data: LocalData;
  clock: Clock;
  logger: Logger;
  notifier: Notifier;
  events: EventHub;
  settings(): { syncConcurrency: number; syncIntervalMinutes: number; sendBeforeExpiryMinutes: number };
  /** The signed-in File 360 connection, or null. */
  connection(): Connection | null;
  /** Which server and tenant this computer is set up for (assignments are listed for these). */
  place(): { server: string; tenant: string } | null;
  /** Whether File 360 answered the last time the engine asked. */
  reachable(ok: boolean): void;
  /**
   * Stores a notification for an account, signed in or not, and pops it up
   * under the user's rules: a wipe is told even at start, before sign-in is
   * restored, and with no window open.
   */
  tell(owner: Owner, notice: { type: 'assignment.removed'; title: string; summary: string; assignmentId: string }): void;
  /** After each successful refresh of the assignment list: File 360 answered, so other exchanges can follow. */
  refreshed?(): void;
  /** An assignment's sync ended and its audit entries (downloads, removals) are written. */
  synced?(assignmentId: string): void;
  /** How far an assignment's answers are (the Prodigy feature counts them); null where nobody annotates. */
  answers?(row: AssignmentRow): AnswerProgress | null;
  /** The assignments repository (shared with the features that keep rows per assignment). */
  store: SyncStore;
  /** Every feature's part in a wipe. */
  wipeSteps(): readonly WipeStep[];
  /** A scheduled sync starts (File 360's other catch-ups are due with it). */
  scheduled?(): void;
  retry?: RetryOptions;
  fileDeadline?: FileDeadline;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const PROGRESS_INTERVAL_MS = 100;
const DEFAULT_RETRY: RetryOptions = { maxAttempts: 6, initialDelayMs: 250, maxDelayMs: 15_000 };

const STOP_WORDS: Record<StopReason['kind'], string> = {
  paused: 'Paused. Files already downloaded are kept; Sync continues where it stopped.',
  cancelled: 'Stopped.',
  'disk-full': 'The disk is full. Every file already checked is kept; free some space and choose Sync to continue.',
  'signed-out': 'Signed out of File 360. Sign in again to continue syncing.',
  'assignment-gone': 'This assignment is no longer shared with you.',
  error: 'Sync stopped.',
};

interface Running {
  controller: AbortController;
  done: Promise<void>;
  tracker: ProgressTracker | null;
  emit: ReturnType<typeof throttle>;
}

/** Whether File 360 describes the assignment as it is stored (when the app last wrote it aside). */
function sameAssignment(stored: AssignmentRow, next: AssignmentColumns): boolean {
  return (Object.keys(next) as Array<keyof AssignmentColumns>).every((key) => key === 'updated_at' || stored[key] === next[key]);
}

/** Turns File 360 assignments into verified files on disk, and removes them when the share ends. */
export class SyncEngine {
  readonly store: SyncStore;
  private readonly running = new Map<string, Running>();
  private readonly paused = new Set<string>();
  private readonly wiping = new Map<string, Promise<void>>();
  private cancelExpiryTimer: (() => void) | null = null;
  private cancelScheduleTimer: (() => void) | null = null;
  private closed = false;
  /** Assignments the last list from File 360 could not read, with why: kept as they were, shown with the reason. */
  private unreadable = new Map<string, string>();
  private readonly toldUnreadable = new Set<string>();

  constructor(private readonly deps: SyncEngineDeps) {
    this.store = deps.store;
  }

  // ---- reading -------------------------------------------------------------------------------

  /**
   * Signed in: that user's assignments only (another person who used this laptop
   * does not see them). Signed out: what is kept here, to work on offline.
   */
  list(): AssignmentSummary[] {
    const place = this.deps.place();
    if (!place || this.deps.data.problem()) return [];
    const user = this.deps.connection()?.owner.userId;
    return this.store
      .assignments(place)
      .filter((row) => !user || row.user_id === user)
      .map((row) => this.summary(row));
  }

  detail(id: string): AssignmentDetail {
    const row = this.rowOrThrow(id);
    const project = JSON.parse(row.project) as { recipe: string; dataset: string; labels?: string[] };
    return {
      ...this.summary(row),
      project: { recipe: project.recipe, dataset: project.dataset, labels: project.labels ?? [] },
      reviewerGroups: JSON.parse(row.reviewer_groups) as string[],
      folder: row.wiped_at ? null : assignmentLayout(this.deps.dataDir, id).files,
    };
  }

  guidelines(id: string): Guidelines {
    return readGuidelines(this.deps.dataDir, this.store, this.rowOrThrow(id));
  }

  files(id: string, offset: number, limit: number, problemsOnly: boolean): FilePage {
    this.rowOrThrow(id);
    const page = this.store.filePage(id, offset, limit, problemsOnly);
    return { total: page.total, offset, rows: page.rows.map((r) => ({ id: r.id, path: r.path, size: r.size, state: r.state, error: r.error })) };
  }

  private usable(row: AssignmentRow): AssignmentRow {
    if (row.wiped_at || row.status !== 'active') {
      throw new AppError('ASSIGNMENT_UNAVAILABLE', 'That assignment has expired or was withdrawn, so its files were removed from this computer.');
    }
    return row;
  }

  private rowOrThrow(id: string): AssignmentRow {
    const row = this.store.assignment(id);
    if (!row) throw new AppError('NOT_FOUND', 'That assignment is not on this computer.');
    return row;
  }

  private syncState(row: AssignmentRow, problems: number, filesOnDisk: number): SyncState {
    if (row.wiped_at) return 'wiped';
    if (this.running.has(row.id)) return 'syncing';
    if (this.paused.has(row.id)) return 'paused';
    if (row.sync_error || problems > 0) return 'problem';
    if (!row.last_synced_at && filesOnDisk === 0) return 'never';
    return row.synced_manifest_version === row.manifest_version ? 'synced' : 'changed';
  }

  private summary(row: AssignmentRow): AssignmentSummary {
    const counts = this.store.counts(row.id);
    const unreadable = row.wiped_at ? undefined : this.unreadable.get(row.id);
    const problems = counts.error.files + counts.rejected.files;
    const sharer = row.sharer ? (JSON.parse(row.sharer) as { display_name?: string }).display_name ?? null : null;
    return {
      id: row.id,
      name: row.name,
      role: row.role as AssignmentSummary['role'],
      status: row.status as AssignmentSummary['status'],
      permissions: JSON.parse(row.permissions) as string[],
      dueDate: row.due_date,
      expiration: row.expiration,
      sharer,
      fileCount: row.file_count,
      totalSize: row.total_size,
      sync: {
        state: unreadable && !this.running.has(row.id) ? 'problem' : this.syncState(row, problems, counts.done.files),
        lastSyncedAt: row.last_synced_at,
        error: unreadable ? `File 360 sent this assignment in a form the app cannot read (${unreadable}); what was synced before is kept.` : row.sync_error,
        filesOnDisk: counts.done.files,
        bytesOnDisk: counts.done.bytes,
        problems,
      },
      wiped: row.wiped_at ? { at: row.wiped_at, reason: row.wipe_reason as WipeReason, detail: row.wipe_detail } : null,
      closing: this.closing(row),
      answers: this.deps.answers?.(row) ?? null,
    };
  }

  /** When unsent work is sent ahead of the expiry (exports/ahead-of-expiry.ts does it), for assignments whose work can still be sent. */
  private closing(row: AssignmentRow): AssignmentSummary['closing'] {
    const endsAt = parseTime(row.expiration);
    if (endsAt === null || row.wiped_at || row.status !== 'active' || row.role !== 'annotator' || !(JSON.parse(row.permissions) as string[]).includes('upload')) return null;
    return { sendAt: new Date(endsAt - this.deps.settings().sendBeforeExpiryMinutes * 60_000).toISOString(), endsAt: new Date(endsAt).toISOString() };
  }

  // ---- syncing -------------------------------------------------------------------------------

  private requireConnection(): Connection {
    const connection = this.deps.connection();
    if (!connection) throw new AppError('NOT_SIGNED_IN', 'Sign in to File 360 first.');
    return connection;
  }

  /**
   * File 360's answers as the user should read them: network trouble is OFFLINE
   * (the engine keeps working from local data), any other refusal keeps the
   * server's words under FILE360_REFUSED rather than becoming an internal error.
   */
  private async online<T>(call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      this.deps.reachable(true);
      return result;
    } catch (error) {
      if (!(error instanceof File360Error)) throw error;
      const unreachable = error.kind === 'network' || error.kind === 'timeout';
      this.deps.reachable(!unreachable);
      if (unreachable) throw new AppError('OFFLINE', 'File 360 cannot be reached right now. Your files stay available; the app tries again on its own.');
      // Expiry and revocation are acted on by the caller (a wipe), so they keep their status and code.
      if (error.status === 403 && (error.code === 'ASSIGNMENT_EXPIRED' || error.code === 'ASSIGNMENT_REVOKED')) throw error;
      throw new AppError('FILE360_REFUSED', error.message);
    }
  }

  /**
   * Fetches the assignment list; removes what is no longer shared, and brings
   * back what is shared again. An assignment File 360 describes in a form the
   * app cannot read fails alone: the others are stored, it is not wiped, and
   * the user is told which one and why.
   */
  async refresh(): Promise<void> {
    const { client, owner } = this.requireConnection();
    const { items, unreadable } = await this.online(() => client.assignments());
    const now = this.deps.clock.now();
    const rows = items.flatMap((assignment) => {
      try {
        return [{ assignment, row: assignmentRow(owner, assignment, now.toISOString()) }];
      } catch (error) {
        unreadable.push({ id: assignment.id, name: assignment.name, reason: `it could not be stored (${(error as Error).message})` });
        return [];
      }
    });
    const listed = rows.map(({ assignment }) => assignment);
    this.noteUnreadable(unreadable);
    const gone: Array<[string, WipeReason]> = [];
    // Only what File 360 changed is written: a refresh that finds nothing new costs no commit (no fsync).
    const changed = rows.flatMap(({ assignment, row }) => {
      const before = this.store.assignment(assignment.id);
      const live = assignment.status === 'active' && (parseTime(assignment.expiration ?? null) ?? Infinity) > now.getTime();
      const restore = Boolean(before?.wiped_at && live);
      return before && !restore && sameAssignment(before, row) ? [] : [{ assignment, row, before, restore }];
    });
    if (changed.length > 0) {
      this.deps.data.transaction(({ audit }) => {
        for (const { assignment, row, before, restore } of changed) {
          this.store.upsertRow(row);
          // Re-shared, extended or reinstated: its files may come back.
          if (restore) {
            this.store.unwipe(assignment.id);
            audit.append({ type: 'assignment.restored', assignmentId: assignment.id, details: { name: assignment.name, wipedAt: before?.wiped_at } });
          }
        }
      });
    }
    // One that could not be read is still shared: keeping its files is the safe side.
    const listedIds = new Set([...listed.map((a) => a.id), ...unreadable.flatMap((u) => (u.id ? [u.id] : []))]);
    for (const row of this.store.assignments(owner)) {
      if (row.wiped_at || row.user_id !== owner.userId) continue;
      if (!listedIds.has(row.id)) gone.push([row.id, 'removed']);
      else if (row.status === 'expired' || row.status === 'revoked') gone.push([row.id, row.status]);
    }
    for (const [id, reason] of gone) await this.wipe(id, reason, 'File 360');
    await this.checkExpiry();
    this.deps.events.emit('assignments.changed', {});
    this.deps.refreshed?.();
  }

  /** Remembers which assignments the last list could not read, and tells the user once about each one not kept here already. */
  private noteUnreadable(unreadable: readonly Unreadable[]): void {
    this.unreadable = new Map(unreadable.flatMap((u) => (u.id ? [[u.id, u.reason] as const] : [])));
    for (const u of unreadable) {
      this.deps.logger.warn('File 360 listed an assignment the app cannot read', { assignmentId: u.id, reason: u.reason });
      const key = u.id ?? u.name ?? u.reason;
      if ((u.id && this.store.assignment(u.id)) || this.toldUnreadable.has(key)) continue;
      this.toldUnreadable.add(key);
      this.deps.notifier.show({
        title: 'An assignment could not be read',
        body: `File 360 shared ${u.name ? `“${u.name}”` : u.id ? `assignment ${u.id}` : 'an assignment'} in a form this app cannot read (${u.reason}). The other assignments are listed as usual; ask the person who shared it.`.slice(0, 1000),
        route: { section: 'assignments' },
      });
    }
  }

  /**
   * The assignment asked for (which must still be shared), or every one still
   * shared with the signed-in user; an automatic sync leaves paused ones alone.
   */
  targets(id?: string, automatic = false): string[] {
    if (id) return [this.usable(this.rowOrThrow(id)).id];
    const place = this.deps.place();
    const user = this.deps.connection()?.owner.userId;
    if (!place || !user) return [];
    return this.store
      .assignments(place)
      .filter((row) => !row.wiped_at && row.status === 'active' && row.user_id === user && !(automatic && this.paused.has(row.id)))
      .map((row) => row.id);
  }

  /** Syncs each assignment in turn; one that fails is logged and the rest go on. */
  async syncAll(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      if (this.closed) return;
      await this.syncOne(id).catch((error: unknown) => this.deps.logger.warn('an assignment did not sync', { assignmentId: id, error }));
    }
  }

  /** What the app does on its own (after sign-in, at start, on the timer): refresh, then sync what is not paused. */
  async sync(): Promise<void> {
    await this.refresh();
    await this.syncAll(this.targets(undefined, true));
  }

  /** Starts (or joins) the run for one assignment, whose row is already up to date. */
  async syncOne(id: string): Promise<void> {
    if (this.closed) return;
    const existing = this.running.get(id);
    if (existing) return existing.done;
    const row = this.usable(this.rowOrThrow(id));
    const permissions = JSON.parse(row.permissions) as string[];
    if (!permissions.includes('download')) {
      this.store.setSynced(id, null, null, 'You can see this assignment but File 360 does not let you download its files.');
      this.deps.events.emit('assignments.changed', {});
      return;
    }
    const { client } = this.requireConnection();
    this.paused.delete(id);
    const entry: Running = {
      controller: new AbortController(),
      tracker: null,
      done: Promise.resolve(),
      emit: throttle(() => this.emitProgress(id, 'syncing', null), PROGRESS_INTERVAL_MS),
    };
    this.running.set(id, entry);
    // A new run's bar starts at once, so the last run's "Sync finished" does not linger beside Pause and Cancel.
    this.emitProgress(id, 'syncing', null);
    this.deps.events.emit('assignments.changed', {});
    entry.done = (async () => {
      let gone: WipeReason | null = null;
      try {
        gone = await this.execute(id, row, client, entry);
      } catch (error) {
        // Even recording the outcome failed (a full database disk): the run must still end.
        this.deps.logger.error('sync run failed', { assignmentId: id, error });
        this.emitProgress(id, 'stopped', 'Sync stopped; the details are in the log.');
      } finally {
        entry.emit.cancel();
        this.running.delete(id);
      }
      // Only once the run is over: wipe() waits for a running sync, and this was that sync.
      if (gone) await this.wipe(id, gone, 'File 360').catch((error: unknown) => this.deps.logger.error('wipe failed', { assignmentId: id, error }));
      this.deps.events.emit('assignments.changed', {});
    })();
    return entry.done;
  }

  /** Runs the sync; says whether File 360 has ended the share (the caller wipes it). */
  private async execute(id: string, row: AssignmentRow, client: File360Client, entry: Running): Promise<WipeReason | null> {
    let result: RunResult;
    try {
      result = await this.online(() =>
        runSync(
          {
            dataDir: this.deps.dataDir,
            data: this.deps.data,
            store: this.store,
            client,
            logger: this.deps.logger,
            concurrency: this.deps.settings().syncConcurrency,
            retry: this.deps.retry ?? DEFAULT_RETRY,
            fileDeadline: this.deps.fileDeadline,
            now: () => this.deps.clock.now(),
            onProgress: (tracker) => {
              entry.tracker = tracker;
              entry.emit.poke();
            },
          },
          id,
          row.synced_manifest_version === row.manifest_version,
          entry.controller.signal,
        ),
      );
    } catch (error) {
      if (error instanceof File360Error && error.status === 403 && (error.code === 'ASSIGNMENT_EXPIRED' || error.code === 'ASSIGNMENT_REVOKED')) {
        return error.code === 'ASSIGNMENT_REVOKED' ? 'revoked' : 'expired';
      }
      const message = error instanceof AppError ? error.message : 'Sync failed; the details are in the log.';
      if (!(error instanceof AppError)) this.deps.logger.error('sync failed', { assignmentId: id, error });
      this.store.setSynced(id, null, null, message);
      this.emitProgress(id, 'stopped', message);
      return null;
    }
    return this.finish(id, row, result);
  }

  private finish(id: string, row: AssignmentRow, result: RunResult): WipeReason | null {
    const now = this.deps.clock.now().toISOString();
    const stop = result.stopped;
    if (stop?.kind === 'assignment-gone') return stop.code === 'ASSIGNMENT_REVOKED' ? 'revoked' : 'expired';
    if (stop?.kind === 'paused') this.paused.add(id);
    const complete = !stop && result.failed === 0;
    const message = stop ? STOP_WORDS[stop.kind] : result.failed > 0 ? `${result.failed} file(s) could not be downloaded; Sync tries them again.` : null;
    // Pausing or cancelling is the user's choice, not a problem to show.
    const problem = stop?.kind === 'paused' || stop?.kind === 'cancelled' ? null : message;
    if (result.unchanged) {
      this.store.setSynced(id, row.manifest_version, now, null);
    } else {
      this.deps.data.transaction(({ audit }) => {
        // A run with rejected paths is still complete: those files are refused on purpose, and listed.
        this.store.setSynced(id, complete ? row.manifest_version : null, complete ? now : null, problem);
        audit.append({
          type: stop ? 'sync.stopped' : 'sync.completed',
          assignmentId: id,
          details: { downloaded: result.downloaded, bytes: result.bytes, removed: result.removed, rejected: result.rejected, failed: result.failed, ...(stop ? { reason: stop.kind } : {}) },
        });
      });
    }
    this.emitProgress(id, stop ? (stop.kind === 'paused' ? 'paused' : 'stopped') : 'finished', message);
    if (!result.unchanged) this.deps.synced?.(id);
    return null;
  }

  /** A Sync that could not even start (offline): each assignment's bar says so instead of keeping the last run's outcome. */
  notStarted(ids: readonly string[], message: string): void {
    for (const id of ids) if (!this.running.has(id)) this.emitProgress(id, 'stopped', message);
  }

  private emitProgress(id: string, state: SyncProgress['state'], message: string | null): void {
    const snapshot = this.running.get(id)?.tracker?.snapshot();
    this.deps.events.emit('sync.progress', {
      assignmentId: id,
      state,
      filesDone: snapshot?.filesDone ?? 0,
      filesTotal: snapshot?.filesTotal ?? 0,
      bytesDone: snapshot?.bytesDone ?? 0,
      bytesTotal: snapshot?.bytesTotal ?? 0,
      rateBytesPerSecond: snapshot?.rateBytesPerSecond ?? 0,
      etaSeconds: snapshot?.etaSeconds ?? null,
      message,
    });
  }

  /** Pauses a run; partial downloads stay so the next Sync resumes them. */
  async pause(id: string): Promise<void> {
    const running = this.running.get(id);
    if (!running) return;
    running.controller.abort({ kind: 'paused' } satisfies StopReason);
    await running.done;
  }

  /** Stops a run and throws away its partial downloads; finished files stay. */
  async cancel(id: string): Promise<void> {
    const running = this.running.get(id);
    if (running) {
      running.controller.abort({ kind: 'cancelled' } satisfies StopReason);
      await running.done;
    }
    this.paused.delete(id);
    fs.rmSync(assignmentLayout(this.deps.dataDir, id).partial, { recursive: true, force: true });
    this.deps.events.emit('assignments.changed', {});
  }

  // ---- ending a share ------------------------------------------------------------------------

  /**
   * Removes an assignment's files from this computer and records why. Files go
   * first: if that fails the row is left as it was, and the next check tries again.
   */
  wipe(id: string, reason: WipeReason, source: 'File 360' | 'local clock'): Promise<void> {
    // Two reasons can arrive at once (the clock and File 360); one wipe, one record.
    const inFlight = this.wiping.get(id);
    if (inFlight) return inFlight;
    const wiping = this.doWipe(id, reason, source).finally(() => this.wiping.delete(id));
    this.wiping.set(id, wiping);
    return wiping;
  }

  private async doWipe(id: string, reason: WipeReason, source: 'File 360' | 'local clock'): Promise<void> {
    const running = this.running.get(id);
    if (running) {
      running.controller.abort({ kind: 'cancelled' } satisfies StopReason);
      await running.done;
    }
    const row = this.store.assignment(id);
    if (!row || row.wiped_at) return;
    const tally = emptyTally();
    const steps = byStage(this.deps.wipeSteps());
    for (const step of steps) {
      await step.settle?.(row, tally).catch((error: unknown) => this.deps.logger.warn('a wipe step did not settle; the wipe goes on', { assignmentId: id, step: step.name, error }));
    }
    const folders = [{ kind: 'files', dir: assignmentLayout(this.deps.dataDir, id).root }, ...steps.flatMap((step) => step.folders?.(row) ?? [])];
    try {
      for (const { kind, dir } of folders) {
        count(tally.removed, kind, filesIn(dir));
        removeFolder(dir);
      }
    } catch (error) {
      this.deps.logger.error('could not remove an expired assignment’s files; will try again', { assignmentId: id, error });
      return;
    }
    this.deps.data.transaction(({ db, audit }) => {
      const files = this.store.removeAllFiles(id);
      for (const step of steps) step.erase?.(row, db, tally);
      this.store.setWiped(id, this.deps.clock.now().toISOString(), reason, outcomeWords(tally));
      audit.append({ type: 'assignment.wiped', assignmentId: id, details: { name: row.name, reason, decidedBy: source, files, removed: tally.removed, delivered: tally.delivered } });
      if (Object.keys(tally.lost).length > 0) audit.append({ type: 'assignment.work_lost', assignmentId: id, details: { lost: tally.lost, answers: tally.lostAnswers, why: tally.why } });
    });
    this.paused.delete(id);
    // After every step's erase: the outbox's counts what else could not be sent.
    this.tellWiped(row, wipedBody(row.name, reason, tally));
    this.scrub(id);
    this.deps.events.emit('assignments.changed', {});
  }

  /** The wipe is done and recorded whatever happens here: a notification that cannot be stored is logged, not a failed wipe. */
  private tellWiped(row: AssignmentRow, body: string): void {
    try {
      this.deps.tell(
        { server: row.server, tenant: row.tenant, userId: row.user_id },
        { type: 'assignment.removed', assignmentId: row.id, title: 'Assignment removed from this computer', summary: body },
      );
    } catch (error) {
      this.deps.logger.error('a wipe could not be told; it is done and in the audit log', { assignmentId: row.id, error });
    }
  }

  /** What the wipe deleted leaves the database file and its WAL too (db/scrub.ts). */
  private scrub(id: string): void {
    try {
      const result = scrubDeleted(this.deps.data.require().db, () => this.deps.clock.now().toISOString());
      if (!result.checkpointed) this.deps.logger.warn('the database log could not be emptied after a wipe; the next wipe tries again', { assignmentId: id });
    } catch (error) {
      this.deps.logger.error('deleted rows could not be scrubbed from the database after a wipe', { assignmentId: id, error });
    }
  }

  /** Wipes every assignment whose expiry has passed by this computer's clock, online or not. */
  checkExpiry(): Promise<void> {
    if (this.closed || this.deps.data.problem()) return Promise.resolve();
    const now = this.deps.clock.now().getTime();
    const rows = prepared<[], AssignmentRow>(this.deps.data.require().db, 'SELECT * FROM assignments WHERE wiped_at IS NULL').all();
    const expired = rows.filter((row) => (parseTime(row.expiration) ?? Infinity) <= now);
    const wipes = expired.map((row) => this.wipe(row.id, 'expired', 'local clock').catch((error: unknown) => this.deps.logger.error('wipe failed', { assignmentId: row.id, error })));
    this.cancelExpiryTimer?.();
    const next = Math.min(...rows.map((row) => parseTime(row.expiration) ?? Infinity).filter((t) => t > now));
    // Long waits are re-checked daily: timers cannot wait beyond ~24.8 days, and clocks get adjusted.
    this.cancelExpiryTimer = Number.isFinite(next) ? this.deps.clock.setTimeout(() => void this.checkExpiry(), Math.min(next - now, DAY_MS)) : null;
    return Promise.all(wipes).then(() => undefined);
  }

  // ---- schedule ------------------------------------------------------------------------------

  /** Syncs every `syncIntervalMinutes` while signed in (0 turns it off). */
  schedule(): void {
    this.cancelScheduleTimer?.();
    this.cancelScheduleTimer = null;
    const minutes = this.deps.settings().syncIntervalMinutes;
    if (this.closed || minutes === 0) return;
    this.cancelScheduleTimer = this.deps.clock.setTimeout(() => {
      const signedIn = this.deps.connection() !== null;
      if (signedIn) this.deps.scheduled?.();
      const run = signedIn ? this.sync() : Promise.resolve();
      run.catch((error: unknown) => this.deps.logger.info('scheduled sync did not finish', { error })).finally(() => this.schedule());
    }, minutes * 60_000);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelExpiryTimer?.();
    this.cancelScheduleTimer?.();
    await Promise.all([...this.running.values()].map((running) => {
      running.controller.abort({ kind: 'paused' } satisfies StopReason);
      return running.done;
    }));
  }
}

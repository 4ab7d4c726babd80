import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AnswerFilter, AnswerPage, AnswerProgress } from '../../../shared/api/schemas/answers';
import type { ProdigyInfo } from '../../../shared/api/schemas/prodigy';
import type { AnswerCounts, LogLine, SessionState, SessionView } from '../../../shared/api/schemas/sessions';
import type { LocalData } from '../kernel/db/local-data';
import { prepared } from '../kernel/platform/statements';
import { AppError } from '../kernel/errors';
import { writeFileAtomic } from '../kernel/platform/atomic-file';
import type { Clock, Logger, Notifier, SessionViewer } from '../kernel/ports';
import { ownSessionDataset, prodigyHome, sessionNameFor } from '../services/prodigy/home';
import type { AssignmentRow, SyncStore } from '../services/assignments/store';
import { count, type WipeStep } from '../services/assignments/wipe';
import { prodigyVersion } from '../services/prodigy/cli';
import { commandLineOf, freePort, inheritedEnv, isAlive, parseCommand, signalTree } from '../services/prodigy/process';
import { AllAnswersCache, listAnswers } from '../services/prodigy/answers';
import type { BoundedLog } from './log';
import { AnswerCountWatch, countExamples, rememberedAnswerCounts } from '../services/prodigy/progress';
import { recipeArgs, recipeProblem, taskKind, type ProjectSpec } from './recipes';
import { ProdigyRun, StoppedBeforeReadyError, isPortTaken, type Exit, type RunTimeouts } from './run';
import { buildSource, instructionsHtml } from './source';
import { syncedFiles, type SyncedFile } from '../services/assignments/synced-files';
import { readUserConfig, type UserConfig } from './user-config';
import { MINIMUM_PRODIGY, isSupported, versionWords } from './version';
import type { EventHub } from '../kernel/ports';

export interface ProdigyDeps {
  dataDir: string;
  data: LocalData;
  store: SyncStore;
  clock: Clock;
  logger: Logger;
  notifier: Notifier;
  events: EventHub;
  prodigyCommand(): string;
  place(): { server: string; tenant: string } | null;
  viewer: SessionViewer;
  /** The environment Prodigy inherits (PATH, PYTHONPATH, …). */
  env: NodeJS.ProcessEnv;
  /** The user's home, where their own ~/.prodigy/prodigy.json is. */
  homedir: string;
  timeouts?: Partial<RunTimeouts>;
  /** Picks a port for a new session; tests hand out a busy one first. */
  pickPort?: () => Promise<number>;
  /** A session that ran has ended (stopped or crashed): its answers may be exported. */
  ended?(assignmentId: string, how: 'stopped' | 'crashed'): void;
  /** Prodigy crashed or the source was unusable; called inside the transaction that records it. */
  failed?(assignmentId: string, failure: { reason: 'crashed' | 'invalid-source'; message: string }): void;
}

interface Live {
  rowId: number;
  run: ProdigyRun;
  state: SessionState;
  dataset: string;
  sessionDataset: string;
  total: number;
  skipped: Array<{ path: string; reason: string }>;
  /** The files Prodigy reads in this session, recorded as opened once it is up. */
  opened: OpenedFile[];
  counts: AnswerCountWatch;
  startedAt: string;
  /** As `prodigy stats` reported it; null when it could not say. */
  version: string | null;
  poll: ReturnType<typeof setInterval> | null;
}

interface OpenedFile {
  id: string;
  path: string;
  version: number | null;
  sha256: string;
  as: 'tasks' | 'instructions';
}

interface SessionRow {
  id: number;
  assignment_id: string;
  pid: number | null;
  prodigy_home: string;
  dataset: string;
  session_name: string;
  state: SessionState;
  message: string | null;
  started_at: string;
  ended_at: string | null;
  total: number | null;
  counts: string | null;
  counts_stamp: string | null;
}

const DEFAULT_TIMEOUTS: RunTimeouts = { readyMs: 60_000, sigintMs: 5000, sigtermMs: 3000 };
/** `prodigy stats` imports all of Prodigy; a slow laptop may take a while, a hung one must not hold up a start. */
const VERSION_TIMEOUT_MS = 60_000;
/** How long a session that is ready waits for that answer before it is recorded without a version. */
const VERSION_WAIT_MS = 3000;
const PORT_ATTEMPTS = 4;
const PROGRESS_POLL_MS = 1500;

/** One supervised Prodigy per assignment, started from the assignment's synced files. */
export class ProdigyService {
  private readonly live = new Map<string, Live>();
  private readonly starting = new Map<string, Promise<SessionView>>();
  /** The output of each assignment's last run, kept after it ends: a crash is read afterwards. */
  private readonly logs = new Map<string, BoundedLog>();
  private readonly timeouts: RunTimeouts;
  private closing = false;
  /** What `prodigy stats` said, per command: asked once per run of the app, or again on request. */
  private readonly versions = new Map<string, Promise<{ version: string | null; problem: string | null; checkedAt: string }>>();
  private readonly allAnswers: AllAnswersCache;

  constructor(private readonly deps: ProdigyDeps) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
    this.allAnswers = new AllAnswersCache(() => this.db());
  }

  private home(assignmentId: string): string {
    return prodigyHome(this.deps.dataDir, assignmentId);
  }

  private db() {
    return this.deps.data.require().db;
  }

  private lastRow(assignmentId: string): SessionRow | undefined {
    return prepared<[string], SessionRow>(this.db(), 'SELECT * FROM prodigy_sessions WHERE assignment_id = ? ORDER BY id DESC LIMIT 1').get(assignmentId);
  }

  // ---- what the UI sees -------------------------------------------------------------------------

  /** Deciding items under Reviews is the work, not a Prodigy session. */
  private inReviews(row: AssignmentRow): boolean {
    return row.role !== 'annotator' || (JSON.parse(row.project) as ProjectSpec).recipe === 'review';
  }

  private whyNot(row: AssignmentRow): string | null {
    if (row.wiped_at || row.status !== 'active') return 'This assignment is no longer shared with you.';
    if (this.inReviews(row)) return 'You review this assignment: its items to decide are under Reviews.';
    const project = JSON.parse(row.project) as ProjectSpec;
    const unsupported = recipeProblem(project);
    if (unsupported) return unsupported;
    if (this.deps.store.counts(row.id).done.files === 0) return 'Sync this assignment first: none of its files are on this computer yet.';
    return null;
  }

  /** The running session's counts, or those of the last one (remembered on its row); null before the first. */
  private counts(row: AssignmentRow, last = this.lastRow(row.id)): AnswerCounts | null {
    const live = this.live.get(row.id);
    if (live) return live.counts.current;
    return last ? rememberedAnswerCounts(this.db(), last, this.home(row.id), `${last.dataset}-${last.session_name}`, last.total ?? 0) : null;
  }

  view(row: AssignmentRow): SessionView {
    const live = this.live.get(row.id);
    const last = live ? undefined : this.lastRow(row.id);
    const project = JSON.parse(row.project) as { recipe: string; dataset: string };
    const whyNot = this.whyNot(row);
    return {
      assignmentId: row.id,
      assignmentName: row.name,
      recipe: project.recipe,
      dataset: project.dataset,
      state: live?.state ?? last?.state ?? 'idle',
      message: live ? null : (last?.message ?? null),
      startedAt: live?.startedAt ?? last?.started_at ?? null,
      endedAt: live ? null : (last?.ended_at ?? null),
      progress: this.counts(row, last),
      skipped: live?.skipped ?? [],
      startable: whyNot === null,
      whyNot,
      inReviews: this.inReviews(row),
    };
  }

  /**
   * How far an annotator assignment is, for the Assignments list: this
   * person's answers as Sessions counts them, and every answer in this
   * computer's Prodigy database for the assignment, whoever gave it.
   */
  answerProgress(row: AssignmentRow): AnswerProgress | null {
    const project = JSON.parse(row.project) as { recipe: string; dataset: string };
    if (row.wiped_at || row.role !== 'annotator' || project.recipe === 'review') return null;
    const mine = this.counts(row);
    const all = this.allAnswers.read(row.id, this.home(row.id), project.dataset);
    // My answers are in the main dataset too; one read may land between Prodigy's two writes of an answer.
    return { total: mine?.total ?? null, mine: mine?.answered ?? 0, all: Math.max(all.all, mine?.answered ?? 0), annotators: all.annotators };
  }

  /** A page of the signed-in person's own answers in an assignment, newest first. */
  answers(input: { assignmentId: string; query: string; answer: AnswerFilter; offset: number; limit: number }): AnswerPage {
    const row = this.rowOrThrow(input.assignmentId);
    if (row.wiped_at) throw new AppError('ASSIGNMENT_UNAVAILABLE', 'This assignment’s files and answers were removed from this computer.');
    return listAnswers(this.home(row.id), ownSessionDataset(row), input);
  }

  list(): SessionView[] {
    const place = this.deps.place();
    if (!place || this.deps.data.problem()) return [];
    return this.deps.store.assignments(place).filter((row) => !row.wiped_at).map((row) => this.view(row));
  }

  private rowOrThrow(assignmentId: string): AssignmentRow {
    const row = this.deps.store.assignment(assignmentId);
    if (!row) throw new AppError('NOT_FOUND', 'That assignment is not on this computer.');
    return row;
  }

  private changed(assignmentId: string): void {
    const row = this.deps.store.assignment(assignmentId);
    if (row) this.deps.events.emit('sessions.changed', this.view(row));
  }

  log(assignmentId: string) {
    return { assignmentId, lines: forPeople(this.logs.get(assignmentId)?.all() ?? []) };
  }

  // ---- starting ---------------------------------------------------------------------------------

  /** Starts Prodigy for an assignment, or returns the one already running; resolves once it answers. */
  start(assignmentId: string): Promise<SessionView> {
    const row = this.rowOrThrow(assignmentId);
    // A start already on its way (maybe still before its first await) is joined, not repeated.
    const pending = this.starting.get(assignmentId);
    if (pending) return pending;
    const current = this.live.get(assignmentId);
    if (current?.state === 'running') return Promise.resolve(this.view(row));
    if (this.closing) return Promise.reject(new AppError('SESSION_NOT_RUNNING', 'The app is quitting, so no session starts now.'));
    const whyNot = this.whyNot(row);
    if (whyNot) return Promise.reject(new AppError('SESSION_NOT_RUNNING', whyNot));
    // Still stopping (another window asked, or the UI has not caught up): start once that one is gone.
    const started = (current ? current.run.exited.then(() => this.launch(row)) : this.launch(row)).finally(() => this.starting.delete(assignmentId));
    this.starting.set(assignmentId, started);
    return started;
  }

  /** Every synced file that fed the source (not those skipped), and the instructions, with the version read. */
  private openedFiles(row: AssignmentRow, files: readonly SyncedFile[], skipped: ReadonlyArray<{ path: string }>, instructionsId: string | null): OpenedFile[] {
    const left = new Set(skipped.map((file) => file.path));
    const versions = new Map(this.deps.store.files(row.id).map((file) => [file.id, file.version]));
    return files
      .filter((file) => !left.has(file.path))
      .map((file) => ({ id: file.id, path: file.path, version: versions.get(file.id) ?? null, sha256: file.sha256, as: file.id === instructionsId ? 'instructions' : 'tasks' }));
  }

  /**
   * The session's prodigy.json: the user's own settings (themes, batch size,
   * keyboard…) with what the app decides on top. `instant_submit` sends every
   * answer to Prodigy's database as it is given, so stopping a session (the
   * Stop button, quitting, an expiry wipe) or a crash loses none; the cost is
   * Prodigy's undo of answers still in the page, which instant_submit turns
   * off. Host and port come from the environment, which beats the file.
   */
  private writeConfig(home: string, user: UserConfig, instructions: string | null): void {
    const config: Record<string, unknown> = {
      ...user.kept,
      db: 'sqlite',
      db_settings: { sqlite: { name: 'prodigy.db', path: home } },
      show_flag: true,
      feed_overlap: false,
      instant_submit: true,
      ...(instructions ? { instructions } : {}),
    };
    // annotations_per_task is File 360's business: on a laptop with one session it would only lock tasks away.
    writeFileAtomic(path.join(home, 'prodigy.json'), `${JSON.stringify(config, null, 2)}\n`);
  }

  // ---- which Prodigy ----------------------------------------------------------------------------

  private checkVersion(command: string, again: boolean) {
    const known = this.versions.get(command);
    if (known && !again) return known;
    const asked = prodigyVersion({ command, home: path.join(this.deps.dataDir, 'prodigy', '.stats'), env: this.deps.env, timeoutMs: VERSION_TIMEOUT_MS }).then(
      (version) => ({ version, problem: null, checkedAt: this.deps.clock.now().toISOString() }),
      (error: unknown) => ({ version: null, problem: `Prodigy could not be asked for its version: ${(error as Error).message}`, checkedAt: this.deps.clock.now().toISOString() }),
    );
    this.versions.set(command, asked);
    return asked;
  }

  /** The Prodigy the command in Settings runs, and the user's settings sessions take over. */
  async info(again = false): Promise<ProdigyInfo> {
    const command = this.deps.prodigyCommand();
    const { version, problem, checkedAt } = await this.checkVersion(command, again);
    const user = readUserConfig(this.deps.env, this.deps.homedir);
    return {
      command,
      version,
      minimum: MINIMUM_PRODIGY,
      supported: version ? isSupported(version) : null,
      message: versionWords(version, problem),
      checkedAt,
      userConfig: { file: user.file, found: user.found, kept: Object.keys(user.kept).sort(), ignored: user.ignored, problems: user.problems },
    };
  }

  /** The assignment's PRODIGY_HOME made ready: the source from the synced files, the instructions, prodigy.json. */
  private prepareHome(row: AssignmentRow) {
    const project = JSON.parse(row.project) as ProjectSpec & { instructions_file_id?: string };
    const home = this.home(row.id);
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    const files = syncedFiles(this.deps.dataDir, this.deps.store, row);
    const instructionsFile = files.find((file) => file.id === project.instructions_file_id) ?? null;
    const source = this.reportingInvalid(row.id, () => buildSource(files, path.join(home, 'source.jsonl'), instructionsFile?.id ?? null, taskKind(project)));
    const opened = this.openedFiles(row, files, source.skipped, instructionsFile?.id ?? null);
    const instructions = instructionsFile ? path.join(home, 'instructions.html') : null;
    if (instructionsFile && instructions) writeFileAtomic(instructions, instructionsHtml(instructionsFile));
    const user = readUserConfig(this.deps.env, this.deps.homedir);
    this.writeConfig(home, user, instructions);
    return { project, home, source, opened, user };
  }

  private async launch(row: AssignmentRow): Promise<SessionView> {
    const commandSetting = this.deps.prodigyCommand();
    const command = parseCommand(commandSetting);
    const { project, home, source, opened, user } = this.prepareHome(row);
    // Asked while Prodigy starts, not before: `stats` imports all of Prodigy too, and the user is waiting.
    const versionCheck = this.checkVersion(commandSetting, false);

    const sessionName = sessionNameFor(row.user_id);
    const argv = [...command, ...recipeArgs(project, source.file)];
    // No colour codes in what the Sessions view shows; the log strips any a wrapper adds anyway.
    const base = { ...inheritedEnv(this.deps.env), ANSI_COLORS_DISABLED: '1', NO_COLOR: '1', PYTHONIOENCODING: 'utf-8' };
    const auth = { user: `companion-${randomBytes(4).toString('hex')}`, pass: randomBytes(24).toString('base64url') };
    const startedAt = this.deps.clock.now().toISOString();

    for (let attempt = 1; ; attempt += 1) {
      const port = await (this.deps.pickPort ?? freePort)();
      if (this.closing) throw new AppError('SESSION_NOT_RUNNING', 'The app is quitting, so no session starts now.');
      const env = {
        ...base,
        PRODIGY_HOME: home,
        PRODIGY_HOST: '127.0.0.1',
        PRODIGY_PORT: String(port),
        PRODIGY_ALLOWED_SESSIONS: sessionName,
        PRODIGY_BASIC_AUTH_USER: auth.user,
        PRODIGY_BASIC_AUTH_PASS: auth.pass,
        PYTHONUNBUFFERED: '1',
      };
      // The row first: a Prodigy whose pid is recorded can be found again if the app dies now.
      const rowId = Number(
        prepared(
          this.db(),
          `INSERT INTO prodigy_sessions (assignment_id, port, prodigy_home, dataset, session_name, state, started_at, total)
           VALUES (?, ?, ?, ?, ?, 'starting', ?, ?)`,
        ).run(row.id, port, home, project.dataset, sessionName, startedAt, source.tasks).lastInsertRowid,
      );
      const run = new ProdigyRun({ argv, env, home, port, auth }, () => this.deps.clock.now());
      this.logs.set(row.id, run.log);
      this.noteSettings(run.log, user);
      const sessionDataset = `${project.dataset}-${sessionName}`;
      const live: Live = {
        rowId,
        run,
        state: 'starting',
        dataset: project.dataset,
        sessionDataset,
        total: source.tasks,
        skipped: source.skipped,
        opened,
        version: null,
        counts: new AnswerCountWatch(home, sessionDataset, source.tasks),
        startedAt,
        poll: null,
      };
      this.live.set(row.id, live);
      try {
        prepared(this.db(), 'UPDATE prodigy_sessions SET pid = ? WHERE id = ?').run(run.pid ?? null, rowId);
        this.changed(row.id);
        await run.ready(this.timeouts, command[0] ?? '', commandSetting);
      } catch (error) {
        const how = await (run.stopRequested ? run.exited : run.stop(this.timeouts));
        if (this.live.get(row.id) === live) this.live.delete(row.id);
        if (error instanceof StoppedBeforeReadyError) {
          this.endRow(rowId, 'stopped', 'Stopped before Prodigy was ready.', how);
          this.changed(row.id);
          return this.view(row);
        }
        const retry = isPortTaken(error) && attempt < PORT_ATTEMPTS;
        this.endRow(rowId, retry ? 'stopped' : 'failed', retry ? `Port ${port} was taken; tried another.` : (error as Error).message, how);
        if (retry) continue;
        this.deps.logger.warn('Prodigy did not start', { assignmentId: row.id, error });
        this.changed(row.id);
        throw isPortTaken(error) ? new AppError('PRODIGY_FAILED', `Prodigy could not find a free port after ${PORT_ATTEMPTS} tries.`) : error;
      }
      live.version = await Promise.race([versionCheck.then((checked) => checked.version), new Promise<null>((resolve) => setTimeout(() => resolve(null), VERSION_WAIT_MS).unref())]);
      prepared(this.db(), 'UPDATE prodigy_sessions SET prodigy_version = ? WHERE id = ?').run(live.version, rowId);
      if (live.version && isSupported(live.version) === false) run.log.add('app', versionWords(live.version, null));
      this.running(row, live);
      return this.view(row);
    }
  }

  /** What the session takes from the user's own Prodigy settings, said at the top of its log. */
  private noteSettings(log: BoundedLog, user: UserConfig): void {
    const kept = Object.keys(user.kept);
    if (kept.length > 0) log.add('app', `Using your Prodigy settings from ${user.file}: ${kept.sort().join(', ')}.`);
    if (user.ignored.length > 0) log.add('app', `Left out of your Prodigy settings, because the app decides them: ${user.ignored.join(', ')}.`);
    for (const problem of user.problems) log.add('app', problem);
  }

  /** Task files that cannot be read stop the start, and whoever can fix them in File 360 is told. */
  private reportingInvalid<T>(assignmentId: string, build: () => T): T {
    try {
      return build();
    } catch (error) {
      if (error instanceof AppError && error.code === 'SOURCE_INVALID') {
        this.deps.data.transaction(({ audit }) => {
          audit.append({ type: 'session.source_invalid', assignmentId, details: { message: error.message.slice(0, 1000) } });
          this.deps.failed?.(assignmentId, { reason: 'invalid-source', message: error.message });
        });
      }
      throw error;
    }
  }

  private running(row: AssignmentRow, live: Live): void {
    live.state = 'running';
    this.deps.data.transaction(({ audit }) => {
      prepared(this.db(), "UPDATE prodigy_sessions SET state = 'running' WHERE id = ?").run(live.rowId);
      audit.append({
        type: 'session.started',
        assignmentId: row.id,
        details: { dataset: live.dataset, session: live.sessionDataset, tasks: live.total, skipped: live.skipped.length, port: live.run.plan.port, prodigyVersion: live.version },
      });
      for (const { id, ...file } of live.opened) audit.append({ type: 'file.opened', assignmentId: row.id, fileId: id, details: { ...file, session: live.sessionDataset } });
    });
    live.poll = setInterval(() => this.refreshProgress(row.id, live), PROGRESS_POLL_MS);
    live.poll.unref?.();
    void live.run.exited.then((how) => this.exited(row.id, live, how));
    this.changed(row.id);
  }

  private refreshProgress(assignmentId: string, live: Live): void {
    if (live.counts.read().changed) this.changed(assignmentId);
  }

  /** Prodigy has exited: a stop the app asked for, or a crash. */
  private exited(assignmentId: string, live: Live, how: Exit): void {
    if (live.poll) clearInterval(live.poll);
    live.counts.read();
    // A newer run may already be starting in its place; that one is left alone.
    if (this.live.get(assignmentId) === live) {
      this.live.delete(assignmentId);
      this.deps.viewer.close(assignmentId);
    }
    const answered = live.counts.current.answered;
    if (live.run.stopRequested) {
      const summary = live.run.summary();
      this.deps.data.transaction(({ audit }) => {
        this.endRow(live.rowId, 'stopped', null, how, summary.saved, summary.sessionId);
        audit.append({ type: 'session.stopped', assignmentId, details: { saved: summary.saved, prodigySession: summary.sessionId, answered, exitCode: how.code } });
      });
      this.deps.ended?.(assignmentId, 'stopped');
    } else {
      const message = `Prodigy stopped unexpectedly (${how.signal ? `signal ${how.signal}` : `exit code ${how.code}`}). Answers saved before that are kept. Its last lines: ${live.run.log.tail(3) || '(nothing)'}`;
      this.deps.logger.warn('Prodigy stopped unexpectedly', { assignmentId, exitCode: how.code, signal: how.signal });
      this.deps.data.transaction(({ audit }) => {
        this.endRow(live.rowId, 'crashed', message, how);
        audit.append({ type: 'session.crashed', assignmentId, details: { exitCode: how.code, signal: how.signal, answered } });
        this.deps.failed?.(assignmentId, { reason: 'crashed', message });
      });
      this.deps.ended?.(assignmentId, 'crashed');
      this.deps.notifier.show({
        title: 'Prodigy stopped unexpectedly',
        body: `The session for “${this.deps.store.assignment(assignmentId)?.name ?? assignmentId}” crashed. Your saved answers are kept; start it again from Sessions.`,
        route: { section: 'sessions', id: assignmentId },
      });
    }
    this.changed(assignmentId);
  }

  private endRow(id: number, state: SessionState, message: string | null, exit: { code: number | null }, saved: number | null = null, prodigySession: string | null = null): void {
    prepared(this.db(), 'UPDATE prodigy_sessions SET state = ?, message = ?, ended_at = ?, exit_code = ?, saved = ?, prodigy_session = ? WHERE id = ?').run(
      state,
      message,
      this.deps.clock.now().toISOString(),
      exit.code,
      saved,
      prodigySession,
      id,
    );
  }

  // ---- stopping ---------------------------------------------------------------------------------

  async stop(assignmentId: string): Promise<SessionView> {
    const row = this.rowOrThrow(assignmentId);
    const live = this.live.get(assignmentId);
    if (!live) return this.view(row);
    live.state = 'stopping';
    this.changed(assignmentId);
    // Whoever watches the run (the exit handler once running, the start while
    // starting) records the stop; this resumes after it has.
    await live.run.stop(this.timeouts);
    await this.starting.get(assignmentId)?.catch(() => undefined);
    return this.view(row);
  }

  async open(assignmentId: string): Promise<{ url: string | null }> {
    const live = this.live.get(assignmentId);
    if (!live || live.state !== 'running') throw new AppError('SESSION_NOT_RUNNING', 'Start the session first.');
    const sessionName = live.sessionDataset.slice(live.dataset.length + 1);
    const row = this.rowOrThrow(assignmentId);
    const url = await this.deps.viewer.open({
      assignmentId,
      name: row.name,
      url: `${live.run.url}/?session=${encodeURIComponent(sessionName)}`,
      user: live.run.plan.auth.user,
      pass: live.run.plan.auth.pass,
    });
    return { url };
  }

  /**
   * Stops a Prodigy that an earlier run of the app left behind (it crashed or
   * was killed): found by the pid recorded at start, and recognised by its
   * command line naming this assignment's Prodigy home, so an unrelated
   * process that reused the pid is left alone.
   */
  async stopOrphans(): Promise<void> {
    const rows = prepared<[], SessionRow>(this.db(), "SELECT * FROM prodigy_sessions WHERE state IN ('starting', 'running', 'stopping')").all();
    for (const row of rows) {
      const alive = row.pid !== null && isAlive(row.pid);
      const ours = alive && row.pid !== null && ((await commandLineOf(row.pid)) ?? '').includes(row.prodigy_home);
      if (ours && row.pid !== null) {
        signalTree(row.pid, 'SIGTERM');
        for (let waited = 0; waited < 5000 && isAlive(row.pid); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
        if (isAlive(row.pid)) signalTree(row.pid, 'SIGKILL');
      }
      const message = ours
        ? 'The app closed unexpectedly while this session ran; the Prodigy it left behind was stopped when the app started again.'
        : 'The app closed unexpectedly while this session ran.';
      this.deps.data.transaction(({ audit }) => {
        this.endRow(row.id, 'stopped', message, { code: null });
        if (ours) audit.append({ type: 'session.orphan_stopped', assignmentId: row.assignment_id, details: { pid: row.pid } });
      });
    }
  }

  /**
   * Its part in a wipe: the session stops first (instant_submit has put every
   * answer in Prodigy's database, so the count of what is lost is complete),
   * then the whole Prodigy home goes (database, prodigy.json, source,
   * instructions, decisions put back in), with the session rows, whose
   * messages may quote Prodigy's output, and the output kept in memory.
   */
  wipeStep(): WipeStep {
    return {
      name: 'prodigy',
      stage: 'stop-work',
      settle: async (row, tally) => {
        await this.starting.get(row.id)?.catch(() => undefined);
        await this.stop(row.id).catch(() => undefined);
        // Its folders go next, whatever else fails: a tab left open is told so, not to continue.
        this.deps.viewer.close(row.id, 'removed');
        count(tally.removed, 'answers', countExamples(this.home(row.id), (JSON.parse(row.project) as { dataset: string }).dataset));
      },
      folders: (row) => [{ kind: 'prodigyFiles', dir: this.home(row.id) }],
      erase: (row, db, tally) => {
        this.logs.delete(row.id);
        count(tally.removed, 'sessions', prepared<[string]>(db, 'DELETE FROM prodigy_sessions WHERE assignment_id = ?').run(row.id).changes);
        this.allAnswers.forget(db, row.id);
      },
    };
  }

  /** Quitting the app stops every session, including those still starting, and starts no more. */
  async close(): Promise<void> {
    this.closing = true;
    // A start not yet in `live` is still before its `closing` check and gives up there.
    await Promise.all([...this.live.keys()].map((id) => this.stop(id).catch(() => undefined)));
    await Promise.all([...this.starting.values()].map((started) => started.catch(() => undefined)));
  }
}

/**
 * Prodigy's output as shown in the app: its banner tells a terminal user to
 * open an internal address in a browser, which here the Open button does (with
 * the sign-in the address alone lacks), and its ✨ ✔ ✘ ⚠ marks render as empty
 * boxes where no emoji font is installed.
 */
export function forPeople(lines: readonly LogLine[]): LogLine[] {
  return lines.flatMap((line) => {
    if (line.stream === 'app') return [line];
    if (/^\s*Open the app in your browser/i.test(line.text)) return [];
    const text = line.text.replace(/^[\s\u2700-\u27bf\u2600-\u26ff\u{1f300}-\u{1faff}\ufe0f]+/u, '');
    if (/^Starting the web server at /.test(text)) return [{ ...line, text: 'Starting the web server. Click Open to annotate.' }];
    // Uvicorn's own line names the bare address and a key for a terminal that is not there.
    return [{ ...line, text: text.replace(/Uvicorn running on \S+ \(Press CTRL\+C to quit\)/, 'Uvicorn running: the session is ready.') }];
  });
}

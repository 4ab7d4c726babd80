import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../kernel/errors';
import { inheritedEnv, parseCommand, prodigyMissing, signalTree } from './process';
import { oneLine, readable } from './text';

export interface CliContext {
  /** The Prodigy command from Settings. */
  command: string;
  /** The assignment's PRODIGY_HOME: its prodigy.json and prodigy.db. */
  home: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Stops the command (the app is quitting and has waited long enough). */
  signal?: AbortSignal;
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** Kept of each stream for messages; a db-out's JSONL goes to a file of its own, never here. */
const KEEP_CHARS = 64 * 1024;

function keep(text: string, chunk: string): string {
  const joined = text + chunk;
  return joined.length > KEEP_CHARS ? joined.slice(joined.length - KEEP_CHARS) : joined;
}

/**
 * The environment of a command (not a server). Prodigy prints its messages
 * with wasabi, in colour unless ANSI_COLORS_DISABLED is set (NO_COLOR too, for
 * other tools a wrapper may run). PRODIGY_LOGGING stays out: which stream its
 * lines go to is not documented, so they could land among the data.
 */
export function cliEnv(env: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv {
  const { PRODIGY_LOGGING: _logging, ...rest } = inheritedEnv(env);
  return { ...rest, PRODIGY_HOME: home, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8', ANSI_COLORS_DISABLED: '1', NO_COLOR: '1' };
}

const STOPPED_AT_QUIT = 'Prodigy was stopped because the app quit before it had finished.';

/**
 * Runs one Prodigy command (not a server) in the assignment's home, in its
 * own process group as a session's server is (spawnProdigy): the timeout and
 * a stop at quit reach whatever a wrapper script in Settings started, not
 * only the script.
 */
function run(ctx: CliContext, args: string[]): Promise<CliResult> {
  const [program, ...prefix] = parseCommand(ctx.command);
  if (ctx.signal?.aborted) return Promise.reject(new AppError('PRODIGY_FAILED', STOPPED_AT_QUIT));
  return new Promise((resolve, reject) => {
    const child = spawn(program ?? '', [...prefix, ...args], {
      cwd: ctx.home,
      env: cliEnv(ctx.env, ctx.home),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const stop = (signal: NodeJS.Signals) => {
      if (child.pid !== undefined) signalTree(child.pid, signal);
    };
    const stopAtQuit = () => stop('SIGTERM');
    ctx.signal?.addEventListener('abort', stopAtQuit, { once: true });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => stop('SIGKILL'), ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', stopAtQuit);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout = keep(stdout, chunk)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = keep(stderr, chunk)));
    child.once('error', (error) => {
      done();
      const missing = prodigyMissing(`${error.message} ${(error as NodeJS.ErrnoException).code ?? ''}`, program ?? '', ctx.command);
      reject(missing ?? error);
    });
    child.once('close', (code) => {
      done();
      // A command that ended well just as the stop came did its work: only a stopped one is reported so.
      if (ctx.signal?.aborted && code !== 0) reject(new AppError('PRODIGY_FAILED', STOPPED_AT_QUIT));
      else resolve({ code, stdout, stderr });
    });
  });
}

/** Everything the command printed, on either stream, as a person reads it. */
function said(result: CliResult): string {
  return readable(`${result.stdout}\n${result.stderr}`);
}

function failure(ctx: CliContext, what: string, result: CliResult): AppError {
  const [program] = parseCommand(ctx.command);
  const text = said(result);
  const missing = prodigyMissing(text, program ?? '', ctx.command);
  if (missing) return missing;
  const last = text.split('\n').filter((line) => line.trim() !== '').slice(-3).join(' ').trim();
  return new AppError('PRODIGY_FAILED', `Prodigy could not ${what} (exit code ${result.code ?? 'none'})${last ? `: ${last.slice(0, 600)}` : '.'}`);
}

/** wasabi's `✘ Can't find 'DATASET' in database SQLite` (or PostgreSQL, MySQL), on whichever stream it came. */
function datasetMissing(text: string): boolean {
  return /Can't find '[^']*' in database/.test(text);
}

/**
 * `db-out DATASET OUT_DIR`, moved to `file` (compact JSONL, one example per
 * line). Written by Prodigy into a folder of its own, so no message it prints
 * can end up in the data. Resolves false when the dataset does not exist yet:
 * nothing has been annotated.
 */
export async function dbOut(ctx: CliContext, dataset: string, file: string): Promise<boolean> {
  const outDir = fs.mkdtempSync(path.join(path.dirname(file), '.db-out-'));
  try {
    const result = await run(ctx, ['db-out', dataset, outDir]);
    const written = path.join(outDir, `${dataset}.jsonl`);
    if (result.code === 0 && fs.existsSync(written)) {
      fs.renameSync(written, file);
      return true;
    }
    if (datasetMissing(oneLine(said(result)))) return false;
    if (result.code === 0) throw new AppError('PRODIGY_FAILED', `Prodigy said it exported “${dataset}” but wrote no file. It said: ${oneLine(said(result)).slice(0, 300) || '(nothing)'}`);
    throw failure(ctx, `export the dataset “${dataset}”`, result);
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

/** `db-in DATASET FILE`: imports the examples; resolves with how many Prodigy says it imported. */
export async function dbIn(ctx: CliContext, dataset: string, file: string): Promise<number> {
  const result = await run(ctx, ['db-in', dataset, file]);
  if (result.code !== 0) throw failure(ctx, `import into “${dataset}”`, result);
  const imported = /Imported (\d+) annotations?/.exec(oneLine(said(result)));
  if (!imported) throw new AppError('PRODIGY_FAILED', `Prodigy did not say it imported anything into “${dataset}”.`);
  return Number(imported[1]);
}

/** The version `prodigy stats` reports (its "Version" row), run in a home of the app's. */
export async function prodigyVersion(ctx: CliContext): Promise<string> {
  fs.mkdirSync(ctx.home, { recursive: true, mode: 0o700 });
  const result = await run(ctx, ['stats']);
  const version = /^\s*Version\s+(\S+)/m.exec(said(result));
  if (result.code === 0 && version?.[1]) return version[1];
  if (result.code === 0) throw new AppError('PRODIGY_FAILED', 'Prodigy’s stats did not say which version it is.');
  throw failure(ctx, 'report its version', result);
}

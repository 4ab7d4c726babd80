import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors';
import { inheritedEnv, parseCommand, prodigyMissing } from './process';

export interface CliContext {
  /** The Prodigy command from Settings. */
  command: string;
  /** The assignment's PRODIGY_HOME: its prodigy.json and prodigy.db. */
  home: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** Kept of each stream for messages; a db-out's JSONL goes to a file, never here. */
const KEEP_CHARS = 64 * 1024;

function keep(text: string, chunk: string): string {
  const joined = text + chunk;
  return joined.length > KEEP_CHARS ? joined.slice(joined.length - KEEP_CHARS) : joined;
}

/** Runs one Prodigy command (not a server) in the assignment's home; stdout goes to `stdoutFile` when given. */
function run(ctx: CliContext, args: string[], stdoutFile?: string): Promise<CliResult> {
  const [program, ...prefix] = parseCommand(ctx.command);
  const out = stdoutFile ? fs.createWriteStream(stdoutFile, { flags: 'w', mode: 0o600 }) : null;
  return new Promise((resolve, reject) => {
    const child = spawn(program ?? '', [...prefix, ...args], {
      cwd: ctx.home,
      env: { ...inheritedEnv(ctx.env), PRODIGY_HOME: ctx.home, PYTHONUNBUFFERED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    // The file is complete once the pipeline has flushed it, which may be after the process has gone.
    const written = out ? pipeline(child.stdout, out) : Promise.resolve();
    if (!out) child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout = keep(stdout, chunk)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = keep(stderr, chunk)));
    child.once('error', (error) => {
      clearTimeout(timer);
      out?.destroy();
      const missing = prodigyMissing(`${error.message} ${(error as NodeJS.ErrnoException).code ?? ''}`, program ?? '', ctx.command);
      reject(missing ?? error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      written.then(() => resolve({ code, stdout, stderr }), reject);
    });
  });
}

function failure(ctx: CliContext, what: string, result: CliResult): AppError {
  const [program] = parseCommand(ctx.command);
  const missing = prodigyMissing(result.stderr, program ?? '', ctx.command);
  if (missing) return missing;
  const last = result.stderr.trim().split('\n').slice(-3).join(' ').trim();
  return new AppError('PRODIGY_FAILED', `Prodigy could not ${what} (exit code ${result.code ?? 'none'})${last ? `: ${last}` : '.'}`);
}

/**
 * `db-out DATASET` into a file (compact JSONL, one example per line). Resolves
 * false when the dataset does not exist yet: nothing has been annotated.
 */
export async function dbOut(ctx: CliContext, dataset: string, file: string): Promise<boolean> {
  const result = await run(ctx, ['db-out', dataset], file);
  if (result.code === 0) return true;
  if (/Can't find '.*' in database/.test(result.stderr)) return false;
  throw failure(ctx, `export the dataset “${dataset}”`, result);
}

/** `db-in DATASET FILE`: imports the examples; resolves with how many Prodigy says it imported. */
export async function dbIn(ctx: CliContext, dataset: string, file: string): Promise<number> {
  const result = await run(ctx, ['db-in', dataset, file]);
  if (result.code !== 0) throw failure(ctx, `import into “${dataset}”`, result);
  const imported = /Imported (\d+) annotations?/.exec(result.stdout);
  if (!imported) throw new AppError('PRODIGY_FAILED', `Prodigy did not say it imported anything into “${dataset}”.`);
  return Number(imported[1]);
}

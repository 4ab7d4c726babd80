/**
 * The Prodigy stand-in (sandbox/prodigy) as a real process: `python3 -m prodigy …` with the
 * sandbox folder on PYTHONPATH, its own PRODIGY_HOME and a free port, as the app launches it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import Database from 'better-sqlite3';

export { freePort } from '../../electron/core/services/prodigy/process';

export const SANDBOX_DIR = path.resolve(import.meta.dirname, '../../sandbox');
export const PYTHON = process.env.PYTHON ?? 'python3';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProdigyOptions {
  home: string;
  port?: number;
  cwd?: string;
  /** Added to the environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
}

/** The environment the app gives Prodigy, without any PRODIGY_* leaking in from the test runner. */
export function prodigyEnv(options: ProdigyOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('PRODIGY_')) env[name] = value;
  Object.assign(env, {
    PYTHONPATH: SANDBOX_DIR,
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    PRODIGY_HOME: options.home,
    ...(options.port === undefined ? {} : { PRODIGY_PORT: String(options.port) }),
  });
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export interface ProdigyProcess {
  child: ChildProcess;
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  /** Resolves when the stream's output so far matches. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<void>;
  /** Polls GET /project until it answers 200 (the app's definition of ready). */
  ready(headers?: Record<string, string>, timeoutMs?: number): Promise<void>;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

const running = new Set<ProdigyProcess>();

export function startProdigy(args: string[], options: ProdigyOptions & { port: number }): ProdigyProcess {
  const child = spawn(PYTHON, ['-m', 'prodigy', ...args], { cwd: options.cwd ?? options.home, env: prodigyEnv(options), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((check) => check());
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), notify()));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), notify()));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${options.port}`;
  const proc: ProdigyProcess = {
    child,
    port: options.port,
    url,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitFor(pattern, stream = 'stdout', timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const text = () => (stream === 'stdout' ? stdout : stderr);
        const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern} on ${stream}; stdout: ${stdout}; stderr: ${stderr}`)), timeoutMs);
        const check = () => pattern.test(text()) && finish();
        const finish = (error?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve();
        };
        waiters.add(check);
        check();
      });
    },
    async ready(headers = {}, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      let gone = false;
      void exited.then(() => (gone = true));
      for (;;) {
        if (gone) throw new Error(`prodigy exited before it was ready; stdout: ${stdout}; stderr: ${stderr}`);
        try {
          const response = await fetch(`${url}/project`, { headers });
          await response.body?.cancel();
          if (response.ok) return;
        } catch {
          // Not listening yet.
        }
        if (Date.now() > deadline) throw new Error(`prodigy did not answer on ${url}; stdout: ${stdout}; stderr: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    },
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  running.add(proc);
  void exited.then(() => running.delete(proc));
  return proc;
}

/** Kills whatever a test left running and waits until it is gone (call in afterEach). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((proc) => proc.stop('SIGKILL')));
}

/** A command that ends by itself (db-out, db-in, stats, drop, or a recipe that fails to start). */
export function runProdigy(args: string[], options: ProdigyOptions): Promise<Exit & { stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-m', 'prodigy', ...args], { cwd: options.cwd ?? options.home, env: prodigyEnv(options), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface Reply<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** One JSON call; a body makes it a POST. */
export async function call<T = Record<string, unknown>>(proc: ProdigyProcess, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
  const init: RequestInit = body === undefined ? { headers } : { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) };
  const response = await fetch(`${proc.url}${urlPath}`, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (the page): keep the text.
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

export function basicAuth(user: string, pass: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` };
}

/** Output as a person reads it: wasabi's colour codes removed, its 80-column wrapping undone. */
export function plain(text: string): string {
  return stripVTControlCharacters(text);
}

export function writeJsonl(file: string, rows: unknown[]): string {
  fs.writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  return file;
}

export function parseJsonl<T = Record<string, unknown>>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

export interface DatasetRow {
  id: number;
  name: string;
  created: number;
  meta: string;
  session: number;
}

/** Reads Prodigy's database directly, read-only, as the app does. */
export function readDb<T>(home: string, read: (db: Database.Database) => T): T {
  const db = new Database(path.join(home, 'prodigy.db'), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The examples linked to one dataset in Prodigy's database, in the order they were added. */
export function datasetExamples(home: string, dataset: string): Array<Record<string, unknown>> {
  return readDb(home, (db) =>
    db
      .prepare<[string], { content: string }>('SELECT e.content FROM example e JOIN link l ON l.example_id = e.id JOIN dataset d ON d.id = l.dataset_id WHERE d.name = ? ORDER BY l.id')
      .all(dataset)
      .map((row) => JSON.parse(row.content) as Record<string, unknown>),
  );
}

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { parse } from 'shell-quote';
import { AppError } from '../../kernel/errors';

/**
 * The Prodigy command from Settings, split like a shell would (quotes allowed),
 * but run without one: pipes, redirections and `$VARS` are refused, not interpreted.
 */
export function parseCommand(command: string): string[] {
  // A variable becomes a non-word token, so it is refused below rather than expanded or kept literally.
  const words = parse(command, (name) => ({ op: 'variable', name }) as object);
  if (words.length === 0 || words.some((word) => typeof word !== 'string')) {
    throw new AppError(
      'PRODIGY_COMMAND_INVALID',
      `The Prodigy command "${command}" is not a plain command. Use a program and its arguments, for example: python3 -m prodigy (Settings → Prodigy command).`,
    );
  }
  return words as string[];
}

/**
 * Prodigy variables from the user's environment that would decide where it
 * stores answers, where it listens or who may sign in (PRODIGY_CONFIG_OVERRIDES
 * can move the database): the app decides those. Others, such as PRODIGY_LOGGING, pass.
 */
const DECIDED_BY_APP = /^PRODIGY_(HOME|HOST|PORT|CONFIG|CONFIG_OVERRIDES|ALLOWED_SESSIONS|BASIC_AUTH_USER|BASIC_AUTH_PASS|DEPLOYED_URL|OIDC_.*)$/;

/** The environment every Prodigy the app starts inherits (PATH, PYTHONPATH, …), without those. */
export function inheritedEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !DECIDED_BY_APP.test(key)));
}

const MODULE_MISSING = /No module named ['"]?prodigy/i;

/** What Prodigy's output says when it is not there at all, in words that say what to do. */
export function prodigyMissing(output: string, program: string, commandSetting: string): AppError | null {
  const notFound = /ENOENT/.test(output);
  if (!notFound && !MODULE_MISSING.test(output)) return null;
  return new AppError(
    'PRODIGY_MISSING',
    notFound
      ? `Prodigy could not be started: "${program}" was not found on this computer. Install Python 3 and Prodigy, or set the command that starts Prodigy in Settings (now: "${commandSetting}").`
      : `Prodigy is not installed for "${program}". Install it for that Python (pip install prodigy, with your licence key), or set the command that starts Prodigy in Settings (now: "${commandSetting}").`,
  );
}

/** A free port on 127.0.0.1, found by binding port 0. Another program may take it before Prodigy does; the caller retries. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !hasExited(pid);
}

/**
 * A Prodigy whose app was killed is re-parented; once stopped it stays a zombie
 * until its new parent reaps it, and signal 0 still reaches a zombie. It runs
 * nothing and holds no port, so it counts as gone.
 */
function hasExited(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * Sends a signal to Prodigy and everything it started. On POSIX it runs as the
 * leader of its own process group, so the group gets the signal. Windows has
 * no signals to send to another console process and no groups: taskkill /T
 * ends the whole tree, which there is the only stop there is (no summary).
 */
export function signalTree(pid: number, signal: NodeJS.Signals): void {
  if (process.platform === 'win32') {
    execFile('taskkill', ['/PID', String(pid), '/T', '/F'], { windowsHide: true }, () => undefined);
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** The command line of a running process, to tell our Prodigy from another program that reused its pid. */
export function commandLineOf(pid: number): Promise<string | null> {
  // Linux: read it directly; spawning ps can fail on a loaded machine, and then a leftover Prodigy would be left running.
  if (process.platform === 'linux') {
    try {
      return Promise.resolve(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() || null);
    } catch {
      return Promise.resolve(null);
    }
  }
  const [program, args] =
    process.platform === 'win32'
      ? ['powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', `(Get-CimInstance Win32_Process -Filter "ProcessId=${pid}").CommandLine`]]
      : ['ps', ['-o', 'args=', '-p', String(pid)]];
  return new Promise((resolve) => {
    execFile(program, args, { windowsHide: true }, (error, stdout) => resolve(error ? null : stdout.trim() || null));
  });
}

export function spawnProdigy(argv: string[], env: NodeJS.ProcessEnv, cwd: string): ChildProcess {
  const [program, ...args] = argv;
  return spawn(program ?? '', args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group (POSIX), so stopping it reaches anything it started.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
}

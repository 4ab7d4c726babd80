import type { ChildProcess } from 'node:child_process';
import { AppError } from '../kernel/errors';
import { BoundedLog } from './log';
import { prodigyMissing, signalTree, spawnProdigy } from '../services/prodigy/process';

export interface RunPlan {
  argv: string[];
  env: NodeJS.ProcessEnv;
  home: string;
  port: number;
  auth: { user: string; pass: string };
}

export interface RunTimeouts {
  readyMs: number;
  sigintMs: number;
  sigtermMs: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What Prodigy prints as it shuts down cleanly (CONTRACTS §C). */
export interface ShutdownSummary {
  saved: number | null;
  dataset: string | null;
  sessionId: string | null;
}

const READY_POLL_MS = 150;
const BIND_FAILURE = /address already in use|Errno (98|48|10048)/i;

/** After 'exit', how long to wait for 'close': a grandchild that kept the pipes open must not hold up a stop. */
const CLOSE_GRACE_MS = 2000;

export class PortTakenError extends Error {
  override name = 'PortTakenError';
}

/** Someone stopped the run before Prodigy was ready: not a failure to start. */
export class StoppedBeforeReadyError extends Error {
  override name = 'StoppedBeforeReadyError';
}

export function basicAuthorization(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

/**
 * One Prodigy process: started, watched, and stopped. Ready is decided by an
 * authenticated GET /project, never by the banner, which Prodigy prints before
 * it has bound its port.
 */
export class ProdigyRun {
  readonly log: BoundedLog;
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private stopping: Promise<Exit> | null = null;
  private exit: Exit | null = null;

  constructor(
    readonly plan: RunPlan,
    now: () => Date,
  ) {
    this.log = new BoundedLog(now);
    this.child = spawnProdigy(plan.argv, plan.env, plan.home);
    for (const stream of ['stdout', 'stderr'] as const) {
      this.child[stream]?.setEncoding('utf8');
      this.child[stream]?.on('data', (chunk: string) => this.log.write(stream, chunk));
    }
    this.exited = new Promise((resolve) => {
      const settle = (exit: Exit) => {
        this.exit ??= exit;
        resolve(this.exit);
      };
      this.child.once('error', (error) => {
        this.log.add('app', `Could not start ${plan.argv[0]}: ${error.message}`);
        settle({ code: null, signal: null });
      });
      // 'close', not 'exit': only then has all of its output (the shutdown summary) been read.
      this.child.once('close', (code, signal) => settle({ code, signal }));
      this.child.once('exit', (code, signal) => setTimeout(() => settle({ code, signal }), CLOSE_GRACE_MS).unref());
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True when the app asked it to stop; an exit otherwise is a crash. */
  get stopRequested(): boolean {
    return this.stopping !== null;
  }

  get url(): string {
    return `http://127.0.0.1:${this.plan.port}`;
  }

  get authorization(): string {
    return basicAuthorization(this.plan.auth.user, this.plan.auth.pass);
  }

  /** Resolves once GET /project answers with the credentials; throws in words otherwise. */
  async ready(timeouts: RunTimeouts, program: string, commandSetting: string): Promise<void> {
    const deadline = Date.now() + timeouts.readyMs;
    for (;;) {
      if (this.stopping) {
        await this.stopping;
        throw new StoppedBeforeReadyError('stopped before it was ready');
      }
      if (this.exit) throw this.startFailure(program, commandSetting);
      let status = 0;
      try {
        const response = await fetch(`${this.url}/project`, { headers: { authorization: this.authorization }, signal: AbortSignal.timeout(2000) });
        await response.body?.cancel();
        status = response.status;
      } catch {
        // Not listening yet.
      }
      if (status >= 200 && status < 300) return;
      if (status === 401 || status === 403) {
        await this.stop(timeouts);
        throw new AppError(
          'PRODIGY_FAILED',
          `Prodigy refused the sign-in the app gave it (HTTP ${status}), so it was stopped. Check that the command in Settings (now: "${commandSetting}") starts Prodigy itself, with the environment the app passes on.`,
        );
      }
      if (Date.now() > deadline) {
        await this.stop(timeouts);
        throw new AppError('PRODIGY_FAILED', `Prodigy did not answer within ${Math.round(timeouts.readyMs / 1000)} seconds, so it was stopped. Its last lines: ${this.log.tail(5) || '(nothing)'}`);
      }
      await Promise.race([new Promise((resolve) => setTimeout(resolve, READY_POLL_MS)), this.exited]);
    }
  }

  private startFailure(program: string, commandSetting: string): Error {
    const output = this.log.tail(20);
    if (BIND_FAILURE.test(output)) return new PortTakenError(`port ${this.plan.port} was taken`);
    const missing = prodigyMissing(output, program, commandSetting);
    if (missing) return missing;
    const exit = this.exit;
    const how = exit?.signal ? `was stopped by ${exit.signal}` : `exited with code ${exit?.code ?? 'unknown'}`;
    return new AppError('PRODIGY_FAILED', `Prodigy ${how} before it was ready. Its last lines: ${this.log.tail(5) || '(nothing)'}`);
  }

  /**
   * SIGINT (Prodigy saves and prints its summary), then SIGTERM, then SIGKILL;
   * each after a wait. Callers share one stop: a second SIGINT while Prodigy is
   * saving would cut its summary short.
   */
  stop(timeouts: RunTimeouts): Promise<Exit> {
    this.stopping ??= this.escalate(timeouts);
    return this.stopping;
  }

  private async escalate(timeouts: RunTimeouts): Promise<Exit> {
    const pid = this.child.pid;
    if (this.exit || pid === undefined) return this.exited;
    for (const [signal, wait] of [['SIGINT', timeouts.sigintMs], ['SIGTERM', timeouts.sigtermMs]] as const) {
      signalTree(pid, signal);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = await Promise.race([this.exited.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), wait)))]);
      clearTimeout(timer);
      if (done) return this.exited;
      this.log.add('app', `Prodigy did not stop after ${signal}; sending the next signal.`);
    }
    signalTree(pid, 'SIGKILL');
    return this.exited;
  }

  summary(): ShutdownSummary {
    const text = this.log.tail(50);
    const saved = /Saved (\d+) annotations?/.exec(text);
    return {
      saved: saved ? Number(saved[1]) : null,
      dataset: /^Dataset: (.+)$/m.exec(text)?.[1]?.trim() ?? null,
      sessionId: /^Session ID: (.+)$/m.exec(text)?.[1]?.trim() ?? null,
    };
  }
}

export function isPortTaken(error: unknown): error is PortTakenError {
  return error instanceof PortTakenError;
}

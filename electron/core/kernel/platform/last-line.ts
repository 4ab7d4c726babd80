import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../ports';
import { redactText } from './logger';

export type UnexpectedOrigin = 'uncaughtException' | 'unhandledRejection';

export interface LastLineDeps {
  /** The process whose events are watched (a stand-in in tests). */
  process: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
  logger: Logger;
  /** Writes the audit entry and tells the user in words (a notification). May throw: the database may be the trouble. */
  record(error: unknown, origin: UnexpectedOrigin, fatal: boolean): void;
  /** Words on the shell's own surface (stderr, an error box) when the app has to close. */
  tellFatal(words: string): void;
  /** Stops what must not outlive the app: Prodigy sessions, which run in process groups of their own. */
  stop(): Promise<void>;
  exit(code: number): void;
  /** How long `stop` may take before the process exits anyway; a session left then is found at the next start. */
  stopDeadlineMs?: number;
  /**
   * Where tests collect every firing (COMPANION_LAST_LINE_DIR): the suite
   * fails if any file appears, because no known error path may end here.
   */
  reportDir?: string;
}

/** EX_SOFTWARE (sysexits.h): an internal error. */
export const LAST_LINE_EXIT_CODE = 70;

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return redactText(text).slice(0, 300);
}

/**
 * The process-level handler: the last line behind the containment every
 * stream, socket, server and child has where it is created. It never decides
 * what a known error means. An unhandled rejection is recorded and the app
 * goes on (the promise's work is lost, the state is not torn). An uncaught
 * exception leaves the process in an unknown state (Node's docs: it is not
 * safe to resume), so it is recorded, the user is told, Prodigy sessions are
 * stopped, and the app exits.
 */
export function installLastLine(deps: LastLineDeps): () => void {
  let closing = false;

  const report = (error: unknown, origin: UnexpectedOrigin) => {
    deps.logger.error('unexpected error (last line)', { origin, error });
    if (deps.reportDir) {
      try {
        fs.mkdirSync(deps.reportDir, { recursive: true });
        const file = path.join(deps.reportDir, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
        fs.writeFileSync(file, `${origin} in pid ${process.pid}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      } catch {
        // The report is for tests; failing to write it must not stop the handling.
      }
    }
  };

  const record = (error: unknown, origin: UnexpectedOrigin, fatal: boolean) => {
    try {
      deps.record(error, origin, fatal);
    } catch (failure) {
      deps.logger.error('the unexpected error could not be recorded in the audit log', { error: failure });
    }
  };

  const onRejection = (reason: unknown) => {
    report(reason, 'unhandledRejection');
    record(reason, 'unhandledRejection', false);
  };

  const onException = (error: unknown) => {
    report(error, 'uncaughtException');
    if (closing) return;
    closing = true;
    record(error, 'uncaughtException', true);
    deps.tellFatal(
      `Annotator Companion hit an unexpected error (${describe(error)}) and is closing. Prodigy sessions are stopped so none is left running, and nothing saved is lost. Start the app again; the details are in its log.`,
    );
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, deps.stopDeadlineMs ?? 20_000).unref());
    void Promise.race([deps.stop().catch((failure: unknown) => deps.logger.error('stopping after an unexpected error failed', { error: failure })), deadline]).finally(() =>
      deps.exit(LAST_LINE_EXIT_CODE),
    );
  };

  deps.process.on('unhandledRejection', onRejection);
  deps.process.on('uncaughtException', onException);
  return () => {
    deps.process.off('unhandledRejection', onRejection);
    deps.process.off('uncaughtException', onException);
  };
}

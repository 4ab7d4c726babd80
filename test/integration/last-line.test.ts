import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { installLastLine, LAST_LINE_EXIT_CODE } from '../../electron/core/kernel/platform/last-line';
import { FAST, idle, signedInApp } from '../support/file360-app';
import { startCompanion } from '../support/companion';
import { recordingLogger } from '../support/ports';
import { PRODIGY_ENV } from '../support/prodigy';
import { sandbox } from '../support/sandbox-file360';
import { isAlive, runningProdigyPid } from '../support/processes';
import { tempDir } from '../support/tmp';

const TRIAGE = 'asg-support-triage';


/** A synced data folder, then an app of its own process with a session running and the last line installed. */
async function childWithSession(fault: 'throw' | 'reject') {
  const sb = await sandbox();
  const dataDir = path.join(tempDir(), 'data');
  const app = await signedInApp(sb, dataDir, { env: PRODIGY_ENV, tuning: FAST });
  await idle(app);
  await app.companion.close();
  // Its own report folder: this test makes the handler fire on purpose, which the suite-wide check would count.
  const reports = tempDir();
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/last-line-child.ts', JSON.stringify({ dataDir, server: sb.url, tenant: sb.tenant, assignmentId: TRIAGE, fault })], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, COMPANION_LAST_LINE_DIR: reports },
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  readline.createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const next = () => new Promise<string>((resolve) => readline.createInterface({ input: child.stdout }).on('line', (line) => (lines.push(line), resolve(line))));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = JSON.parse(await next()) as { ok: boolean };
  expect(started).toMatchObject({ ok: true });
  return { sb, dataDir, child, next, exited, stderr, reports, pid: runningProdigyPid(dataDir) };
}

describe('the process-level last line', () => {
  it('on an uncaught exception: logs and audits it, says so in words, stops Prodigy, and exits', { timeout: 60_000 }, async () => {
    const { sb, dataDir, exited, stderr, reports, pid } = await childWithSession('throw');
    expect(pid).toBeGreaterThan(0);
    expect(await exited).toBe(LAST_LINE_EXIT_CODE);
    expect(isAlive(pid)).toBe(false); // stopped, not orphaned
    expect(stderr.join('\n')).toContain('Annotator Companion hit an unexpected error (Error: an error no handler knew about) and is closing. Prodigy sessions are stopped');
    expect(fs.readdirSync(reports)).toHaveLength(1);

    const again = await startCompanion(dataDir, { argv: ['--server', sb.url, '--tenant', sb.tenant], env: PRODIGY_ENV, tuning: FAST });
    const [entry] = (await again.call('audit.list', { type: 'app.unexpected_error' })).entries;
    expect(entry).toMatchObject({ details: { origin: 'uncaughtException', fatal: true, message: 'Error: an error no handler knew about' } });
    expect((await again.call('audit.list', { type: 'session.stopped' })).entries).toHaveLength(1);
  });

  it('on an unhandled rejection: records it, tells the user, and the app goes on with its session', { timeout: 60_000 }, async () => {
    const { sb, dataDir, child, next, exited, reports, pid } = await childWithSession('reject');
    expect(JSON.parse(await next())).toEqual({ still: true, notified: ['Something went wrong in the background'] });
    expect(isAlive(pid)).toBe(true);
    expect(fs.readdirSync(reports)).toHaveLength(1);
    child.kill('SIGKILL');
    await exited;
    const again = await startCompanion(dataDir, { argv: ['--server', sb.url, '--tenant', sb.tenant], env: PRODIGY_ENV, tuning: FAST });
    expect((await again.call('audit.list', { type: 'app.unexpected_error' })).entries[0]).toMatchObject({ details: { origin: 'unhandledRejection', fatal: false } });
  });

  it('exits when stopping takes longer than its deadline, leaving what is left to the next start', async () => {
    const emitter = new EventEmitter();
    const exits: number[] = [];
    const recorded: string[] = [];
    const uninstall = installLastLine({
      process: emitter,
      logger: recordingLogger(),
      record: (_error, origin, fatal) => recorded.push(`${origin}:${fatal}`),
      tellFatal: () => undefined,
      stop: () => new Promise(() => undefined),
      exit: (code) => exits.push(code),
      stopDeadlineMs: 50,
    });
    emitter.emit('uncaughtException', new Error('x'));
    emitter.emit('uncaughtException', new Error('a second one while closing'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(exits).toEqual([LAST_LINE_EXIT_CODE]);
    expect(recorded).toEqual(['uncaughtException:true']);
    uninstall();
    expect(emitter.listenerCount('uncaughtException')).toBe(0);
  });
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../electron/core/services/prodigy/process';
import { oneLine, readable } from '../../electron/core/services/prodigy/text';
import { freePort } from '../support/prodigy-standin';
import { PRODIGY_UNDER_TEST } from '../support/prodigy-under-test';
import { tempDir } from '../support/tmp';

/**
 * What Prodigy prints, captured raw (colour codes and wrapping as they come)
 * for each thing the app reads: `stats`, `db-in`, `db-out` with and without
 * OUT_DIR, an unknown dataset with and without colour, and a server's banner
 * and shutdown summary. `npm run test:prodigy` keeps the captures of a real
 * Prodigy in test/fixtures/prodigy-real/<version>/, beside the stand-in's, so
 * the two can be compared; each capture is also held to what the app relies on.
 */
interface Captured {
  code: number | null;
  stdout: string;
  stderr: string;
}

function env(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(PRODIGY_UNDER_TEST.env).filter(([key]) => !key.startsWith('PRODIGY_') && key !== 'ANSI_COLORS_DISABLED' && key !== 'NO_COLOR'));
  return { ...base, PRODIGY_HOME: home, PYTHONUNBUFFERED: '1', ...extra };
}

function run(args: string[], home: string, extra: NodeJS.ProcessEnv = {}): Promise<Captured> {
  const [program, ...prefix] = parseCommand(PRODIGY_UNDER_TEST.command);
  return new Promise((resolve, reject) => {
    const child = spawn(program ?? '', [...prefix, ...args], { cwd: home, env: env(home, extra), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A recipe served until it answers, then stopped with SIGINT as the app stops it. */
async function serveAndStop(args: string[], home: string): Promise<Captured> {
  const [program, ...prefix] = parseCommand(PRODIGY_UNDER_TEST.command);
  const port = await freePort();
  const child = spawn(program ?? '', [...prefix, ...args], { cwd: home, env: env(home, { PRODIGY_HOST: '127.0.0.1', PRODIGY_PORT: String(port) }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/project`).then((r) => (void r.body?.cancel(), r.ok), () => false);
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`Prodigy did not answer: ${stdout} ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGINT');
  return { code: await closed, stdout, stderr };
}

describe(`what ${PRODIGY_UNDER_TEST.real ? 'the real Prodigy' : 'the Prodigy stand-in'} prints, as the app reads it`, () => {
  it('captures stats, db-in, db-out and a session, and each says what the app expects', { timeout: 120_000 }, async () => {
    const home = tempDir();
    const tasks = path.join(home, 'tasks.jsonl');
    fs.writeFileSync(tasks, `${JSON.stringify({ text: 'Ana met Ben in Berlin.' })}\n${JSON.stringify({ text: 'Carl flew to Paris.' })}\n`);
    const answers = path.join(home, 'answers.jsonl');
    fs.writeFileSync(answers, `${JSON.stringify({ text: 'Refund please', accept: ['billing'], answer: 'accept' })}\n`);
    const captured: Record<string, Captured> = {
      stats: await run(['stats'], home),
      'db-in': await run(['db-in', 'capture_set', answers], home),
      'db-out-stdout': await run(['db-out', 'capture_set'], home),
      'db-out-dir': await run(['db-out', 'capture_set', path.join(home, 'out')], home),
      'db-out-unknown': await run(['db-out', 'no_such_set'], home),
      'db-out-unknown-no-colour': await run(['db-out', 'no_such_set'], home, { ANSI_COLORS_DISABLED: '1' }),
      'ner-manual-without-model': await run(['ner.manual', 'capture_ner', tasks, '--label', 'PERSON'], home),
      session: await serveAndStop(['ner.manual', 'capture_ner', 'blank:en', tasks, '--label', 'PERSON'], home),
    };

    const version = /^\s*Version\s+(\S+)/m.exec(readable(captured.stats?.stdout ?? ''))?.[1];
    expect(version).toMatch(/^\d+\.\d+/);
    expect(oneLine(captured['db-in']?.stdout ?? '')).toMatch(/Imported 1 annotations?/);
    expect(JSON.parse((captured['db-out-stdout']?.stdout ?? '').trim().split('\n').at(-1) ?? '{}')).toMatchObject({ text: 'Refund please', answer: 'accept' });
    expect(fs.readFileSync(path.join(home, 'out', 'capture_set.jsonl'), 'utf8')).toContain('"Refund please"');
    const unknown = captured['db-out-unknown'] as Captured;
    expect(unknown.code).toBe(1);
    // On stdout, in colour though stdout is a pipe; plain only with ANSI_COLORS_DISABLED.
    expect(oneLine(unknown.stdout)).toContain("✘ Can't find 'no_such_set' in database");
    expect(unknown.stdout).toContain('\x1b[');
    expect(captured['db-out-unknown-no-colour']?.stdout).not.toContain('\x1b[');
    expect(captured['ner-manual-without-model']?.code).not.toBe(0);
    const session = captured.session as Captured;
    expect(session.code).toBe(0);
    expect(readable(session.stdout)).toContain('Starting the web server at http://127.0.0.1:');
    expect(oneLine(session.stdout)).toMatch(/Saved 0 annotations? to database/);

    const where = PRODIGY_UNDER_TEST.fixtures ? path.join(PRODIGY_UNDER_TEST.fixtures, version ?? 'unknown') : path.join(tempDir(), 'captured');
    fs.mkdirSync(where, { recursive: true });
    for (const [name, output] of Object.entries(captured)) {
      // Paths of this run's temp folder would differ every time: they are written as <home>.
      const scrub = (text: string) => text.split(home).join('<home>');
      fs.writeFileSync(path.join(where, `${name}.stdout`), scrub(output.stdout));
      fs.writeFileSync(path.join(where, `${name}.stderr`), scrub(output.stderr));
      fs.writeFileSync(path.join(where, `${name}.exit`), `${output.code}\n`);
    }
    expect(fs.readdirSync(where)).toHaveLength(Object.keys(captured).length * 3);
  });
});

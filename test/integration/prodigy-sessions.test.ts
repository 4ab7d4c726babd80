import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../electron/core/services/prodigy/process';
import { startCompanion } from '../support/companion';
import { FAST, idle, signedInApp, until } from '../support/file360-app';
import { PRODIGY_ENV, annotate, livePids, openSession } from '../support/prodigy';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

const TRIAGE = 'asg-support-triage';

async function syncedApp(options: Parameters<typeof signedInApp>[2] = {}) {
  const sb = await sandbox();
  const dataDir = options.argv?.includes('--data-dir') ? '' : path.join(tempDir(), 'data');
  const app = await signedInApp(sb, dataDir, { env: PRODIGY_ENV, ...options, tuning: { ...FAST, ...options.tuning } });
  await idle(app);
  return { sb, app, dataDir };
}

function sessionOf(app: Pick<Awaited<ReturnType<typeof syncedApp>>['app'], 'call'>, id = TRIAGE) {
  return app.call('sessions.list').then((list) => list.find((session) => session.assignmentId === id));
}

describe('a Prodigy session, started by the app with the real stand-in (python3 -m prodigy)', () => {
  it('starts, is annotated as the page does, counts the answers, stops, and reads Prodigy’s summary', async () => {
    // A user's own Prodigy settings must not move the session's database out of the app's sight.
    const elsewhere = tempDir();
    const { app, dataDir } = await syncedApp({ env: { ...PRODIGY_ENV, PRODIGY_CONFIG_OVERRIDES: JSON.stringify({ db_settings: { sqlite: { path: elsewhere } } }) } });
    const started = await app.call('sessions.start', { assignmentId: TRIAGE });
    expect(started).toMatchObject({ state: 'running', recipe: 'textcat.manual', dataset: 'support_intents_batch7', startable: true });
    // 12 tickets + 4 tasks from tasks/extra.jsonl; guidelines.md is the help page, not a task.
    expect(started.progress).toMatchObject({ answered: 0, total: 16 });

    const home = path.join(dataDir, 'prodigy', TRIAGE);
    const config = JSON.parse(fs.readFileSync(path.join(home, 'prodigy.json'), 'utf8')) as Record<string, unknown>;
    // Labels go on the command line (--label), as the recipe takes them; prodigy.json has no such setting.
    expect(config).toMatchObject({ show_flag: true, instant_submit: true, instructions: path.join(home, 'instructions.html') });
    expect(config).not.toHaveProperty('labels');
    expect(JSON.stringify(config)).not.toMatch(/pass/i);

    const session = await openSession(app, TRIAGE);
    expect(session.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?session=u-ana$/);
    expect((await fetch(`${new URL(session.url).origin}/project`)).status).toBe(401); // Basic auth on every endpoint
    const project = (await (await session.call('/project')).json()) as { dataset: string; instructions: string | null };
    expect(project.instructions).toContain('Support ticket triage: annotation guidelines');

    await annotate(session, [{ answer: 'accept', accept: ['billing'] }, { answer: 'reject', flagged: true }, { answer: 'ignore' }]);
    const counted = await until(() => sessionOf(app), (view) => view?.progress?.answered === 3, 10_000);
    expect(counted?.progress).toEqual({ answered: 3, total: 16, accept: 1, reject: 1, ignore: 1, flagged: 1 });

    const stopped = await app.call('sessions.stop', { assignmentId: TRIAGE });
    expect(stopped.state).toBe('stopped');
    expect(stopped.progress).toMatchObject({ answered: 3, total: 16 });
    expect(fs.readdirSync(elsewhere)).toEqual([]);
    const [entry] = (await app.call('audit.list', { type: 'session.stopped' })).entries;
    expect(entry?.details).toMatchObject({ saved: 3, answered: 3, exitCode: 0, prodigySession: expect.any(String) });
    // The output stays readable after the run, down to Prodigy's summary.
    const log = (await app.call('sessions.log', { assignmentId: TRIAGE })).lines.map((line) => line.text).join('\n');
    expect(log).toContain('Saved 3 annotations to database SQLite');
    expect((await app.call('audit.list', { type: 'session.started' })).entries[0]?.details).toMatchObject({ tasks: 16, session: 'support_intents_batch7-u-ana' });
  });

  it('keeps the user’s own Prodigy settings (batch size, theme) and leaves out those the app decides', async () => {
    const userHome = tempDir();
    fs.writeFileSync(path.join(userHome, 'prodigy.json'), JSON.stringify({ batch_size: 4, custom_theme: { cardMaxWidth: 900 }, port: 1, instant_submit: false, feed_overlap: true }));
    const { app, dataDir } = await syncedApp({ env: { ...PRODIGY_ENV, PRODIGY_HOME: userHome, PRODIGY_CONFIG_OVERRIDES: '{"show_stats": true}' } });
    await app.call('sessions.start', { assignmentId: TRIAGE });
    const project = (await (await (await openSession(app, TRIAGE)).call('/project')).json()) as Record<string, unknown>;
    expect(project).toMatchObject({ batch_size: 4, custom_theme: { cardMaxWidth: 900 }, show_stats: true, instant_submit: true, feed_overlap: false });
    const written = JSON.parse(fs.readFileSync(path.join(dataDir, 'prodigy', TRIAGE, 'prodigy.json'), 'utf8')) as Record<string, unknown>;
    expect(written).not.toHaveProperty('port');
    const log = (await app.call('sessions.log', { assignmentId: TRIAGE })).lines.map((line) => line.text);
    expect(log).toContain(`Using your Prodigy settings from ${path.join(userHome, 'prodigy.json')}: batch_size, custom_theme, show_stats.`);
    expect(log).toContain('Left out of your Prodigy settings, because the app decides them: feed_overlap, instant_submit, port.');
    expect(fs.readdirSync(userHome)).toEqual(['prodigy.json']); // nothing of the session lands in the user's own Prodigy home
  });

  it('keeps one running session per assignment', async () => {
    const { app } = await syncedApp();
    const [a, b] = await Promise.all([app.call('sessions.start', { assignmentId: TRIAGE }), app.call('sessions.start', { assignmentId: TRIAGE })]);
    expect(a.state).toBe('running');
    expect(b.state).toBe('running');
    expect((await app.call('audit.list', { type: 'session.started' })).entries).toHaveLength(1);
  });

  it('can be stopped while it starts, and records a stop, not a failure', async () => {
    const { app, dataDir } = await syncedApp({ env: { ...PRODIGY_ENV, PRODIGY_SANDBOX_SLOW_START: '30' } });
    const starting = app.call('sessions.start', { assignmentId: TRIAGE });
    await until(() => sessionOf(app), (view) => view?.state === 'starting');
    const pid = livePids(dataDir)[0] ?? 0;
    expect(isAlive(pid)).toBe(true);
    await app.call('sessions.stop', { assignmentId: TRIAGE });
    expect(await starting).toMatchObject({ state: 'stopped', message: 'Stopped before Prodigy was ready.' });
    expect(isAlive(pid)).toBe(false);
    expect((await app.call('audit.list', { type: 'session.started' })).entries).toEqual([]);
  });

  it('starts again after a stop that is still under way, and keeps track of the new Prodigy', async () => {
    const { app, dataDir } = await syncedApp();
    await app.call('sessions.start', { assignmentId: TRIAGE });
    const [first] = livePids(dataDir);
    const stopping = app.call('sessions.stop', { assignmentId: TRIAGE });
    const again = await app.call('sessions.start', { assignmentId: TRIAGE });
    await stopping;
    expect(again.state).toBe('running');
    expect(isAlive(first ?? 0)).toBe(false);
    const [second] = livePids(dataDir);
    expect(second).not.toBe(first);
    expect((await openSession(app, TRIAGE)).url).toMatch(/session=u-ana/);
    await app.companion.close();
    expect(isAlive(second ?? 0)).toBe(false);
  });

  it('stops a session that is still starting when the app quits', async () => {
    const { app, dataDir } = await syncedApp({ env: { ...PRODIGY_ENV, PRODIGY_SANDBOX_SLOW_START: '30' } });
    const starting = app.raw('sessions.start', { assignmentId: TRIAGE });
    await until(() => sessionOf(app), (view) => view?.state === 'starting');
    const pid = livePids(dataDir)[0] ?? 0;
    await app.companion.close();
    expect(isAlive(pid)).toBe(false);
    await starting;
  });

  it('starts no Prodigy once the app is quitting, even from a start that was already under way', async () => {
    // The start waits for its port while the app begins to quit.
    let release: () => void = () => undefined;
    let asked: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const portAsked = new Promise<void>((resolve) => (asked = resolve));
    const pickPort = async () => {
      asked();
      await gate;
      return 0;
    };
    const { app, dataDir } = await syncedApp({ tuning: { pickPort } });
    const starting = app.raw('sessions.start', { assignmentId: TRIAGE });
    await portAsked;
    const closed = app.companion.close();
    release();
    await closed;
    expect(await starting).toMatchObject({ ok: false, error: { code: 'SESSION_NOT_RUNNING', message: expect.stringContaining('quitting') } });
    expect(livePids(dataDir)).toEqual([]);
  });

  it('says at once when Prodigy refuses the credentials the app gave it', async () => {
    const { app } = await syncedApp();
    // Something between the app and Prodigy changing its password: here, env(1) in the command.
    await app.call('settings.update', { values: { prodigyCommand: 'env PRODIGY_BASIC_AUTH_PASS=changed python3 -m prodigy' }, confirm: { prodigyCommand: 'env PRODIGY_BASIC_AUTH_PASS=changed python3 -m prodigy' } });
    const result = await app.raw('sessions.start', { assignmentId: TRIAGE });
    // Not after the minute-long wait for a Prodigy that never answers: the test's own time limit is far shorter.
    expect(result).toMatchObject({ ok: false, error: { code: 'PRODIGY_FAILED', message: expect.stringContaining('refused the sign-in the app gave it (HTTP 401)') } });
  });

  it('tries another port when the one it picked is taken', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const busyPort = (busy.address() as net.AddressInfo).port;
    let handedOut = 0;
    const pickPort = async () => {
      handedOut += 1;
      if (handedOut === 1) return busyPort;
      const free = net.createServer();
      await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
      const port = (free.address() as net.AddressInfo).port;
      await new Promise((resolve) => free.close(resolve));
      return port;
    };
    try {
      const { app } = await syncedApp({ tuning: { pickPort } });
      const view = await app.call('sessions.start', { assignmentId: TRIAGE });
      expect(view.state).toBe('running');
      expect(handedOut).toBe(2);
      const session = await openSession(app, TRIAGE);
      expect(new URL(session.url).port).not.toBe(String(busyPort));
    } finally {
      busy.close();
    }
  });

  it('says what to install and where to set the command when Prodigy is missing', async () => {
    const { app } = await syncedApp();
    await app.call('settings.update', { values: { prodigyCommand: 'python3 -m prodigy_is_not_here' }, confirm: { prodigyCommand: 'python3 -m prodigy_is_not_here' } });
    const moduleMissing = await app.raw('sessions.start', { assignmentId: TRIAGE });
    expect(moduleMissing).toMatchObject({ ok: false, error: { code: 'PRODIGY_MISSING', message: expect.stringContaining('Prodigy is not installed for "python3"') } });
    if (!moduleMissing.ok) expect(moduleMissing.error.message).toContain('Settings');

    await app.call('settings.update', { values: { prodigyCommand: 'no-such-python3 -m prodigy' }, confirm: { prodigyCommand: 'no-such-python3 -m prodigy' } });
    const programMissing = await app.raw('sessions.start', { assignmentId: TRIAGE });
    expect(programMissing).toMatchObject({ ok: false, error: { code: 'PRODIGY_MISSING', message: expect.stringContaining('"no-such-python3" was not found') } });
    expect((await sessionOf(app))?.state).toBe('failed');
  });

  it('refuses a malformed task file, naming the file and the line', async () => {
    const { sb, app } = await syncedApp();
    sb.admin.updateFile('fil-triage-tasks', { text: '{"text":"fine"}\n{"text": broken\n' });
    await app.call('sync.start', { id: TRIAGE });
    await idle(app);
    const result = await app.raw('sessions.start', { assignmentId: TRIAGE });
    expect(result).toMatchObject({ ok: false, error: { code: 'SOURCE_INVALID', message: expect.stringContaining('tasks/extra.jsonl line 2: not valid JSON') } });
  });

  it('notices a crash: the state says so, the user is notified, and the audit log records it', async () => {
    const { app } = await syncedApp({ env: { ...PRODIGY_ENV, PRODIGY_SANDBOX_CRASH_AFTER: '2' } });
    await app.call('sessions.start', { assignmentId: TRIAGE });
    const session = await openSession(app, TRIAGE);
    await annotate(session, [{ answer: 'accept' }, { answer: 'accept' }]).catch(() => undefined);
    const crashed = await until(() => sessionOf(app), (view) => view?.state === 'crashed', 10_000);
    expect(crashed?.message).toMatch(/Prodigy stopped unexpectedly \(exit code 70\)/);
    expect(app.ports.notifier.shown).toContainEqual(expect.objectContaining({ title: 'Prodigy stopped unexpectedly', route: { section: 'sessions', id: TRIAGE } }));
    const [entry] = (await app.call('audit.list', { type: 'session.crashed' })).entries;
    expect(entry?.details).toMatchObject({ exitCode: 70 });
  });

  it('stops every session when the app quits', async () => {
    const { app, dataDir } = await syncedApp();
    await app.call('sessions.start', { assignmentId: TRIAGE });
    await app.call('sessions.start', { assignmentId: 'asg-release-notes' });
    const pids = livePids(dataDir);
    expect(pids).toHaveLength(2);
    await app.companion.close();
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('stops the session and removes its source when the assignment is wiped', async () => {
    const { sb, app, dataDir } = await syncedApp();
    await app.call('sessions.start', { assignmentId: TRIAGE });
    sb.faults.expireAssignment(TRIAGE);
    await app.call('sync.start', {});
    await until(() => app.call('assignments.list'), (list) => list.find((a) => a.id === TRIAGE)?.wiped !== null);
    const view = await sessionOf(app);
    expect(view).toBeUndefined(); // a wiped assignment is no longer offered
    expect(fs.existsSync(path.join(dataDir, 'prodigy', TRIAGE, 'source.jsonl'))).toBe(false);
    expect((await app.call('audit.list', { type: 'session.stopped' })).entries).toHaveLength(1);
  });
});

describe('a Prodigy left behind by a crashed app', () => {
  it('is found and stopped at the next start', async () => {
    const { sb, app, dataDir } = await syncedApp();
    await app.companion.close();

    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/session-child.ts', JSON.stringify({ dataDir, server: sb.url, tenant: sb.tenant, assignmentId: TRIAGE })], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const started = await new Promise<string>((resolve) => readline.createInterface({ input: child.stdout }).once('line', resolve));
    expect(JSON.parse(started)).toMatchObject({ ok: true, value: { state: 'running' } });
    const pid = livePids(dataDir)[0] ?? 0;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(isAlive(pid)).toBe(true); // the app is gone; its Prodigy is not

    const again = await startCompanion(dataDir, { argv: ['--server', sb.url, '--tenant', sb.tenant], env: PRODIGY_ENV, tuning: FAST });
    expect(isAlive(pid)).toBe(false);
    const [entry] = (await again.call('audit.list', { type: 'session.orphan_stopped' })).entries;
    expect(entry).toMatchObject({ assignmentId: TRIAGE, details: { pid } });
    expect((await sessionOf(again))?.message).toMatch(/left behind was stopped/);
  });
});

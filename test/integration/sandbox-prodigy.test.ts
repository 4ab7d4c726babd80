import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchForErrors } from '../support/chromium';
import {
  basicAuth,
  call,
  freePort,
  parseJsonl,
  plain,
  readDb,
  runProdigy,
  startProdigy,
  stopAll,
  writeJsonl,
  type DatasetRow,
  type ProdigyOptions,
  type ProdigyProcess,
} from '../support/prodigy-standin';
import { tempDir } from '../support/tmp';
import { acceptChoices } from '../support/prodigy';

interface Span {
  start: number;
  end: number;
  label: string;
  token_start?: number;
  token_end?: number;
}

interface Task {
  text?: string;
  image?: string;
  meta?: Record<string, unknown>;
  _input_hash: number;
  _task_hash: number;
  _view_id: string;
  options?: Array<{ id: string; text: string }>;
  tokens?: Array<{ text: string; start: number; end: number; id: number; ws: boolean }>;
  label?: string;
  spans?: Span[];
  accept?: string[];
  [key: string]: unknown;
}

interface Questions {
  tasks: Task[];
  total: number;
  progress: number | null;
  session_id: string;
}

type Example = Task & {
  answer: 'accept' | 'reject' | 'ignore';
  _timestamp: number;
  _session_id: string;
  _annotator_id: string;
  flagged?: boolean;
  versions?: Array<Record<string, unknown> & { sessions: string[] }>;
  sessions?: string[];
};

const TEXTS = ['Ana met Ben in Berlin.', 'Carl flew to Paris.', 'Dora stayed home.', 'Emil read a book.', 'Fay sang.', 'Gus slept.'];
const SESSION_DATASET = /^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$/;
const isInt32 = (value: unknown) => Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31;

function source(dir: string, count = 3, extra: (i: number) => Record<string, unknown> = () => ({})): string {
  return writeJsonl(
    path.join(dir, 'source.jsonl'),
    TEXTS.slice(0, count).map((text, i) => ({ text, meta: { id: i + 1, file: `doc-${i + 1}.txt` }, ...extra(i) })),
  );
}

async function serve(args: string[], options: Omit<ProdigyOptions, 'port'> & { port?: number }, headers: Record<string, string> = {}): Promise<ProdigyProcess> {
  const proc = startProdigy(args, { ...options, port: options.port ?? (await freePort()) });
  await proc.ready(headers);
  return proc;
}

const questions = (proc: ProdigyProcess, sessionId: string | null, headers: Record<string, string> = {}) =>
  call<Questions>(proc, '/get_session_questions', { session_id: sessionId }, headers);

const answer = (proc: ProdigyProcess, sessionId: string | null, answers: unknown[], headers: Record<string, string> = {}) =>
  call<{ progress: number | null }>(proc, '/give_answers', { answers, session_id: sessionId }, headers);

/** Non-empty lines, without wasabi's colour codes. */
function lines(text: string): string[] {
  return plain(text)
    .split('\n')
    .filter((line) => line !== '');
}

async function dbOut(home: string, dataset: string, ...args: string[]): Promise<Example[]> {
  const result = await runProdigy(['db-out', dataset, ...args], { home });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return parseJsonl<Example>(result.stdout);
}

afterEach(stopAll);

describe('Prodigy stand-in: starting and stopping like Prodigy', () => {
  it('prints the banner on stdout before the port answers, then serves once bound', async () => {
    const home = tempDir();
    const port = await freePort();
    const proc = startProdigy(['ner.manual', 'news', 'blank:en', source(home), '--label', 'PERSON,LOC'], { home, port, env: { PRODIGY_SANDBOX_SLOW_START: '1' } });
    await proc.waitFor(/start annotating!\n/);
    expect(lines(proc.stdout())).toEqual([
      'Added dataset news to database SQLite.',
      `✨  Starting the web server at http://localhost:${port} ...`,
      'Open the app in your browser and start annotating!',
    ]);
    // Supervisors must not trust the banner: nothing listens yet.
    await expect(fetch(`${proc.url}/project`)).rejects.toThrow();
    await proc.ready();
    const project = await call(proc, '/project');
    expect(project.body).toMatchObject({ dataset: 'news', recipe_name: 'ner.manual', view_id: 'ner_manual', labels: ['PERSON', 'LOC'], version: '1.18.4-sandbox', instructions: null, batch_size: 10, instant_submit: false, show_flag: false });
    expect((await call(proc, '/version')).body).toMatchObject({ name: 'prodigy', version: '1.18.4-sandbox' });
  });

  it('asks for HTTP Basic credentials on every endpoint, the page included, and never shows secrets', async () => {
    const home = tempDir();
    fs.writeFileSync(path.join(home, 'prodigy.json'), JSON.stringify({ db_settings: { sqlite: { path: home } }, api_token: 'tok-123' }));
    const auth = basicAuth('ana', 'pa:ss-word');
    const proc = await serve(['textcat.manual', 'news', source(home), '--label', 'POSITIVE,NEGATIVE'], { home, env: { PRODIGY_BASIC_AUTH_USER: 'ana', PRODIGY_BASIC_AUTH_PASS: 'pa:ss-word' } }, auth);

    for (const urlPath of ['/project', '/', '/version', '/?session=ana']) {
      const anonymous = await call(proc, urlPath);
      expect(anonymous.status, urlPath).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="Prodigy"');
      expect((await call(proc, urlPath, undefined, basicAuth('ana', 'wrong'))).status).toBe(401);
    }
    expect((await questions(proc, 'news-ana')).status).toBe(401);

    const page = await call<string>(proc, '/?session=ana', undefined, auth);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain('data-testid="task-text"');
    expect(page.body).toContain('data-testid="progress"');
    const project = await call<Record<string, unknown>>(proc, '/project', undefined, auth);
    expect(project.status).toBe(200);
    expect(project.body).toMatchObject({ dataset: 'news', view_id: 'choice', labels: ['POSITIVE', 'NEGATIVE'] });
    expect(project.body).not.toHaveProperty('db_settings');
    expect(JSON.stringify(project.body)).not.toMatch(/tok-123|pa:ss-word/);
  });

  it('serves a named session its tasks, stores every field of each answer, and prints the summary on SIGINT', async () => {
    const home = tempDir();
    const src = source(home, 3);
    const proc = await serve(['textcat.manual', 'news', src, '--label', 'POSITIVE,NEGATIVE'], { home, env: { PRODIGY_CONFIG_OVERRIDES: '{"batch_size": 2}' } });

    const first = await questions(proc, 'news-ana');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 3, progress: 0, session_id: 'news-ana' });
    expect(first.body.tasks.map((task) => task.text)).toEqual(TEXTS.slice(0, 2));
    for (const task of first.body.tasks) {
      expect(isInt32(task._input_hash) && isInt32(task._task_hash)).toBe(true);
      expect(task._view_id).toBe('choice');
      expect(task.options).toEqual([{ id: 'POSITIVE', text: 'POSITIVE' }, { id: 'NEGATIVE', text: 'NEGATIVE' }]);
    }
    const [one, two] = first.body.tasks as [Task, Task];
    expect((await answer(proc, 'news-ana', [{ ...one, answer: 'accept', accept: ['POSITIVE'], flagged: true }])).body).toEqual({ progress: 1 / 3 });
    expect((await answer(proc, 'news-ana', [{ ...two, answer: 'reject', accept: [], flagged: false }])).body).toEqual({ progress: 2 / 3 });
    // A second answer to the same task is stored beside the first, as Prodigy's database adds every example.
    expect((await answer(proc, 'news-ana', [{ ...one, answer: 'accept', accept: ['NEGATIVE'] }])).body).toEqual({ progress: 2 / 3 });

    const second = await questions(proc, 'news-ana');
    expect(second.body.tasks.map((task) => task.text)).toEqual([TEXTS[2]]);
    expect((await answer(proc, 'news-ana', [{ ...second.body.tasks[0], answer: 'ignore', accept: [] }])).body).toEqual({ progress: 1 });
    const done = await questions(proc, 'news-ana');
    expect(done.body).toMatchObject({ tasks: [], total: 3, progress: 1 });

    const exit = await proc.stop('SIGINT');
    expect(exit).toEqual({ code: 0, signal: null });
    const summary = lines(proc.stdout()).slice(-3);
    expect(summary.slice(0, 2)).toEqual(['✔ Saved 4 annotations to database SQLite', 'Dataset: news']);
    const sessionLine = /^Session ID: (.+)$/.exec(summary[2] ?? '');
    expect(sessionLine?.[1]).toMatch(SESSION_DATASET);
    const runSession = sessionLine?.[1] ?? '';

    const exported = await dbOut(home, 'news');
    expect(exported.map((eg) => eg.text)).toEqual([TEXTS[0], TEXTS[1], TEXTS[0], TEXTS[2]]);
    expect(exported[0]).toMatchObject({ accept: ['POSITIVE'], flagged: true });
    // The last answer of each text, as a reader taking each session's latest would see it.
    const byText = new Map(exported.map((eg) => [eg.text, eg]));
    const now = Date.now() / 1000;
    for (const eg of exported) {
      expect(eg).toMatchObject({ _view_id: 'choice', _session_id: 'news-ana', _annotator_id: 'news-ana', options: one.options });
      expect(eg.meta).toEqual({ id: TEXTS.indexOf(eg.text ?? '') + 1, file: `doc-${TEXTS.indexOf(eg.text ?? '') + 1}.txt` });
      expect(isInt32(eg._input_hash) && isInt32(eg._task_hash)).toBe(true);
      expect(Number.isInteger(eg._timestamp) && Math.abs(eg._timestamp - now) < 60).toBe(true);
    }
    expect(byText.get(TEXTS[0])).toMatchObject({ answer: 'accept', accept: ['NEGATIVE'], _input_hash: one._input_hash });
    expect(byText.get(TEXTS[0])).not.toHaveProperty('flagged');
    expect(byText.get(TEXTS[1])).toMatchObject({ answer: 'reject', accept: [] });
    expect(byText.get(TEXTS[1])).not.toHaveProperty('flagged');
    expect(byText.get(TEXTS[2])?.answer).toBe('ignore');

    const { datasets, links } = readDb(home, (db) => ({
      datasets: db.prepare('SELECT * FROM dataset ORDER BY id').all() as DatasetRow[],
      links: db
        .prepare('SELECT dataset.name AS name, COUNT(*) AS n FROM link JOIN dataset ON dataset.id = link.dataset_id GROUP BY dataset.name')
        .all() as Array<{ name: string; n: number }>,
    }));
    expect(datasets.map((row) => [row.name, row.session])).toEqual([['news', 0], [runSession, 1], ['news-ana', 1]]);
    expect(Object.fromEntries(links.map((row) => [row.name, row.n]))).toEqual({ news: 4, 'news-ana': 4, [runSession]: 4 });
    expect((await dbOut(home, 'news-ana')).map((eg) => eg.text)).toEqual(exported.map((eg) => eg.text));
  });

  it('keeps the task hash a task was served with, whatever spans each annotator marks, and stores flags', async () => {
    const home = tempDir();
    const proc = await serve(['ner.manual', 'people', 'blank:en', source(home, 1), '--label', 'PERSON,LOC'], { home, env: { PRODIGY_CONFIG_OVERRIDES: '{"feed_overlap": true}' } });
    const ana = (await questions(proc, 'people-ana')).body.tasks[0] as Task;
    const ben = (await questions(proc, 'people-ben')).body.tasks[0] as Task;
    const cy = (await questions(proc, 'people-cy')).body.tasks[0] as Task;
    expect(ana._view_id).toBe('ner_manual');
    expect(ana.tokens?.map((token) => token.text)).toEqual(['Ana', 'met', 'Ben', 'in', 'Berlin', '.']);
    expect(new Set([ana._task_hash, ben._task_hash, cy._task_hash]).size).toBe(1);
    const anaSpan = { start: 0, end: 3, label: 'PERSON', token_start: 0, token_end: 0 };
    const berlin = { start: 15, end: 21, label: 'LOC', token_start: 4, token_end: 4 };
    expect((await answer(proc, 'people-ana', [{ ...ana, answer: 'accept', spans: [anaSpan, berlin], flagged: true }])).status).toBe(200);
    expect((await answer(proc, 'people-ben', [{ ...ben, answer: 'accept', spans: [berlin, anaSpan] }])).status).toBe(200);
    expect((await answer(proc, 'people-cy', [{ ...cy, answer: 'accept', spans: [berlin] }])).status).toBe(200);
    const bad = await answer(proc, 'people-cy', [{ ...cy, answer: 'accept', spans: [{ start: 5, end: 99, label: 'LOC' }] }]);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: expect.stringContaining('spans[0]') });
    await proc.stop();

    const [a, b, c] = (await dbOut(home, 'people')) as [Example, Example, Example];
    expect(a).toMatchObject({ flagged: true, spans: [anaSpan, berlin], _session_id: 'people-ana', tokens: ana.tokens });
    expect(b).not.toHaveProperty('flagged');
    expect(c.spans).toEqual([berlin]);
    // Annotating changed neither hash: the disagreement is in the spans, not in _task_hash (CONTRACTS §C).
    expect(new Set([a._input_hash, b._input_hash, c._input_hash])).toEqual(new Set([ana._input_hash]));
    expect(new Set([a._task_hash, b._task_hash, c._task_hash])).toEqual(new Set([ana._task_hash]));
    expect((await dbOut(home, 'people', '--flagged-only')).map((eg) => eg._session_id)).toEqual(['people-ana']);
  });

  it('stops on SIGTERM with the same summary, and resumes where a crash left off (PRODIGY_SANDBOX_CRASH_AFTER)', async () => {
    const home = tempDir();
    const args = ['textcat.manual', 'news', source(home, 3), '--label', 'POSITIVE,NEGATIVE'];
    const crashing = await serve(args, { home, env: { PRODIGY_SANDBOX_CRASH_AFTER: '2' } });
    const tasks = (await questions(crashing, 'news-ana')).body.tasks;
    expect((await answer(crashing, 'news-ana', [{ ...tasks[0], answer: 'accept', accept: ['POSITIVE'] }])).status).toBe(200);
    await expect(answer(crashing, 'news-ana', [{ ...tasks[1], answer: 'accept', accept: ['POSITIVE'] }])).rejects.toThrow();
    expect(await crashing.exited).toEqual({ code: 70, signal: null });
    expect(crashing.stdout()).not.toContain('Saved');
    expect((await dbOut(home, 'news')).map((eg) => eg.text)).toEqual(TEXTS.slice(0, 2));

    const again = await serve(args, { home });
    expect(again.stdout()).not.toContain('Added dataset');
    const rest = await questions(again, 'news-ana');
    expect(rest.body).toMatchObject({ progress: 2 / 3, total: 3 });
    expect(rest.body.tasks.map((task) => task.text)).toEqual([TEXTS[2]]);
    await answer(again, 'news-ana', [{ ...rest.body.tasks[0], answer: 'accept', accept: [] }]);
    expect(await again.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(lines(again.stdout()).slice(-3, -1)).toEqual(['✔ Saved 1 annotations to database SQLite', 'Dataset: news']);
    // In colour, as wasabi prints whenever ANSI_COLORS_DISABLED is not set, terminal or not.
    expect(again.stdout()).toContain('\x1b[38;5;2m✔ Saved 1 annotations to database SQLite\x1b[0m\n');
    expect(lines(again.stdout()).at(-1)).toMatch(/^Session ID: \d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$/);
  });

  it('reports a taken port with uvicorn’s errno 98 line after the banner, and exits 1', async () => {
    const home = tempDir();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await runProdigy(['mark', 'news', source(home), '--view-id', 'classification'], { home, port, env: { PRODIGY_HOST: '127.0.0.1' } });
      expect(result.code).toBe(1);
      expect(lines(result.stdout)).toContain(`✨  Starting the web server at http://127.0.0.1:${port} ...`);
      expect(lines(result.stderr)).toEqual([`ERROR: [Errno 98] error while attempting to bind on address ('127.0.0.1', ${port}): address already in use`]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    const port2 = await freePort();
    const forced = await runProdigy(['mark', 'news', source(home), '--view-id', 'classification'], { home, port: port2, env: { PRODIGY_SANDBOX_BIND_FAIL: '1' } });
    expect(forced.code).toBe(1);
    expect(lines(forced.stderr)).toEqual([`ERROR: [Errno 98] error while attempting to bind on address ('localhost', ${port2}): address already in use`]);
  });

  it('refuses broken sources, bodies and configs with messages that say where', async () => {
    const home = tempDir();
    const broken = path.join(home, 'broken.jsonl');
    fs.writeFileSync(broken, '{"text": "fine"}\n\n{"text": "oops",}\n');
    const badSource = await runProdigy(['textcat.manual', 'news', broken, '--label', 'A,B'], { home, port: await freePort() });
    // Prodigy's own refusals are wasabi ✘ lines on stdout, not stderr.
    expect(badSource.code).toBe(1);
    expect(badSource.stderr).toBe('');
    expect(plain(badSource.stdout)).toContain(`✘ Invalid JSON on line 3 of ${broken}`);

    const missing = await runProdigy(['mark', 'news', path.join(home, 'nope.jsonl'), '--view-id', 'classification'], { home, port: await freePort() });
    expect(missing.code).toBe(1);
    expect(plain(missing.stdout)).toContain("✘ Can't find source file");

    const conflicting = await runProdigy(['mark', 'news', source(home), '--view-id', 'classification'], { home, port: await freePort(), env: { PRODIGY_CONFIG_OVERRIDES: '{"feed_overlap": true, "annotations_per_task": 2}' } });
    expect(conflicting.code).toBe(1);
    expect(conflicting.stderr).toBe('');
    expect(lines(conflicting.stdout)[0]).toMatch(/^✘ Config validation error: 'feed_overlap' can't be true when/);

    const proc = await serve(['mark', 'news', source(home), '--view-id', 'classification'], { home });
    const malformed = await call(proc, '/give_answers', '{"answers": [', {});
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ error: expect.stringContaining('Malformed JSON body') });
    const wrongAnswer = await answer(proc, null, [{ text: 'x', answer: 'maybe' }]);
    expect(wrongAnswer.status).toBe(400);
    expect(wrongAnswer.body).toEqual({ error: 'answers[0].answer must be one of accept, reject, ignore' });
  });
});

describe('Prodigy stand-in: several annotators', () => {
  it('gives each task to one session without overlap, and every task to every session with feed_overlap', async () => {
    const home = tempDir();
    const src = source(home, 4);
    const single = await serve(['mark', 'solo', src, '--label', 'NEWS', '--view-id', 'classification'], { home, env: { PRODIGY_CONFIG_OVERRIDES: '{"batch_size": 2}' } });
    const a = (await questions(single, 'solo-a')).body.tasks;
    const b = (await questions(single, 'solo-b')).body.tasks;
    expect(a.map((task) => task.text)).toEqual(TEXTS.slice(0, 2));
    expect(b.map((task) => task.text)).toEqual(TEXTS.slice(2, 4));
    expect(a[0]).toMatchObject({ label: 'NEWS', _view_id: 'classification' });
    // The same open tasks again after a reload, not new ones.
    expect((await questions(single, 'solo-a')).body.tasks.map((task) => task._task_hash)).toEqual(a.map((task) => task._task_hash));
    await answer(single, 'solo-b', b.map((task) => ({ ...task, answer: 'accept' })));
    // b has finished its own: it takes over what a left open (work stealing), and a does not get them again.
    expect((await questions(single, 'solo-b')).body.tasks.map((task) => task.text)).toEqual(TEXTS.slice(0, 2));
    expect((await questions(single, 'solo-a')).body.tasks).toEqual([]);
    await single.stop();
    const soloOut = await dbOut(home, 'solo');
    expect(soloOut.map((eg) => [eg.text, eg.label, eg._session_id])).toEqual(TEXTS.slice(2, 4).map((text) => [text, 'NEWS', 'solo-b']));

    const overlap = await serve(['mark', 'all', src, '--view-id', 'classification'], { home, env: { PRODIGY_CONFIG_OVERRIDES: '{"feed_overlap": true}' } });
    for (const session of ['all-a', 'all-b']) {
      const tasks = (await questions(overlap, session)).body.tasks;
      expect(tasks.map((task) => task.text)).toEqual(TEXTS.slice(0, 4));
      expect((await answer(overlap, session, tasks.map((task) => ({ ...task, answer: 'reject' })))).body).toEqual({ progress: 1 });
      expect((await questions(overlap, session)).body.tasks).toEqual([]);
    }
    await overlap.stop();
    const all = await dbOut(home, 'all');
    expect(all).toHaveLength(8);
    expect(new Set(all.map((eg) => `${eg.text}|${eg._session_id}`)).size).toBe(8);
  });

  it('routes each task to exactly two of three allowed sessions, and refuses every other session', async () => {
    const home = tempDir();
    const env = { PRODIGY_ALLOWED_SESSIONS: 'a, b,c', PRODIGY_CONFIG_OVERRIDES: '{"annotations_per_task": 2}' };
    const proc = await serve(['textcat.manual', 'team', source(home, 6), '--label', 'X,Y'], { home, env });
    const counts: Record<string, number> = {};
    for (const session of ['team-a', 'team-b', 'team-c']) {
      const tasks = (await questions(proc, session)).body.tasks;
      counts[session] = tasks.length;
      await answer(proc, session, tasks.map((task) => ({ ...task, answer: 'accept', accept: ['X'] })));
      expect((await questions(proc, session)).body.tasks).toEqual([]);
    }
    expect(counts).toEqual({ 'team-a': 4, 'team-b': 4, 'team-c': 4 });

    for (const refused of [await questions(proc, 'team-d'), await questions(proc, null), await questions(proc, 'other-a'), await answer(proc, 'team-d', [])]) {
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ error: expect.stringMatching(/not allowed|named sessions/) });
    }
    expect((await call(proc, '/?session=d')).status).toBe(403);
    expect((await call(proc, '/?session=a')).status).toBe(200);
    await proc.stop();

    const bySession = new Map<string, Set<string>>();
    for (const eg of await dbOut(home, 'team')) bySession.set(eg.text ?? '', (bySession.get(eg.text ?? '') ?? new Set()).add(eg._session_id));
    expect([...bySession.keys()].sort()).toEqual([...TEXTS].sort());
    expect([...bySession.values()].map((sessions) => sessions.size)).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('review groups the annotators’ versions, and saves the reviewer’s pick with versions and sessions', async () => {
    const home = tempDir();
    const annotations = path.join(home, 'annotations.jsonl');
    const text = TEXTS[0];
    writeJsonl(annotations, [
      { text, _view_id: 'ner_manual', answer: 'accept', spans: [{ start: 0, end: 3, label: 'PERSON' }], _session_id: 'ner-ana' },
      { text, _view_id: 'ner_manual', answer: 'accept', spans: [{ start: 0, end: 3, label: 'PERSON' }], _session_id: 'ner-ben' },
      { text, _view_id: 'ner_manual', answer: 'accept', spans: [{ start: 15, end: 21, label: 'LOC' }], _session_id: 'ner-cy' },
      { text, _view_id: 'ner_manual', answer: 'ignore', spans: [], _session_id: 'ner-dan' },
      { text: TEXTS[1], _view_id: 'classification', label: 'TRAVEL', answer: 'accept', _session_id: 'ner-ana' },
      { text: TEXTS[1], _view_id: 'classification', label: 'TRAVEL', answer: 'reject', _session_id: 'ner-ben' },
    ]);
    expect((await runProdigy(['db-in', 'ner', annotations], { home })).code).toBe(0);
    const proc = await serve(['review', 'ner-final', 'ner'], { home });
    const { tasks, total } = (await questions(proc, 'ner-final-sam')).body;
    expect(total).toBe(2);
    const [manual, binary] = tasks as [Example, Example];
    expect(manual).toMatchObject({ _view_id: 'review', view_id: 'ner_manual', text, sessions: ['ner-ana', 'ner-ben', 'ner-cy'] });
    expect(manual.versions?.map((version) => [version.sessions, version.spans, version.default])).toEqual([
      [['ner-ana', 'ner-ben'], [{ start: 0, end: 3, label: 'PERSON' }], true],
      [['ner-cy'], [{ start: 15, end: 21, label: 'LOC' }], false],
    ]);
    expect(binary.versions?.map((version) => [version.answer, version.sessions])).toEqual([
      ['accept', ['ner-ana']],
      ['reject', ['ner-ben']],
    ]);
    const picked = manual.versions?.[1]?.spans;
    await answer(proc, 'ner-final-sam', [{ ...manual, spans: picked, answer: 'accept' }]);
    await proc.stop();
    const [saved] = await dbOut(home, 'ner-final');
    expect(saved).toMatchObject({ text, answer: 'accept', spans: picked, _view_id: 'review', view_id: 'ner_manual', _session_id: 'ner-final-sam' });
    expect(saved?.versions).toHaveLength(2);
    expect(saved?.sessions).toEqual(['ner-ana', 'ner-ben', 'ner-cy']);
  });
});

describe('Prodigy stand-in: each recipe’s own arguments, refused as Prodigy refuses them', () => {
  it('ner.manual and spans.manual need a spaCy model before the source', async () => {
    const home = tempDir();
    const src = source(home, 1);
    // The source where the model goes: argparse (radicli) misses the source, says so on stderr, exits 2.
    const noModel = await runProdigy(['ner.manual', 'news', src, '--label', 'PERSON'], { home, port: await freePort() });
    expect(noModel.code).toBe(2);
    expect(noModel.stdout).toBe('');
    expect(noModel.stderr).toContain('prodigy ner.manual: error: the following arguments are required: source');
    // A model spaCy cannot load: its E050, as a traceback.
    const unknown = await runProdigy(['spans.manual', 'news', 'en_core_web_sm', src, '--label', 'PERSON'], { home, port: await freePort() });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^Traceback/);
    expect(unknown.stderr).toContain("OSError: [E050] Can't find model 'en_core_web_sm'");
    // blank:LANG and a pipeline folder load.
    const pipeline = path.join(home, 'my_pipeline');
    fs.mkdirSync(pipeline);
    fs.writeFileSync(path.join(pipeline, 'config.cfg'), '[nlp]\nlang = "en"\n');
    for (const model of ['blank:en', pipeline]) {
      const proc = await serve(['spans.manual', 'news', model, src, '--label', 'PERSON'], { home });
      expect((await call(proc, '/project')).body).toMatchObject({ view_id: 'spans_manual' });
      await proc.stop();
    }
  });

  it('image.manual reads a folder of images, or a JSONL file only with --loader jsonl', async () => {
    const home = tempDir();
    const folder = path.join(home, 'images');
    fs.mkdirSync(folder);
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>';
    // Two different images: the same bytes would be the same input, served once.
    fs.writeFileSync(path.join(folder, 'b.svg'), svg.replace('4"/>', '5"/>'));
    fs.writeFileSync(path.join(folder, 'a.svg'), svg);
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'not an image');
    const jsonl = writeJsonl(path.join(home, 'images.jsonl'), [{ image: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` }]);

    const refused = await runProdigy(['image.manual', 'pics', jsonl, '--label', 'SUN'], { home, port: await freePort() });
    expect(refused.code).toBe(1);
    expect(lines(refused.stdout).join(' ')).toContain(`✘ Can't read images from ${jsonl}: it is a file, not a folder of images`);

    const fromFolder = await serve(['image.manual', 'pics', folder, '--label', 'SUN'], { home });
    const tasks = (await questions(fromFolder, 'pics-ana')).body.tasks;
    expect(tasks.map((task) => task.meta)).toEqual([{ file: 'a.svg' }, { file: 'b.svg' }]);
    expect(tasks[0]?.image).toMatch(/^data:image\/svg\+xml;base64,/);
    await fromFolder.stop();
    const fromJsonl = await serve(['image.manual', 'pics2', jsonl, '--label', 'SUN', '--loader', 'jsonl'], { home });
    expect((await questions(fromJsonl, 'pics2-ana')).body.tasks).toHaveLength(1);
  });

  it('mark takes its interface from --view-id, never from prodigy.json', async () => {
    const home = tempDir();
    fs.writeFileSync(path.join(home, 'prodigy.json'), JSON.stringify({ view_id: 'choice', labels: ['FROM_CONFIG'] }));
    const withoutView = await runProdigy(['mark', 'news', source(home)], { home, port: await freePort() });
    expect(withoutView.code).toBe(1);
    expect(lines(withoutView.stdout)[0]).toBe('✘ No --view-id given for mark');
    const proc = await serve(['mark', 'news', source(home), '--view-id', 'html'], { home });
    expect((await call(proc, '/project')).body).toMatchObject({ view_id: 'html', labels: [] });
  });

  it('prints PRODIGY_LOGGING lines on stdout, so they end up in a db-out printed there', async () => {
    const home = tempDir();
    expect((await runProdigy(['db-in', 'set', writeJsonl(path.join(home, 'in.jsonl'), [{ text: 'x' }])], { home })).code).toBe(0);
    const logged = await runProdigy(['db-out', 'set'], { home, env: { PRODIGY_LOGGING: 'basic' } });
    expect(logged.code).toBe(0);
    expect(lines(logged.stdout)[0]).toMatch(/^\d{2}:\d{2}:\d{2}: DB: Initializing database SQLite$/);
    // Written to OUT_DIR, the data stays clean whatever is printed.
    const outDir = path.join(home, 'out');
    await runProdigy(['db-out', 'set', outDir], { home, env: { PRODIGY_LOGGING: 'basic' } });
    expect(parseJsonl(fs.readFileSync(path.join(outDir, 'set.jsonl'), 'utf8'))).toHaveLength(1);
  });
});

describe('Prodigy stand-in: database commands', () => {
  it('db-out prints compact JSONL, writes OUT_DIR/DATASET.jsonl, filters by answer and flag, and refuses unknown datasets', async () => {
    const home = tempDir();
    const file = writeJsonl(path.join(home, 'in.jsonl'), [
      { text: 'één', answer: 'accept', flagged: true, meta: { n: 1 } },
      { text: 'two', answer: 'reject' },
      { text: 'three', answer: 'accept' },
    ]);
    expect((await runProdigy(['db-in', 'set', file], { home })).code).toBe(0);

    const out = await runProdigy(['db-out', 'set'], { home });
    const rows = lines(out.stdout);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toBe(JSON.stringify(JSON.parse(row)));
    expect((await dbOut(home, 'set', '--answer', 'accept')).map((eg) => eg.text)).toEqual(['één', 'three']);
    expect((await dbOut(home, 'set', '--flagged-only')).map((eg) => eg.text)).toEqual(['één']);

    const outDir = path.join(home, 'exports', 'today');
    const written = await runProdigy(['db-out', 'set', outDir, '--answer', 'reject'], { home });
    expect(written.code).toBe(0);
    const outFile = path.join(outDir, 'set.jsonl');
    expect(lines(written.stdout).join(' ')).toBe(`✔ Exported 1 annotations from 'set' to ${outFile}`);
    expect(parseJsonl<Example>(fs.readFileSync(outFile, 'utf8')).map((eg) => eg.text)).toEqual(['two']);

    // On stdout, where the JSONL would be, framed by empty lines, in red: wasabi's msg.fail(…, exits=1).
    const unknown = await runProdigy(['db-out', 'nope'], { home });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('');
    expect(unknown.stdout).toBe("\n\x1b[38;5;1m✘ Can't find 'nope' in database SQLite\x1b[0m\n\n");
    const uncoloured = await runProdigy(['db-out', 'nope'], { home, env: { ANSI_COLORS_DISABLED: '1' } });
    expect(uncoloured.stdout).toBe("\n✘ Can't find 'nope' in database SQLite\n\n");
    // NO_COLOR is not something wasabi reads: the colour stays.
    expect((await runProdigy(['db-out', 'nope'], { home, env: { NO_COLOR: '1' } })).stdout).toContain('\x1b[38;5;1m');
  });

  it('db-in adds hashes and answers where missing, keeps those present, and a round trip keeps every field', async () => {
    const home = tempDir();
    const rich = [
      {
        text: 'Ana met Ben in Berlin.', meta: { id: 1, score: 0.31 }, tokens: [{ text: 'Ana', start: 0, end: 3, id: 0, ws: true }],
        _input_hash: -123456789, _task_hash: 987654321, _view_id: 'ner_manual', answer: 'reject', _timestamp: 1_700_000_000,
        _session_id: 'news-ana', _annotator_id: 'news-ana', flagged: true, spans: [{ start: 0, end: 3, label: 'PERSON', token_start: 0, token_end: 0 }],
      },
      { text: 'Good film.', options: [{ id: 'POS', text: 'POS' }], accept: ['POS'], _view_id: 'choice', answer: 'accept', _timestamp: 1_700_000_001, _session_id: 'news-ben', _annotator_id: 'news-ben', meta: { id: 2 } },
      { text: 'Bad film.', label: 'NEGATIVE', _view_id: 'classification', answer: 'ignore', meta: { id: 3 }, _input_hash: 5, _task_hash: -6 },
      { image: 'data:image/png;base64,iVBORw0KGgo=', meta: { id: 4 } },
    ];
    const file = writeJsonl(path.join(home, 'rich.jsonl'), rich);
    const imported = await runProdigy(['db-in', 'first', file], { home });
    expect(imported.code).toBe(0);
    const [importedLine, wrapped, addedLine, sessionLine] = lines(imported.stdout);
    // wasabi wraps a message at 80 columns.
    expect(`${importedLine} ${wrapped}`).toMatch(/^✔ Imported 4 annotations to 'first' \(session \d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\) in database SQLite$/);
    expect(addedLine).toBe("Added 'accept' answer to 1 annotations");
    expect(sessionLine).toMatch(/^Session ID: \d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$/);

    const first = await dbOut(home, 'first');
    expect(first[0]).toEqual(rich[0]);
    expect(first[1]).toEqual({ ...rich[1], _input_hash: expect.any(Number), _task_hash: expect.any(Number) });
    expect(first[2]).toEqual(rich[2]);
    expect(first[3]).toEqual({ ...rich[3], answer: 'accept', _input_hash: expect.any(Number), _task_hash: expect.any(Number) });
    for (const eg of first) expect(isInt32(eg._input_hash) && isInt32(eg._task_hash)).toBe(true);

    const exportedFile = path.join(home, 'first.jsonl');
    fs.writeFileSync(exportedFile, (await runProdigy(['db-out', 'first'], { home })).stdout);
    expect((await runProdigy(['db-in', 'second', exportedFile], { home })).code).toBe(0);
    expect(await dbOut(home, 'second')).toEqual(first);

    const broken = path.join(home, 'broken.jsonl');
    fs.writeFileSync(broken, '{"text": "a"}\n{"text": "b"}\n[1, 2]\n');
    const refused = await runProdigy(['db-in', 'third', broken], { home });
    expect(refused.code).toBe(1);
    expect(plain(refused.stdout)).toContain(`line 3 of ${broken}`);
    expect(lines((await runProdigy(['db-out', 'third'], { home })).stdout)).toEqual(["✘ Can't find 'third' in database SQLite"]);
  });

  it('stats -l lists datasets and drop removes one', async () => {
    const home = tempDir();
    const file = writeJsonl(path.join(home, 'in.jsonl'), [{ text: 'x' }]);
    await runProdigy(['db-in', 'alpha', file], { home });
    await runProdigy(['db-in', 'beta', file], { home });
    const listed = await runProdigy(['stats', '-l'], { home });
    expect(listed.code).toBe(0);
    expect(lines(listed.stdout).at(-1)).toBe('alpha, beta');
    expect(listed.stdout).toMatch(/Total Datasets\s+2/);

    const dropped = await runProdigy(['drop', 'alpha'], { home });
    expect([dropped.code, lines(dropped.stdout)]).toEqual([0, ["✔ Removed 'alpha' from database SQLite"]]);
    expect(lines((await runProdigy(['stats', '-l'], { home })).stdout).at(-1)).toBe('beta');
    expect((await dbOut(home, 'beta')).map((eg) => eg.text)).toEqual(['x']);
    const again = await runProdigy(['drop', 'alpha'], { home });
    expect([again.code, lines(again.stdout)]).toEqual([1, ["✘ Can't find 'alpha' in database SQLite"]]);
  });
});

describe('Prodigy stand-in: configuration', () => {
  it('takes prodigy.json from home, then the working folder, then PRODIGY_CONFIG_OVERRIDES, with PRODIGY_PORT above all', async () => {
    const home = tempDir();
    const cwd = path.join(home, 'project');
    fs.mkdirSync(cwd);
    const [homePort, cwdPort, envPort] = [await freePort(), await freePort(), await freePort()];
    const instructions = path.join(home, 'guide.html');
    fs.writeFileSync(instructions, '<h2>Mark every person</h2>');
    fs.writeFileSync(path.join(home, 'prodigy.json'), JSON.stringify({ port: homePort, batch_size: 5, instructions, show_flag: true }));
    fs.writeFileSync(path.join(cwd, 'prodigy.json'), JSON.stringify({ port: cwdPort, batch_size: 3 }));
    const src = source(home, 6);

    const all = startProdigy(['ner.manual', 'cfg', 'blank:en', src, '--label', 'PERSON'], { home, cwd, port: envPort, env: { PRODIGY_CONFIG_OVERRIDES: '{"batch_size": 2, "port": 1}' } });
    await all.ready();
    expect((await call(all, '/project')).body).toMatchObject({ batch_size: 2, show_flag: true, instructions: '<h2>Mark every person</h2>' });
    expect((await questions(all, 'cfg-a')).body.tasks).toHaveLength(2);
    await all.stop();

    const files = startProdigy(['ner.manual', 'cfg', 'blank:en', src, '--label', 'PERSON'], { home, cwd, port: cwdPort, env: { PRODIGY_PORT: undefined } });
    await files.ready();
    expect(files.stdout()).toContain(`http://localhost:${cwdPort} ...`);
    expect((await call(files, '/project')).body).toMatchObject({ batch_size: 3, labels: ['PERSON'] });
    await files.stop();

    // PRODIGY_CONFIG replaces the global file: its database path wins, the home prodigy.json is not read.
    const elsewhere = path.join(home, 'elsewhere');
    const config = path.join(home, 'team.json');
    fs.writeFileSync(config, JSON.stringify({ db_settings: { sqlite: { path: elsewhere, name: 'team.db' } } }));
    const stats = await runProdigy(['stats'], { home, env: { PRODIGY_CONFIG: config } });
    expect(stats.stdout).toMatch(new RegExp(`Database Path\\s+${path.join(elsewhere, 'team.db').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(fs.existsSync(path.join(elsewhere, 'team.db'))).toBe(true);
  });
});

describe('Prodigy stand-in: the annotation page in Chromium', () => {
  let browser: Browser | null = null;
  let reason = 'no browser';
  beforeAll(async () => {
    browser = await launchChromium((note) => (reason = note));
  });
  afterAll(async () => browser?.close());

  it('lets a person mark spans, flag, undo, accept and reject with mouse and keys, behind Basic auth', async (ctx) => {
    if (!browser) return ctx.skip(reason);
    const home = tempDir();
    const env = { PRODIGY_BASIC_AUTH_USER: 'ana', PRODIGY_BASIC_AUTH_PASS: 'secret', PRODIGY_ALLOWED_SESSIONS: 'ana', PRODIGY_CONFIG_OVERRIDES: '{"show_flag": true}' };
    const proc = await serve(['ner.manual', 'news', 'blank:en', source(home, 2), '--label', 'PERSON,LOC'], { home, env }, basicAuth('ana', 'secret'));
    const context = await browser.newContext({ httpCredentials: { username: 'ana', password: 'secret' } });
    const page = await context.newPage();
    const problems = watchForErrors(page);
    try {
      await page.goto(`${proc.url}/?session=ana`);
      await expect.poll(() => page.getByTestId('task-text').textContent()).toBe(TEXTS[0]);
      expect(await page.getByTestId('progress').textContent()).toBe('0 of 2 annotated');

      // Select “Berlin” with the mouse, then click the label.
      const berlin = page.getByTestId('task-text').locator('[data-offset="15"]');
      const box = (await berlin.boundingBox())!;
      await page.mouse.move(box.x + 1, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
      await page.getByRole('group', { name: 'Labels' }).getByRole('button', { name: 'LOC', exact: true }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Remove “Berlin”' }).count()).toBe(1);
      await page.keyboard.press('f');
      expect(await page.getByRole('button', { name: 'Flag' }).getAttribute('aria-pressed')).toBe('true');
      await page.getByRole('button', { name: 'Accept', exact: true }).click();
      await expect.poll(() => page.getByTestId('task-text').textContent()).toBe(TEXTS[1]);
      // The answer is in the page, not yet on the server: a batch is 10.
      expect(await page.getByTestId('progress').textContent()).toBe('0 of 2 annotated');
      expect(await page.getByTestId('unsaved').textContent()).toContain('1 answer not saved yet');
      expect(await page.getByRole('button', { name: 'Flag' }).getAttribute('aria-pressed')).toBe('false');
      // Undo brings it back, span and flag included; it is answered again.
      await page.keyboard.press('Backspace');
      await expect.poll(() => page.getByTestId('task-text').textContent()).toBe(TEXTS[0]);
      expect(await page.getByRole('button', { name: 'Remove “Berlin”' }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Flag' }).getAttribute('aria-pressed')).toBe('true');
      await page.keyboard.press('a');
      await expect.poll(() => page.getByTestId('task-text').textContent()).toBe(TEXTS[1]);

      // The last task: the queue runs out, so the page sends what it holds before asking for more.
      await page.keyboard.press('x');
      await expect.poll(() => page.getByTestId('done').isVisible()).toBe(true);
      expect(await page.getByRole('heading', { name: 'No tasks available.' }).isVisible()).toBe(true);
      expect(await page.getByTestId('progress').textContent()).toBe('2 of 2 annotated');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
    await proc.stop();
    const [first, second] = await dbOut(home, 'news');
    expect(first).toMatchObject({ answer: 'accept', flagged: true, _session_id: 'news-ana', spans: [{ start: 15, end: 21, label: 'LOC', token_start: 4, token_end: 4 }] });
    expect(second).toMatchObject({ answer: 'reject', spans: [], _session_id: 'news-ana' });
    expect(second).not.toHaveProperty('flagged');
  });

  it('lets a person pick choices, draw a box on an image, and ignore with the space bar', async (ctx) => {
    if (!browser) return ctx.skip(reason);
    const home = tempDir();
    const choice = await serve(['textcat.manual', 'mood', source(home, 2), '--label', 'HAPPY,SAD,ANGRY'], { home, env: { PRODIGY_CONFIG_OVERRIDES: '{"instant_submit": true}' } });
    const image = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="#8cf"/></svg>').toString('base64')}`;
    const imageSource = writeJsonl(path.join(home, 'images.jsonl'), [{ image, meta: { file: 'sky.svg' } }]);
    const images = await serve(['image.manual', 'pics', imageSource, '--label', 'CLOUD,SUN', '--loader', 'jsonl'], { home });
    const page = await browser.newPage();
    const problems = watchForErrors(page);
    try {
      await page.goto(`${choice.url}/?session=bo`);
      const options = page.getByRole('group', { name: 'Options' });
      await options.getByRole('button', { name: 'SAD' }).click();
      await page.keyboard.press('3');
      expect(await options.getByRole('button', { pressed: true }).allTextContents()).toEqual(['SAD', 'ANGRY']);
      await page.keyboard.press('a');
      await expect.poll(() => page.getByTestId('progress').textContent()).toBe('1 of 2 annotated');
      expect(await options.getByRole('button', { pressed: true }).count()).toBe(0);
      await page.keyboard.press(' ');
      await expect.poll(() => page.getByTestId('done').isVisible()).toBe(true);

      await page.goto(`${images.url}/?session=bo`);
      const picture = page.getByTestId('task-image');
      await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(200);
      await page.getByRole('group', { name: 'Labels' }).getByRole('button', { name: 'SUN' }).click();
      const area = (await picture.boundingBox())!;
      await page.mouse.move(area.x + area.width * 0.1, area.y + area.height * 0.2);
      await page.mouse.down();
      await page.mouse.move(area.x + area.width * 0.5, area.y + area.height * 0.8, { steps: 5 });
      await page.mouse.up();
      await expect.poll(() => page.getByRole('button', { name: /^Remove box 1/ }).count()).toBe(1);
      await page.getByRole('button', { name: 'Accept', exact: true }).click();
      await expect.poll(() => page.getByTestId('done').isVisible()).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
    await choice.stop();
    await images.stop();
    const [happy, skipped] = await dbOut(home, 'mood');
    expect(happy).toMatchObject({ answer: 'accept', accept: ['SAD', 'ANGRY'], _view_id: 'choice', _session_id: 'mood-bo' });
    expect(skipped).toMatchObject({ answer: 'ignore', accept: [] });
    const [pic] = await dbOut(home, 'pics');
    expect(pic).toMatchObject({ answer: 'accept', _view_id: 'image_manual', meta: { file: 'sky.svg' }, image });
    const [drawn] = pic?.spans as unknown as Array<{ label: string; type: string; x: number; y: number; width: number; height: number; points: number[][] }>;
    expect(drawn).toMatchObject({ label: 'SUN', type: 'rect' });
    expect(drawn?.x).toBeCloseTo(20, -1);
    expect(drawn?.y).toBeCloseTo(20, -1);
    expect(drawn?.width).toBeCloseTo(80, -1);
    expect(drawn?.height).toBeCloseTo(60, -1);
    expect(drawn?.points).toHaveLength(4);
  });

  it('keeps answers in the page until a batch is full or the person saves; a stop loses those it holds, unless instant_submit', async (ctx) => {
    if (!browser) return ctx.skip(reason);
    const annotateThree = async (proc: ProdigyProcess, save: boolean) => {
      const page = await browser!.newPage();
      try {
        await page.goto(`${proc.url}/?session=ana`);
        await acceptChoices(page, ['HAPPY', 'SAD', 'HAPPY']);
        if (save) {
          await page.keyboard.press('Control+s');
          await expect.poll(() => page.getByTestId('progress').textContent()).toBe('3 of 6 annotated');
        }
        return { progress: await page.getByTestId('progress').textContent(), unsaved: await page.getByTestId('unsaved').isVisible() };
      } finally {
        await page.close();
      }
    };
    const cases = [
      { name: 'batched', overrides: {}, save: false, saved: 0, progress: '0 of 6 annotated', unsaved: true },
      { name: 'saved', overrides: {}, save: true, saved: 3, progress: '3 of 6 annotated', unsaved: false },
      { name: 'instant', overrides: { instant_submit: true }, save: false, saved: 3, progress: '3 of 6 annotated', unsaved: false },
      { name: 'small-batch', overrides: { batch_size: 2 }, save: false, saved: 2, progress: '2 of 6 annotated', unsaved: true },
    ];
    for (const c of cases) {
      const home = tempDir();
      const proc = await serve(['textcat.manual', 'mood', source(home, 6), '--label', 'HAPPY,SAD', '--exclusive'], { home, env: { PRODIGY_CONFIG_OVERRIDES: JSON.stringify(c.overrides) } });
      const seen = await annotateThree(proc, c.save);
      expect(seen, c.name).toEqual({ progress: c.progress, unsaved: c.unsaved });
      await proc.stop('SIGINT');
      expect(lines(proc.stdout()), c.name).toContain(`✔ Saved ${c.saved} annotations to database SQLite`);
      expect((await dbOut(home, 'mood')).length, c.name).toBe(c.saved);
    }
  });
});

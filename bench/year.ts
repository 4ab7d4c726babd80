/**
 * `npm run bench -- year` (issue 17, DESIGN §8): the app after a year of work
 * against the same steps on an empty data folder, alternating, in one run.
 *
 *   - start to first paint: the real browser shell (dist/host/main.mjs) signed
 *     in from the keychain (a private gnome-keyring), to the Assignments view
 *     painted in Chromium;
 *   - first paint of Assignments, Audit (unfiltered and by event),
 *     Notifications and the largest assignment's file list;
 *   - the latency of every list call, over the shell's WebSocket;
 *   - a no-change resync of the largest assignment (10 000 files) against a
 *     bare stat walk of the same files;
 *   - an export of its 100 000 answers against a bare `db-out` of the dataset;
 *   - a session start to ready against a bare `python3 -m prodigy` start to the
 *     same readiness (an authenticated GET /project answers).
 *
 * Both folders are made new for each run (a fixed workload): the year copied
 * from its cache with its File 360, the empty one signed in to a File 360
 * with one small assignment. Numbers are medians of BENCH_RUNS (default 5).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { chromium, type Browser, type Page } from 'playwright-core';
import { accountKey } from '../electron/core/kernel/credentials/open-secret-store';
import { KEYCHAIN_SERVICE, KeyringSecretStore } from '../electron/core/kernel/credentials/keyring-store';
import { MIGRATIONS } from '../electron/core/kernel/db/migrations';
import { openDatabase } from '../electron/core/kernel/db/open';
import { freePort } from '../electron/core/services/prodigy/process';
import { assignmentLayout } from '../electron/core/services/assignments/layout';
import { startFile360Sandbox, type File360Sandbox } from '../sandbox/file360';
import { PRODIGY_ENV } from '../test/support/prodigy';
import { signIn } from '../test/support/sandbox-oauth';
import { startShell, type ShellProcess } from '../test/support/shell-process';
import { median, table, writeResult } from './support/report';
import { workingCopy, yearFixture, YEAR } from './year/fixture';
import { prodigyHome, sessionNameFor } from '../electron/core/services/prodigy/home';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CALLS = 15;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const USER = 'u-ana';
const LABELS = ['billing', 'bug_report', 'feature_request', 'account_access', 'other'];

for (const needed of ['dist/host/main.mjs', 'dist/renderer/index.html']) {
  if (!fs.existsSync(needed)) {
    process.stderr.write(`${needed} is missing: run \`npm run build\` first.\n`);
    process.exit(2);
  }
}
if (!fs.existsSync(CHROMIUM)) {
  process.stderr.write(`No Chromium at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH.\n`);
  process.exit(2);
}

const fixture = await yearFixture({ port: Number(process.env.BENCH_YEAR_PORT ?? 47_360) });
if (fixture.generatedMs !== null) process.stdout.write(`Generated in ${(fixture.generatedMs / 1000).toFixed(0)} s.\n`);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'companion-bench-year-'));
let started = performance.now();
const copySeconds: number[] = [];

/**
 * A fresh copy of the year for each run (databases copied, synced files
 * hard-linked), with its File 360: every run starts from the same year, not
 * from what the run before it left (its session's entries, its uploads).
 */
async function freshYear(run: number): Promise<{ app: string; sandbox: File360Sandbox }> {
  const at = performance.now();
  const copy = workingCopy(fixture, path.join(work, `year-${run}`));
  copySeconds.push((performance.now() - at) / 1000);
  const sandbox = await startFile360Sandbox({ dataDir: copy.sandbox, port: fixture.port, accessTokenTtlSeconds: 24 * 3600 }).catch((error: unknown) => {
    throw new Error(`The year's File 360 sandbox needs port ${fixture.port} (its address is in the year's data); free it or set BENCH_YEAR_PORT (${(error as Error).message}).`);
  });
  return { app: copy.app, sandbox };
}

const emptySandbox = await startFile360Sandbox({
  accessTokenTtlSeconds: 24 * 3600,
  fixture: {
    tenant: 'acme',
    seed: 3,
    users: [{ id: USER, username: 'ana', password: 'ana-password', display_name: 'Ana Ruiz', email: 'ana.ruiz@vendor.example', roles: ['annotator'], groups: ['vendor-annotators'] }],
    assignments: [
      {
        id: 'asg-first',
        name: 'Support tickets: a first batch',
        role: 'annotator',
        permissions: ['view', 'download', 'upload', 'escalate'],
        sharer: { id: USER, display_name: 'Ana Ruiz' },
        sharing_date: new Date().toISOString(),
        due_date: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        expiration: new Date(Date.now() + 60 * 86_400_000).toISOString(),
        project: { recipe: 'textcat.manual', dataset: 'first_batch', labels: LABELS, view_id: 'choice' },
        reviewer_groups: [],
        user_ids: [USER],
        files: Array.from({ length: 20 }, (_, i) => ({ id: `fil-first-${i}`, path: `tickets/${i}.txt`, text: `A first ticket, number ${i}.\n` })),
      },
    ],
  },
});
const keychain = new KeyringSecretStore(KEYCHAIN_SERVICE);
await keychain.probe().catch((error: unknown) => {
  throw new Error(`The year benchmark needs a keychain to start signed in (${(error as Error).message}); run it through npm run bench, which starts a private one.`);
});

interface Folder {
  name: 'year' | 'empty';
  /** The data folder of this run, and the File 360 it is signed in to. */
  prepare(run: number): Promise<{ dataDir: string; sandbox: File360Sandbox }>;
  /** After the run: what it made goes. */
  done(run: number): Promise<void>;
  largest: string;
}

/** A data folder that has never been used: settings, and the account signed in (its refresh token in the keychain). */
function emptyFolder(run: number): string {
  const dir = path.join(work, `empty-${run}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ server: emptySandbox.url, tenant: emptySandbox.tenant }));
  const db = openDatabase(path.join(dir, 'companion.db'), { migrations: MIGRATIONS });
  db.prepare('INSERT INTO accounts (server, tenant, user_id, display_name, email, roles, groups, signed_in_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    emptySandbox.url,
    emptySandbox.tenant,
    USER,
    'Ana Ruiz',
    'ana.ruiz@vendor.example',
    '["annotator"]',
    '["vendor-annotators"]',
    new Date().toISOString(),
  );
  db.close();
  return dir;
}

let yearSandbox: File360Sandbox | null = null;
const folders: Folder[] = [
  {
    name: 'year',
    largest: fixture.largest.id,
    async prepare(run) {
      const fresh = await freshYear(run);
      yearSandbox = fresh.sandbox;
      return { dataDir: fresh.app, sandbox: fresh.sandbox };
    },
    async done(run) {
      await yearSandbox?.close();
      yearSandbox = null;
      fs.rmSync(path.join(work, `year-${run}`), { recursive: true, force: true });
    },
  },
  {
    name: 'empty',
    largest: 'asg-first',
    prepare: async (run) => ({ dataDir: emptyFolder(run), sandbox: emptySandbox }),
    done: async (run) => fs.rmSync(path.join(work, `empty-${run}`), { recursive: true, force: true }),
  },
];
/** Signed in as a user's app starts: a refresh token in the keychain. */
async function keepSignedIn(sandbox: File360Sandbox): Promise<void> {
  const tokens = await signIn(sandbox, 'ana');
  if (!tokens.refresh_token) throw new Error('the sandbox gave no refresh token');
  await keychain.set(accountKey(sandbox.url, USER), tokens.refresh_token);
}

// ---- Chromium and the page-side measures ------------------------------------------------------------

const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });

/** What each view shows once painted: its rows, or its empty state. */
const VIEWS = {
  assignments: { hash: '#/assignments', ready: '[data-testid="assignment-row"], .empty-state' },
  audit: { hash: '#/audit', ready: '[data-testid="audit-row"], .empty-state' },
  notifications: { hash: '#/notifications', ready: '[data-testid="notification"], .empty-state' },
  files: { hash: '#/assignments/', ready: '[data-testid="file-row"], .file-list-empty' },
} as const;

/**
 * In the page, from the route change to the frame after the view's rows (or
 * empty state) appear; from a neutral view, so no stale row counts. A plain
 * string: tsx wraps named functions in a helper the page lacks.
 */
const MEASURE = `({ hash, ready }) => new Promise((resolve, reject) => {
  const started = performance.now();
  window.location.hash = hash;
  const check = () => {
    if (document.querySelector(ready)) requestAnimationFrame(() => resolve(performance.now() - started));
    else if (performance.now() - started > 30000) reject(new Error('nothing matching ' + ready + ' appeared at ' + hash + ' within 30 s'));
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})`;

/**
 * The Audit view's Event filter set to "Sync finished", to the frame its rows
 * (or "No entries match") appear: this computer's, and File 360's of the same
 * type (an earlier installation's uploads come back as File 360's history).
 */
const MEASURE_FILTER = `() => new Promise((resolve, reject) => {
  const select = [...document.querySelectorAll('label')].find((label) => label.textContent.trim().startsWith('Event'))?.querySelector('select');
  const option = [...(select?.options ?? [])].find((candidate) => candidate.textContent === 'Sync finished');
  if (!select || !option) return resolve(-1);
  const started = performance.now();
  select.value = option.value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  const check = () => {
    const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
    const done = (rows.length > 0 && rows.every((row) => /Sync (finished|completed)/.test(row.textContent))) || document.querySelector('.empty-state');
    if (done) requestAnimationFrame(() => resolve(performance.now() - started));
    else if (performance.now() - started > 30000) resolve('filter ' + select.value + '; rows: ' + rows.map((row) => row.textContent.slice(0, 80)).join(' | '));
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})`;

async function neutral(page: Page): Promise<void> {
  await page.evaluate(() => (window.location.hash = '#/settings'));
  await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();
}

async function viewPaint(page: Page, view: keyof typeof VIEWS, id = ''): Promise<number> {
  await neutral(page);
  const { hash, ready } = VIEWS[view];
  return page.evaluate(`(${MEASURE})(${JSON.stringify({ hash: `${hash}${id}`, ready })})`) as Promise<number>;
}

// ---- the shell's API over its WebSocket ----------------------------------------------------------------

async function call(shell: ShellProcess, method: string, input: unknown = {}, timeoutMs = 120_000): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${method} did not answer within ${timeoutMs / 1000} s`)), timeoutMs)));
  const result = await Promise.race([shell.call(method, input), late]).finally(() => clearTimeout(timer));
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function latency(shell: ShellProcess, method: string, input: unknown): Promise<number> {
  await call(shell, method, input); // the first call prepares its statements
  const times: number[] = [];
  for (let i = 0; i < CALLS; i += 1) {
    const at = performance.now();
    await call(shell, method, input);
    times.push(performance.now() - at);
  }
  return median(times);
}

/** Waits until every assignment of the folder has settled after the sync at start. */
async function settled(shell: ShellProcess): Promise<void> {
  for (let tries = 0; tries < 600; tries += 1) {
    const list = (await call(shell, 'assignments.list')) as Array<{ sync: { state: string } }>;
    if (list.length > 0 && list.every((a) => ['synced', 'problem', 'paused', 'wiped'].includes(a.sync.state))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the assignments did not settle after start');
}

// ---- bare baselines ------------------------------------------------------------------------------------

/** Every file under the assignment's folder, found and stat'ed: what any no-change check must at least do. */
function statWalk(root: string): { ms: number; files: number } {
  const at = performance.now();
  let files = 0;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (fs.statSync(full).isFile()) files += 1;
    }
  };
  walk(root);
  return { ms: performance.now() - at, files };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const at = performance.now();
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - at) : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))));
  });
}

/** `python3 -m prodigy db-out DATASET OUT_DIR` on the same home: the export's own first step, alone. */
function bareDbOut(home: string, dataset: string, out: string): Promise<number> {
  return run('python3', ['-m', 'prodigy', 'db-out', dataset, out], { ...PRODIGY_ENV, PRODIGY_HOME: home });
}

/** The same Prodigy command line the app runs, on the app's source and config, to the same readiness. */
async function bareSessionStart(home: string, dataset: string): Promise<number> {
  const port = await freePort();
  const auth = { user: 'bench', pass: 'bench-password' };
  const at = performance.now();
  const child = spawn('python3', ['-m', 'prodigy', 'textcat.manual', dataset, path.join(home, 'source.jsonl'), '--label', LABELS.join(',')], {
    env: { ...PRODIGY_ENV, PRODIGY_HOME: home, PRODIGY_HOST: '127.0.0.1', PRODIGY_PORT: String(port), PRODIGY_ALLOWED_SESSIONS: sessionNameFor(USER), PRODIGY_BASIC_AUTH_USER: auth.user, PRODIGY_BASIC_AUTH_PASS: auth.pass, PYTHONUNBUFFERED: '1' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const authorization = `Basic ${Buffer.from(`${auth.user}:${auth.pass}`).toString('base64')}`;
  let ms = NaN;
  for (let tries = 0; tries < 3000 && child.exitCode === null; tries += 1) {
    const ok = await fetch(`http://127.0.0.1:${port}/project`, { headers: { authorization } }).then((response) => response.ok, () => false);
    if (ok) {
      ms = performance.now() - at;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  child.kill('SIGINT');
  await exited;
  if (Number.isNaN(ms)) throw new Error('the bare Prodigy never answered GET /project');
  return ms;
}

/** One more answer in the dataset, so each export has something new and is made in full, as the first one is. */
function addAnswer(home: string, dataset: string, n: number): void {
  const db = new Database(path.join(home, 'prodigy.db'));
  try {
    const datasetId = db.prepare<[string], { id: number }>('SELECT id FROM dataset WHERE name = ?').get(dataset)?.id;
    const example = { text: `One more ticket, answered between runs (${n}).`, options: LABELS.map((id) => ({ id, text: id })), _input_hash: 900_000 + n, _task_hash: 900_000 + n, _view_id: 'choice', accept: ['billing'], answer: 'accept', _timestamp: Math.floor(Date.now() / 1000), _session_id: `${dataset}-ana`, _annotator_id: `${dataset}-ana` };
    const id = Number(db.prepare('INSERT INTO example (input_hash, task_hash, content) VALUES (?, ?, ?)').run(example._input_hash, example._task_hash, JSON.stringify(example)).lastInsertRowid);
    db.prepare('INSERT INTO link (example_id, dataset_id) VALUES (?, ?)').run(id, datasetId);
  } finally {
    db.close();
  }
}

// ---- one run of one folder -----------------------------------------------------------------------------

const LISTS: Array<[string, (folder: Folder) => unknown]> = [
  ['assignments.list', () => ({})],
  ['assignments.files', (folder) => ({ id: folder.largest, limit: 100 })],
  ['audit.list', () => ({ limit: 100 })],
  ['audit.timeline', () => ({ limit: 100 })],
  ['audit.timeline (by event)', () => ({ limit: 100, type: 'sync.completed' })],
  ['audit.facets', () => ({})],
  ['notifications.list', () => ({ limit: 100 })],
  ['notifications.list (unread)', () => ({ limit: 100, filter: 'unread' })],
  ['outbox.list (with history)', () => ({ show: 'all' })],
  ['sessions.list', () => ({})],
  ['exports.list', (folder) => ({ id: folder.largest })],
  ['escalations.list', () => ({})],
];

type Sample = Record<string, number>;

async function measure(folder: Folder, runNumber: number): Promise<Sample> {
  const sample: Sample = {};
  const { dataDir, sandbox } = await folder.prepare(runNumber);
  await keepSignedIn(sandbox);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const at = performance.now();
  const shell = await startShell(['--data-dir', dataDir]);
  try {
    await page.goto(shell.url);
    await page.waitForSelector(VIEWS.assignments.ready);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    sample['start to first paint'] = performance.now() - at;
    const status = (await call(shell, 'app.status')) as { user: unknown };
    if (!status.user) throw new Error(`the ${folder.name} folder did not start signed in`);
    await settled(shell);

    sample['Assignments first paint'] = await viewPaint(page, 'assignments');
    sample['Audit first paint'] = await viewPaint(page, 'audit');
    await page.waitForSelector('label select');
    const filtered = (await page.evaluate(`(${MEASURE_FILTER})()`)) as number | string;
    if (typeof filtered !== 'number' || filtered < 0) throw new Error(`the Audit view's event filter did not show "Sync finished" entries (${filtered})`);
    sample['Audit by event first paint'] = filtered;
    sample['Notifications first paint'] = await viewPaint(page, 'notifications');
    sample['file list first paint'] = await viewPaint(page, 'files', folder.largest);
    for (const [name, input] of LISTS) sample[name] = await latency(shell, name.split(' ')[0] ?? name, input(folder));

    // A no-change resync of the largest assignment, as the Sync button starts it, to its finished event.
    const finished = shell.event('sync.progress', (payload) => (payload as { assignmentId: string; state: string }).assignmentId === folder.largest && (payload as { state: string }).state !== 'syncing', 60_000);
    const resyncAt = performance.now();
    await call(shell, 'sync.start', { id: folder.largest });
    const progress = (await finished) as { state: string; filesDone: number };
    sample['no-change resync'] = performance.now() - resyncAt;
    if (progress.state !== 'finished') throw new Error(`the resync ended ${progress.state}`);

    if (folder.name === 'year') {
      const sessionAt = performance.now();
      await call(shell, 'sessions.start', { assignmentId: folder.largest });
      sample['session start to ready'] = performance.now() - sessionAt;
      await call(shell, 'sessions.stop', { assignmentId: folder.largest });

      const home = prodigyHome(dataDir, folder.largest);
      addAnswer(home, fixture.largest.dataset, runNumber);
      const exportAt = performance.now();
      const exported = (await call(shell, 'exports.run', { id: folder.largest })) as { exported: { annotations: number } | null; message: string };
      sample['export'] = performance.now() - exportAt;
      if (!exported.exported) throw new Error(`the export made no package: ${exported.message}`);
      sample['answers exported'] = exported.exported.annotations;
      // The package, its escalations and the session's audit entries go before the app is closed, as a
      // user's app sends them while it runs: the next start measures the year, not this run's leftovers.
      for (let tries = 0; tries < 600; tries += 1) {
        const { queued } = (await call(shell, 'app.status')) as { queued: number };
        if (queued === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await context.close();
    await shell.stop();
  }
  if (folder.name === 'year') {
    // The bare baselines, on the same files, home and dataset, while no app runs.
    const walked = statWalk(assignmentLayout(dataDir, folder.largest).files);
    sample['bare stat walk'] = walked.ms;
    sample['files walked'] = walked.files;
    const home = prodigyHome(dataDir, folder.largest);
    const out = path.join(work, `db-out-${runNumber}`);
    sample['bare db-out'] = await bareDbOut(home, fixture.largest.dataset, out);
    fs.rmSync(out, { recursive: true, force: true });
    sample['bare session start'] = await bareSessionStart(home, fixture.largest.dataset);
  }
  await folder.done(runNumber);
  return sample;
}

const samples: Record<'year' | 'empty', Sample[]> = { year: [], empty: [] };
for (let runNumber = 1; runNumber <= RUNS; runNumber += 1) {
  for (const folder of runNumber % 2 ? folders : [...folders].reverse()) {
    started = performance.now();
    samples[folder.name].push(await measure(folder, runNumber));
    process.stdout.write(`run ${runNumber}, ${folder.name}: ${((performance.now() - started) / 1000).toFixed(1)} s; start to first paint ${Math.round(samples[folder.name].at(-1)?.['start to first paint'] ?? 0)} ms\n`);
  }
}
await browser.close();
await emptySandbox.close();
fs.rmSync(work, { recursive: true, force: true });

const med = (folder: 'year' | 'empty', key: string) => median(samples[folder].map((sample) => sample[key] ?? NaN));
const ms = (value: number) => (Number.isNaN(value) ? '—' : value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`);
const rows: string[][] = [['measure', 'year (median)', 'baseline (median)', 'ratio', 'target', 'met']];
const compare = (name: string, key: string, target: { ratio?: number; ms?: number } = {}, baseline: { folder: 'year' | 'empty'; key: string; label?: string } = { folder: 'empty', key }) => {
  const value = med('year', key);
  const base = med(baseline.folder, baseline.key);
  const ratio = value / base;
  const checks = [target.ratio !== undefined ? ratio <= target.ratio : null, target.ms !== undefined ? value <= target.ms : null].filter((check) => check !== null);
  const wanted = [target.ratio !== undefined ? `≤ ${target.ratio} ×` : '', target.ms !== undefined ? `≤ ${target.ms} ms` : ''].filter(Boolean).join(', ');
  rows.push([name, ms(value), `${ms(base)}${baseline.label ? ` (${baseline.label})` : ''}`, ratio.toFixed(2), wanted, checks.length === 0 ? '' : checks.every(Boolean) ? 'yes' : 'NO']);
  return { year: value, baseline: base, ratio, target, met: checks.length === 0 ? null : checks.every(Boolean) };
};
const results = {
  startToFirstPaint: compare('start to first paint (browser shell, Chromium)', 'start to first paint', { ratio: 1.5 }),
  assignmentsPaint: compare('Assignments, first paint', 'Assignments first paint'),
  auditPaint: compare('Audit, first paint', 'Audit first paint'),
  auditFilteredPaint: compare('Audit by event, first paint', 'Audit by event first paint'),
  notificationsPaint: compare('Notifications, first paint', 'Notifications first paint'),
  fileListPaint: compare(`file list of ${fixture.largest.files.toLocaleString('en')} files, first paint`, 'file list first paint'),
  lists: Object.fromEntries(LISTS.map(([name]) => [name, compare(name, name, { ms: 50 })])),
  resync: compare(`no-change resync, ${fixture.largest.files.toLocaleString('en')} files`, 'no-change resync', { ratio: 2 }, { folder: 'year', key: 'bare stat walk', label: 'bare stat walk' }),
  export: compare(`export of ${fixture.largest.answers.toLocaleString('en')} answers`, 'export', {}, { folder: 'year', key: 'bare db-out', label: 'bare db-out' }),
  sessionStart: compare('session start to ready', 'session start to ready', {}, { folder: 'year', key: 'bare session start', label: 'bare python3 -m prodigy' }),
};
process.stdout.write(table(rows));
writeResult('year', {
  runs: RUNS,
  fixture: { seed: 17, generatedAt: fixture.generatedAt, counts: fixture.counts, spec: YEAR, copySeconds: median(copySeconds) },
  samples,
  results,
});

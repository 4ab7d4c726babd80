/**
 * `npm run bench -- sync [nginx|sandbox]` (DESIGN §8, issue 17): a cold sync
 * of 10 000 files / 1 GiB, sha256-verified and fsynced, against `aria2c -j 8`
 * on the same URLs and a floor (`curl --parallel --parallel-max 8`, bytes
 * discarded), alternating, BENCH_RUNS runs each (default 3), with what the
 * disk alone costs (the same files written, fdatasync'd and renamed from
 * memory, 8 at a time, no network): the floor the app's durability adds to the
 * network's. Then a
 * no-change resync, the syncing process's peak RSS, and a CPU profile of one
 * more app run saying where its time goes.
 *
 * nginx (the default): File 360 answers each content request with a 302 to a
 * pre-signed link, and nginx (secure_link, sendfile) serves the bytes, so
 * this process only answers redirects and the bytes never pass through it.
 * sandbox: the sandbox serves the bytes itself, as before issue 17.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generatedFixture, startFile360Sandbox } from '../sandbox/file360';
import { bundleNode } from '../scripts/bundle';
import { nginxAvailable, startNginx, type Nginx } from '../test/support/nginx';
import { signIn } from '../test/support/sandbox-oauth';
import { summariseProfile } from './support/profile';
import { median, table, writeResult } from './support/report';

const origin = process.argv[3] === 'sandbox' ? 'sandbox' : 'nginx';
const runs = Number(process.env.BENCH_RUNS ?? 3);
const fileCount = Number(process.env.BENCH_FILES ?? 10_000);
const totalBytes = Number(process.env.BENCH_BYTES ?? 1024 ** 3);
const GiB = 1024 ** 3;
/** The app's side, bundled as the app ships (not through tsx's loader, which has its own memory). */
const APP_BUNDLE = path.resolve('test-results', 'bench', 'sync-app.mjs');

interface AppRun {
  coldSeconds: number;
  resyncSeconds: number;
  peakRssBytes: number;
  cold: { state: string; filesDone: number; message: string | null };
}

function runApp(server: string, tenant: string, dataDir: string, assignmentId: string, profileDir?: string): Promise<AppRun> {
  return new Promise((resolve, reject) => {
    const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const child = spawn(process.execPath, [...flags, APP_BUNDLE, JSON.stringify({ dataDir, server, tenant, assignmentId })], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as AppRun) : reject(new Error(`app run exited ${code}`))));
  });
}

/** Never spawnSync while timing: this process serves File 360, and a blocked event loop answers nobody. */
function timed(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`${command} exited ${code}`))));
  });
}

for (const [tool, why] of [
  ['aria2c', 'the baseline this benchmark compares against (Debian: apt-get install aria2)'],
  ['curl', 'the floor: a bare parallel fetch (Debian: apt-get install curl)'],
] as const) {
  if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) {
    process.stderr.write(`${tool} is not installed; it is ${why}.\n`);
    process.exit(2);
  }
}
if (origin === 'nginx' && !nginxAvailable()) {
  process.stderr.write('nginx is not installed (Debian: apt-get install nginx); it is the storage origin here. `npm run bench -- sync sandbox` runs without it.\n');
  process.exit(2);
}

await bundleNode('bench/sync-app.ts', APP_BUNDLE, 'esm');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'companion-bench-sync-'));
process.stdout.write(`Seeding ${fileCount.toLocaleString()} files / ${(totalBytes / GiB).toFixed(2)} GiB in the sandbox…\n`);
const sb = await startFile360Sandbox({
  dataDir: path.join(work, 'sandbox'),
  fixture: generatedFixture({ fileCount, totalBytes, seed: 1 }),
  accessTokenTtlSeconds: 24 * 3600,
});
const assignmentId = sb.admin.assignments().find((a) => a.file_count === fileCount)?.id ?? '';
const manifest = sb.admin.files(assignmentId);
let nginx: Nginx | null = null;
if (origin === 'nginx') {
  process.stdout.write('Writing the objects for nginx…\n');
  const root = path.join(work, 'objects-root');
  await sb.storage.exportObjects(root, [assignmentId]);
  nginx = await startNginx({ dir: path.join(work, 'nginx'), root, secret: sb.storage.secret, workers: 1, refuseAuthorization: false });
  sb.storage.set({ redirect: 302, base: nginx.url, ttlSeconds: 3600 });
}
const token = (await signIn(sb, 'ana')).access_token;
const urls = manifest.map((item) => `${sb.url}/file360/v1/files/${item.id}/content?version=${item.version_number}`);
// aria2c and curl follow File 360's redirect as they do (with the header still on); nginx ignores it.
const ariaList = path.join(work, 'aria2c.txt');
fs.writeFileSync(ariaList, manifest.map((item, index) => `${urls[index]}\n  out=${item.path}\n`).join(''));
const curlConfig = path.join(work, 'curl.conf');
fs.writeFileSync(curlConfig, `location\nsilent\nshow-error\nfail\nheader = "Authorization: Bearer ${token}"\n${urls.map((url) => `url = "${url}"\noutput = "/dev/null"\n`).join('')}`);

const aria2c = (dir: string) =>
  timed('aria2c', ['-j', '8', '-x', '1', '-s', '1', '-i', ariaList, '-d', dir, `--header=Authorization: Bearer ${token}`, '--file-allocation=none', '--auto-file-renaming=false', '--console-log-level=warn', '--summary-interval=0', '--download-result=hide']);
const floor = () => timed('curl', ['--silent', '--show-error', '--no-progress-meter', '--parallel', '--parallel-max', '8', '--config', curlConfig]);

/** The disk's part alone: each file as the app leaves it (written, fdatasync, renamed), without network, hashing or bookkeeping. */
async function diskFloor(dir: string): Promise<number> {
  const partial = path.join(dir, 'partial');
  await fs.promises.mkdir(partial, { recursive: true });
  const largest = Math.max(...manifest.map((item) => item.size));
  const bytes = Buffer.alloc(largest, 0x5a);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < manifest.length; i = next++) {
        const item = manifest[i] as (typeof manifest)[number];
        const partialPath = path.join(partial, String(i));
        const handle = await fs.promises.open(partialPath, 'w', 0o600);
        try {
          await handle.write(bytes.subarray(0, item.size));
          await handle.datasync();
        } finally {
          await handle.close();
        }
        await fs.promises.rename(partialPath, path.join(dir, `${i}`));
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

const app: number[] = [];
const aria: number[] = [];
const bare: number[] = [];
const disk: number[] = [];
const resync: number[] = [];
const rss: number[] = [];
let contentRequestsOnResync = 0;
for (let run = 1; run <= runs; run += 1) {
  // The order turns each run, so none of the four always goes first after the page cache settles.
  const order = [0, 1, 2, 3].map((i) => (i + run) % 4);
  for (const which of order) {
    if (which === 0) {
      const dir = path.join(work, `aria-${run}`);
      aria.push(await aria2c(dir));
      fs.rmSync(dir, { recursive: true, force: true });
    } else if (which === 1) {
      bare.push(await floor());
    } else if (which === 3) {
      const dir = path.join(work, `disk-${run}`);
      disk.push(await diskFloor(dir));
      fs.rmSync(dir, { recursive: true, force: true });
    } else {
      const dataDir = path.join(work, `app-${run}`);
      sb.admin.resetStats();
      const result = await runApp(sb.url, sb.tenant, dataDir, assignmentId);
      // A cold sync asks for each file once; anything more came from the no-change resync.
      contentRequestsOnResync = Math.max(contentRequestsOnResync, Object.values(sb.stats().contentRequests).reduce((a, b) => a + b, 0) - fileCount);
      if (result.cold.state !== 'finished' || result.cold.filesDone !== fileCount) throw new Error(`app sync did not finish: ${JSON.stringify(result.cold)}`);
      app.push(result.coldSeconds);
      resync.push(result.resyncSeconds);
      rss.push(result.peakRssBytes);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  process.stdout.write(
    `run ${run}: app ${app.at(-1)?.toFixed(2)} s, aria2c ${aria.at(-1)?.toFixed(2)} s, curl floor ${bare.at(-1)?.toFixed(2)} s, disk alone ${disk.at(-1)?.toFixed(2)} s, resync ${((resync.at(-1) ?? 0) * 1000).toFixed(0)} ms, peak RSS ${((rss.at(-1) ?? 0) / 2 ** 20).toFixed(0)} MB\n`,
  );
}

// One more app run under the V8 profiler: where the remaining time goes.
const profileDir = path.join(work, 'profile');
await runApp(sb.url, sb.tenant, path.join(work, 'app-profiled'), assignmentId, profileDir);
const profileFile = fs.readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
const profile = profileFile ? summariseProfile(path.join(profileDir, profileFile)) : null;
if (profileFile) fs.copyFileSync(path.join(profileDir, profileFile), path.resolve('test-results', 'bench', `sync-${origin}.cpuprofile`));

await sb.close();
await nginx?.close();
fs.rmSync(work, { recursive: true, force: true });

const ratioAria = median(app) / median(aria);
const ratioFloor = median(app) / median(bare);
const peakRssMB = median(rss) / 2 ** 20;
const result = {
  origin,
  workload: { files: fileCount, bytes: totalBytes, runs },
  appSeconds: app,
  aria2cSeconds: aria,
  floorSeconds: bare,
  diskSeconds: disk,
  resyncSeconds: resync,
  peakRssBytes: rss,
  medians: { app: median(app), aria2c: median(aria), floor: median(bare), disk: median(disk), resync: median(resync), peakRssMB },
  ratios: { appToAria2c: ratioAria, appToFloor: ratioFloor, appToDisk: median(app) / median(disk) },
  contentRequestsOnResync,
  targets: { appToAria2c: 0.9, appToFloor: 1.5, peakRssMB: 250 },
  profile,
};
const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
process.stdout.write(
  table([
    ['measure', 'median', 'target', 'met'],
    [`cold sync, app (verified, fsynced; bytes from ${origin})`, `${median(app).toFixed(2)} s`, '', ''],
    ['cold sync, aria2c -j 8 (same URLs, unverified)', `${median(aria).toFixed(2)} s`, '', ''],
    ['floor: curl --parallel-max 8, bytes discarded', `${median(bare).toFixed(2)} s`, '', ''],
    ['the disk alone: the same files written, fdatasync, renamed', `${median(disk).toFixed(2)} s`, '', ''],
    ['ratio app / aria2c', ratioAria.toFixed(3), '≤ 0.90', yes(ratioAria <= 0.9)],
    ['ratio app / floor', ratioFloor.toFixed(3), '≤ 1.5', yes(ratioFloor <= 1.5)],
    ['ratio app / the disk alone', (median(app) / median(disk)).toFixed(3), '', ''],
    ['no-change resync', `${(median(resync) * 1000).toFixed(0)} ms`, '', ''],
    ['content requests on resync', String(contentRequestsOnResync), '0', yes(contentRequestsOnResync === 0)],
    ['peak RSS of the syncing process', `${peakRssMB.toFixed(0)} MB`, '≤ 250 MB', yes(peakRssMB <= 250)],
  ]),
);
if (profile) {
  process.stdout.write(`Where the app's time goes (one profiled run, ${profile.totalMs.toFixed(0)} ms of samples):\n`);
  process.stdout.write(table([['share', 'ms', 'what'], ...profile.groups.slice(0, 14).map((group) => [`${(group.share * 100).toFixed(1)} %`, group.ms.toFixed(0), group.name])]));
  process.stdout.write(table([['self ms', 'function'], ...profile.top.map((entry) => [entry.ms.toFixed(0), entry.name])]));
}
writeResult(`sync-${origin}`, result);

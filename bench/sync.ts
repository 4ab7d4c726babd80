/**
 * `npm run bench -- sync` (DESIGN §8): a cold sync of 10 000 files / 1 GiB,
 * sha256-verified, against aria2c -j 8 fetching the same URLs unverified from
 * the same sandbox, alternating, at least 3 runs each; then a no-change resync
 * and the syncing process's peak RSS.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generatedFixture, startFile360Sandbox, type File360Sandbox } from '../sandbox/file360';
import { signIn } from '../test/support/sandbox-oauth';
import { bundleNode } from '../scripts/bundle';
import { median, table, writeResult } from './support/report';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const fileCount = Number(process.env.BENCH_FILES ?? 10_000);
const totalBytes = Number(process.env.BENCH_BYTES ?? 1024 ** 3);
const GiB = 1024 ** 3;
/** The app's side, bundled as the app ships (not through tsx's loader, which has its own memory). */
const APP_BUNDLE = path.resolve('test-results', 'bench', 'sync-app.mjs');

function runApp(sb: File360Sandbox, dataDir: string, assignmentId: string): Promise<{ coldSeconds: number; resyncSeconds: number; peakRssBytes: number; cold: { state: string; filesDone: number; message: string | null } }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [APP_BUNDLE, JSON.stringify({ dataDir, server: sb.url, tenant: sb.tenant, assignmentId })], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}')) : reject(new Error(`app run exited ${code}`))));
  });
}

/** Never spawnSync here: this process serves the sandbox, and a blocked event loop answers nobody. */
function runAria2(listFile: string, dir: string, token: string): Promise<number> {
  const started = performance.now();
  const child = spawn(
    'aria2c',
    ['-j', '8', '-x', '1', '-s', '1', '-i', listFile, '-d', dir, `--header=Authorization: Bearer ${token}`, '--file-allocation=none', '--auto-file-renaming=false', '--console-log-level=warn', '--summary-interval=0', '--download-result=hide'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`aria2c exited ${code}`)))),
  );
}

if (spawnSync('aria2c', ['--version'], { stdio: 'ignore' }).status !== 0) {
  process.stderr.write('aria2c is not installed (Debian: apt-get install aria2); it is the baseline this benchmark compares against.\n');
  process.exit(2);
}

await bundleNode('bench/sync-app.ts', APP_BUNDLE, 'esm');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'companion-bench-sync-'));
process.stdout.write(`Seeding ${fileCount.toLocaleString()} files / ${(totalBytes / GiB).toFixed(2)} GiB in the sandbox…\n`);
const sb = await startFile360Sandbox({ dataDir: path.join(work, 'sandbox'), fixture: generatedFixture({ fileCount, totalBytes, seed: 1 }), accessTokenTtlSeconds: 24 * 3600 });
const assignmentId = sb.admin.assignments().find((a) => a.file_count === fileCount)?.id ?? '';
const manifest = sb.admin.files(assignmentId);
const token = (await signIn(sb, 'ana')).access_token;
const listFile = path.join(work, 'urls.txt');
fs.writeFileSync(listFile, manifest.map((item) => `${sb.url}/file360/v1/files/${item.id}/content?version=${item.version_number}\n  out=${item.path}\n`).join(''));

const app: number[] = [];
const aria: number[] = [];
const resync: number[] = [];
const rss: number[] = [];
let contentRequestsOnResync = 0;
for (let run = 1; run <= runs; run += 1) {
  const ariaDir = path.join(work, `aria-${run}`);
  aria.push(await runAria2(listFile, ariaDir, token));
  fs.rmSync(ariaDir, { recursive: true, force: true });

  const dataDir = path.join(work, `app-${run}`);
  sb.admin.resetStats();
  const result = await runApp(sb, dataDir, assignmentId);
  // A cold sync asks for each file once; anything more came from the no-change resync.
  contentRequestsOnResync = Math.max(contentRequestsOnResync, Object.values(sb.stats().contentRequests).reduce((a, b) => a + b, 0) - fileCount);
  if (result.cold.state !== 'finished' || result.cold.filesDone !== fileCount) throw new Error(`app sync did not finish: ${JSON.stringify(result.cold)}`);
  app.push(result.coldSeconds);
  resync.push(result.resyncSeconds);
  rss.push(result.peakRssBytes);
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(`run ${run}: aria2c ${aria.at(-1)?.toFixed(2)} s, app ${result.coldSeconds.toFixed(2)} s, resync ${(result.resyncSeconds * 1000).toFixed(0)} ms, peak RSS ${(result.peakRssBytes / 2 ** 20).toFixed(0)} MB\n`);
}
await sb.close();
fs.rmSync(work, { recursive: true, force: true });

const ratio = median(app) / median(aria);
const result = {
  workload: { files: fileCount, bytes: totalBytes, runs },
  aria2cSeconds: aria,
  appSeconds: app,
  resyncSeconds: resync,
  peakRssBytes: rss,
  medians: { aria2c: median(aria), app: median(app), resync: median(resync), peakRssMB: median(rss) / 2 ** 20 },
  ratio,
  contentRequestsOnResync,
  targets: { ratio: 1.1, resyncSeconds: 0.2, peakRssMB: 250 },
};
process.stdout.write(
  table([
    ['measure', 'median', 'target', 'met'],
    ['cold sync, app (verified)', `${median(app).toFixed(2)} s`, '', ''],
    ['cold sync, aria2c -j 8 (unverified)', `${median(aria).toFixed(2)} s`, '', ''],
    ['ratio app / aria2c', ratio.toFixed(3), '≤ 1.10', ratio <= 1.1 ? 'yes' : 'NO'],
    ['no-change resync', `${(median(resync) * 1000).toFixed(0)} ms`, '≤ 200 ms', median(resync) <= 0.2 ? 'yes' : 'NO'],
    ['content requests on resync', String(contentRequestsOnResync), '0', contentRequestsOnResync === 0 ? 'yes' : 'NO'],
    ['peak RSS of the syncing process', `${result.medians.peakRssMB.toFixed(0)} MB`, '≤ 250 MB', result.medians.peakRssMB <= 250 ? 'yes' : 'NO'],
  ]),
);
writeResult('sync', result);

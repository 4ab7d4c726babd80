/**
 * `npm run bench -- outbox` (DESIGN §8): enqueueing 100 000 rows (target
 * ≤ 1.2 × plain SQLite inserts of the same rows); flushing 10 000 small
 * uploads to the File 360 sandbox, each in one request (CONTRACTS §A.7 step 5;
 * targets ≥ 1 000 per second and ≤ 1.2 × the time of a bare request loop
 * sending the same 10 000 single requests without a database). Medians of
 * BENCH_RUNS runs (default 5), alternating.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { startFile360Sandbox } from '../sandbox/file360';
import { bundleNode } from '../scripts/bundle';
import { signIn } from '../test/support/sandbox-oauth';
import { summariseProfile } from './support/profile';
import { median, table, writeResult } from './support/report';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const ASSIGNMENT = 'asg-support-triage';
const APP_BUNDLE = path.resolve('test-results', 'bench', 'outbox-app.mjs');

function runApp(args: object, profileDir?: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const child = spawn(process.execPath, [...flags, APP_BUNDLE, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, number>) : reject(new Error(`outbox app exited ${code}`))));
  });
}

await bundleNode('bench/outbox-app.ts', APP_BUNDLE, 'esm');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'companion-bench-outbox-'));
const sb = await startFile360Sandbox({ dataDir: path.join(work, 'sandbox'), accessTokenTtlSeconds: 24 * 3600 });
const token = (await signIn(sb, 'ana')).access_token;
const common = { server: sb.url, tenant: sb.tenant, token, assignmentId: ASSIGNMENT, concurrency: CONCURRENCY };

const enqueueApp: number[] = [];
const enqueuePlain: number[] = [];
const flushRate: number[] = [];
const baselineRate: number[] = [];
for (let run = 1; run <= runs; run += 1) {
  const enqueued = await runApp({ ...common, mode: 'enqueue', dataDir: path.join(work, `enqueue-${run}`), count: ROWS });
  enqueueApp.push(enqueued.appMs ?? NaN);
  enqueuePlain.push(enqueued.baselineMs ?? NaN);

  const baseline = await runApp({ ...common, mode: 'baseline', dataDir: path.join(work, `baseline-${run}`), count: UPLOADS });
  baselineRate.push(UPLOADS / ((baseline.ms ?? NaN) / 1000));
  const flushed = await runApp({ ...common, mode: 'flush', dataDir: path.join(work, `flush-${run}`), count: UPLOADS });
  if (flushed.sent !== UPLOADS || flushed.failed !== 0) throw new Error(`the outbox did not send everything: ${JSON.stringify(flushed)}`);
  flushRate.push(UPLOADS / ((flushed.ms ?? NaN) / 1000));
  process.stdout.write(
    `run ${run}: enqueue ${ROWS.toLocaleString()} rows ${Math.round(enqueued.appMs ?? 0)} ms (plain inserts ${Math.round(enqueued.baselineMs ?? 0)} ms); ` +
      `flush ${Math.round(flushRate.at(-1) ?? 0)}/s (bare loop ${Math.round(baselineRate.at(-1) ?? 0)}/s)\n`,
  );
}
// One more enqueue and flush under the V8 profiler (the app's process, and this one, which serves File 360): where the time goes.
const profileDir = path.join(work, 'profile');
await runApp({ ...common, mode: 'enqueue', dataDir: path.join(work, 'enqueue-profiled'), count: ROWS }, path.join(profileDir, 'enqueue'));
const inspector = new Session();
inspector.connect();
await inspector.post('Profiler.enable');
await inspector.post('Profiler.start');
await runApp({ ...common, mode: 'flush', dataDir: path.join(work, 'flush-profiled'), count: UPLOADS }, path.join(profileDir, 'flush'));
const { profile: sandboxProfile } = await inspector.post('Profiler.stop');
inspector.disconnect();
fs.mkdirSync(path.join(profileDir, 'sandbox'), { recursive: true });
fs.writeFileSync(path.join(profileDir, 'sandbox', 'sandbox.cpuprofile'), JSON.stringify(sandboxProfile));
const profiles = Object.fromEntries(
  (['enqueue', 'flush', 'sandbox'] as const).map((name) => {
    const dir = path.join(profileDir, name);
    const file = fs.readdirSync(dir).find((entry) => entry.endsWith('.cpuprofile'));
    if (!file) return [name, null];
    fs.copyFileSync(path.join(dir, file), path.resolve('test-results', 'bench', `outbox-${name}.cpuprofile`));
    return [name, summariseProfile(path.join(dir, file))];
  }),
);
await sb.close();
fs.rmSync(work, { recursive: true, force: true });

const flushTime = 1 / median(flushRate);
const bareTime = 1 / median(baselineRate);
const result = {
  runs,
  rows: ROWS,
  uploads: UPLOADS,
  concurrency: CONCURRENCY,
  enqueueMedianMs: median(enqueueApp),
  enqueuePlainMedianMs: median(enqueuePlain),
  enqueueRatio: median(enqueueApp) / median(enqueuePlain),
  flushMedianPerSecond: median(flushRate),
  bareLoopMedianPerSecond: median(baselineRate),
  /** The app's time for the flush over the bare loop's: ≤ 1.2 is the target. */
  flushTimeRatio: flushTime / bareTime,
  targets: { enqueueRatio: 1.2, flushPerSecond: 1000, flushTimeRatio: 1.2 },
  profiles,
};
const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
process.stdout.write(
  table([
    ['workload', 'app (median)', 'baseline (median)', 'ratio', 'target', 'met'],
    [`enqueue ${ROWS.toLocaleString()} rows`, `${Math.round(result.enqueueMedianMs)} ms`, `${Math.round(result.enqueuePlainMedianMs)} ms (plain INSERT)`, result.enqueueRatio.toFixed(2), '≤ 1.2 ×', yes(result.enqueueRatio <= 1.2)],
    [`flush ${UPLOADS.toLocaleString()} uploads (one request each)`, `${Math.round(result.flushMedianPerSecond)}/s`, '', '', '≥ 1000/s', yes(result.flushMedianPerSecond >= 1000)],
    ['  time against a bare request loop', `${(UPLOADS * flushTime).toFixed(2)} s`, `${(UPLOADS * bareTime).toFixed(2)} s (${Math.round(result.bareLoopMedianPerSecond)}/s)`, result.flushTimeRatio.toFixed(2), '≤ 1.2 ×', yes(result.flushTimeRatio <= 1.2)],
  ]),
);
const titles = { enqueue: `the app enqueueing ${ROWS.toLocaleString()} rows`, flush: `the app flushing ${UPLOADS.toLocaleString()} uploads`, sandbox: 'the File 360 sandbox during that flush' };
for (const [name, profile] of Object.entries(profiles)) {
  if (!profile) continue;
  process.stdout.write(`Where the time of ${titles[name as keyof typeof titles]} goes (one profiled run, ${profile.totalMs.toFixed(0)} ms of samples):\n`);
  process.stdout.write(table([['share', 'ms', 'what'], ...profile.groups.slice(0, 10).map((group) => [`${(group.share * 100).toFixed(1)} %`, group.ms.toFixed(0), group.name])]));
  process.stdout.write(table([['self ms', 'function'], ...profile.top.map((entry) => [entry.ms.toFixed(0), entry.name])]));
}
writeResult('outbox', result);

/**
 * `npm run bench -- outbox` (DESIGN §8): enqueueing 100 000 rows (target ≤ 1 s)
 * against plain SQLite inserts of the same rows; flushing 10 000 small uploads
 * to the File 360 sandbox (target ≥ 1 000 per second) against a bare request
 * loop sending the same 30 000 requests without a database. Medians of
 * BENCH_RUNS runs (default 5), alternating.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFile360Sandbox } from '../sandbox/file360';
import { bundleNode } from '../scripts/bundle';
import { signIn } from '../test/support/sandbox-oauth';
import { median, table, writeResult } from './support/report';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const ASSIGNMENT = 'asg-support-triage';
const APP_BUNDLE = path.resolve('test-results', 'bench', 'outbox-app.mjs');

function runApp(args: object): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [APP_BUNDLE, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
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

  const baseline = await runApp({ ...common, mode: 'baseline', dataDir: `baseline-${run}`, count: UPLOADS });
  baselineRate.push(UPLOADS / ((baseline.ms ?? NaN) / 1000));
  const flushed = await runApp({ ...common, mode: 'flush', dataDir: path.join(work, `flush-${run}`), count: UPLOADS });
  if (flushed.sent !== UPLOADS || flushed.failed !== 0) throw new Error(`the outbox did not send everything: ${JSON.stringify(flushed)}`);
  flushRate.push(UPLOADS / ((flushed.ms ?? NaN) / 1000));
  process.stdout.write(
    `run ${run}: enqueue ${ROWS.toLocaleString()} rows ${Math.round(enqueued.appMs ?? 0)} ms (plain inserts ${Math.round(enqueued.baselineMs ?? 0)} ms); ` +
      `flush ${Math.round(flushRate.at(-1) ?? 0)}/s (bare loop ${Math.round(baselineRate.at(-1) ?? 0)}/s)\n`,
  );
}
await sb.close();
fs.rmSync(work, { recursive: true, force: true });

const result = {
  runs,
  rows: ROWS,
  uploads: UPLOADS,
  concurrency: CONCURRENCY,
  enqueueMedianMs: median(enqueueApp),
  enqueuePlainMedianMs: median(enqueuePlain),
  enqueueRatio: median(enqueueApp) / median(enqueuePlain),
  enqueueTargetMs: 1000,
  flushMedianPerSecond: median(flushRate),
  bareLoopMedianPerSecond: median(baselineRate),
  flushRatio: median(flushRate) / median(baselineRate),
  flushTargetPerSecond: 1000,
};
process.stdout.write(
  table([
    ['workload', 'app (median)', 'baseline (median)', 'ratio', 'target'],
    [`enqueue ${ROWS.toLocaleString()} rows`, `${Math.round(result.enqueueMedianMs)} ms`, `${Math.round(result.enqueuePlainMedianMs)} ms (plain INSERT)`, result.enqueueRatio.toFixed(2), '≤ 1000 ms'],
    [`flush ${UPLOADS.toLocaleString()} uploads`, `${Math.round(result.flushMedianPerSecond)}/s`, `${Math.round(result.bareLoopMedianPerSecond)}/s (bare request loop)`, result.flushRatio.toFixed(2), '≥ 1000/s'],
  ]),
);
writeResult('outbox', result);

/**
 * `npm run bench -- renderer` (DESIGN §8): how long the file list of a
 * 100 000-file assignment takes to show its first rows, in Chromium through the
 * browser shell, against a 100-file assignment in the same run; and how many
 * rows the page holds (virtualised: bounded, whatever the count).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { createCompanion } from '../electron/core/companion';
import { resolveConfig } from '../electron/core/kernel/config/config';
import { createLogger } from '../electron/core/kernel/platform/logger';
import { systemClock } from '../electron/core/kernel/ports';
import { startHostServer } from '../electron/host/server';
import { testPorts } from '../test/support/ports';
import { seedFiles } from '../test/support/seed-files';
import { median, table, writeResult } from './support/report';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const BIG = 100_000;
const SMALL = 100;

if (!fs.existsSync('dist/renderer/index.html')) {
  process.stderr.write('dist/renderer is missing: run `npm run build` first.\n');
  process.exit(2);
}
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'companion-bench-renderer-'));
const companion = await createCompanion(
  resolveConfig({ argv: ['--data-dir', dataDir, '--server', 'https://file360.example.com', '--tenant', 'acme'], env: {}, platform: process.platform, homedir: os.homedir(), version: 'bench', shell: 'browser' }),
  testPorts({ clock: systemClock, logger: createLogger({ sinks: [] }) }),
);
seedFiles(dataDir, 'asg-big', BIG);
seedFiles(dataDir, 'asg-small', SMALL);
const server = await startHostServer({ router: companion.router, events: companion.events, rendererDir: path.resolve('dist/renderer'), logger: createLogger({ sinks: [] }) });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(server.url);
await page.getByRole('heading', { name: 'Assignments', exact: true }).waitFor();

/**
 * Runs in the page, from the route change to the frame after the first file row
 * holds its path. A plain string: tsx wraps named functions in a helper the page lacks.
 */
const MEASURE = `(target) => new Promise((resolve) => {
  const start = performance.now();
  window.location.hash = '#/assignments/' + target;
  const check = () => {
    const first = document.querySelector('[data-testid="file-row"] .file-path');
    if (first && first.textContent.startsWith('scans/')) {
      requestAnimationFrame(() => resolve({ ms: performance.now() - start, rows: document.querySelectorAll('[data-testid="file-row"]').length }));
    } else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})`;

async function firstPaint(id: string): Promise<{ ms: number; rows: number }> {
  await page.evaluate(() => (window.location.hash = '#/assignments'));
  await page.getByRole('heading', { name: 'Assignments', exact: true }).waitFor();
  return page.evaluate(`(${MEASURE})(${JSON.stringify(id)})`) as Promise<{ ms: number; rows: number }>;
}

const big: number[] = [];
const small: number[] = [];
let domRows = 0;
await firstPaint('asg-big'); // warm-up: the bundle's first run compiles
for (let run = 0; run < RUNS; run += 1) {
  const a = await firstPaint('asg-big');
  big.push(a.ms);
  domRows = Math.max(domRows, a.rows);
  small.push((await firstPaint('asg-small')).ms);
}
await browser.close();
await server.close();
await companion.close();
fs.rmSync(dataDir, { recursive: true, force: true });

const ratio = median(big) / median(small);
process.stdout.write(
  table([
    ['measure', 'median', 'target', 'met'],
    [`first paint, ${BIG.toLocaleString('en')} files`, `${median(big).toFixed(0)} ms`, '≤ 300 ms', median(big) <= 300 ? 'yes' : 'NO'],
    [`first paint, ${SMALL} files (baseline)`, `${median(small).toFixed(0)} ms`, '', ''],
    ['ratio 100 000 / 100', ratio.toFixed(2), '', ''],
    ['file rows in the page (most seen)', String(domRows), 'bounded', domRows < 100 ? 'yes' : 'NO'],
  ]),
);
writeResult('renderer', { runs: RUNS, bigMs: big, smallMs: small, medians: { big: median(big), small: median(small) }, ratio, domRows, targets: { firstPaintMs: 300 } });

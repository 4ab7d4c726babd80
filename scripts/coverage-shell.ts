/**
 * `npm run coverage:shell`: line coverage of the Electron shell (electron/*.ts,
 * not the core) from the tests that execute it (vitest.shell.config.ts).
 *
 * The shell runs as the bundle the app ships (dist/electron/main.cjs and
 * preload.cjs), so what counts is V8's own coverage of those files
 * (NODE_V8_COVERAGE), mapped back to electron/*.ts through their source maps
 * by c8 (v8-to-istanbul). The bundle also holds the core, shared code and
 * dependencies; only the shell's own files are reported here, with
 * istanbul's text reporter. Fails below 90 % of shell lines.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import libCoverage, { type CoverageMapData } from 'istanbul-lib-coverage';
import libReport from 'istanbul-lib-report';
import reports from 'istanbul-reports';

const TARGET = 90;
const out = path.resolve('test-results/coverage-shell');
const raw = path.join(out, 'v8');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(raw, { recursive: true });

const run = (args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync('npx', args, { stdio: 'inherit', env });

const tests = run(['tsx', 'scripts/test.ts', '--config', 'vitest.shell.config.ts'], { ...process.env, NODE_V8_COVERAGE: raw, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' });
if (tests.status !== 0) process.exit(tests.status ?? 1);

// Every source the bundles map to; c8's own after-remap filter loses the uncovered ranges, so the shell's files are picked below.
const c8 = run(['c8', 'report', '--temp-directory', raw, '--reports-dir', out, '--reporter', 'json', '--include', 'dist/electron/*.cjs']);
if (c8.status !== 0) process.exit(c8.status ?? 1);

const all = JSON.parse(fs.readFileSync(path.join(out, 'coverage-final.json'), 'utf8')) as CoverageMapData;
const shellDir = path.resolve('electron');
const shell = Object.fromEntries(Object.entries(all).filter(([file]) => path.dirname(file) === shellDir && file.endsWith('.ts')));
const map = libCoverage.createCoverageMap(shell);
const context = libReport.createContext({ dir: out, coverageMap: map, defaultSummarizer: 'flat' });
reports.create('text').execute(context);
reports.create('json-summary').execute(context);

const lines = map.getCoverageSummary().lines;
process.stdout.write(`Shell lines executed: ${lines.covered} of ${lines.total} (${lines.pct} %); target ${TARGET} %.\n`);
if (Object.keys(shell).length === 0 || lines.pct < TARGET) process.exit(1);

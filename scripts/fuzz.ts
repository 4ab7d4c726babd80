/**
 * `npm run fuzz [-- RUNS]`: the fuzz targets of `npm test`, each with RUNS
 * inputs (default 5000) instead of the few dozen to few hundred the suite
 * gives them. FUZZ_SEED=<n> replays a run. Counts land in test-results/fuzz/.
 */
import { spawn } from 'node:child_process';

const runs = process.argv[2] ?? process.env.FUZZ_RUNS ?? '5000';
const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/test.ts', 'test/unit/untrusted-parsers.fuzz.test.ts', 'test/integration/local-servers-fuzz.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs },
});
child.on('exit', (code) => process.exit(code ?? 1));

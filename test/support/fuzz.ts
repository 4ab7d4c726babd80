import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';

/**
 * Runs for each property in `npm test` (bounded, so CI stays fast) and, with
 * FUZZ_RUNS set, as many as asked (`npm run fuzz`). FUZZ_SEED replays a run.
 */
export function fuzzRuns(base: number): number {
  const asked = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(asked) && asked > 0 ? Math.max(asked, base) : base;
}

export const FUZZ_REPORT_DIR = path.resolve('test-results', 'fuzz');

/** Checks a property with fast-check and writes how many inputs ran and what it found to test-results/fuzz/<target>.json. */
export async function fuzz<T>(target: string, arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<boolean | void> | boolean | void, runs: number): Promise<void> {
  const seed = Number(process.env.FUZZ_SEED) || undefined;
  const started = Date.now();
  const details = await fc.check(fc.asyncProperty(arbitrary, async (value) => (await check(value)) !== false), { numRuns: fuzzRuns(runs), seed, endOnFailure: true });
  fs.mkdirSync(FUZZ_REPORT_DIR, { recursive: true });
  const report = {
    target,
    inputs: details.numRuns,
    seed: details.seed,
    ms: Date.now() - started,
    failed: details.failed,
    counterexample: details.failed ? fc.stringify(details.counterexample).slice(0, 2000) : null,
    error: details.failed ? String(details.errorInstance) : null,
  };
  fs.writeFileSync(path.join(FUZZ_REPORT_DIR, `${target}.json`), `${JSON.stringify(report, null, 2)}\n`);
  if (details.failed) throw new Error(`fuzz target ${target} failed after ${details.numRuns} inputs (seed ${details.seed}) on ${report.counterexample?.slice(0, 300)}: ${report.error?.slice(0, 300)}`);
}

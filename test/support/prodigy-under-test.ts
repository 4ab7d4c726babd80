/**
 * Which Prodigy the contract tests (test/contract/) run against. `npm test`
 * runs them against the stand-in (sandbox/prodigy on PYTHONPATH, the app's
 * default command); `npm run test:prodigy` sets COMPANION_PRODIGY_COMMAND to a
 * licensed Prodigy (for example `/opt/prodigy-venv/bin/python -m prodigy`) and
 * runs the same tests against it.
 */
import path from 'node:path';
import type { Started } from './companion';

const real = process.env.COMPANION_PRODIGY_COMMAND?.trim() || null;

export const PRODIGY_UNDER_TEST = {
  /** True when a real Prodigy is under test. */
  real: real !== null,
  command: real ?? 'python3 -m prodigy',
  /** What the app's Prodigy inherits: the stand-in importable as `prodigy`, unless a real one is under test. */
  env: real ? { ...process.env } : { ...process.env, PYTHONPATH: path.resolve('sandbox') },
  /** Where `npm run test:prodigy` keeps what the real Prodigy printed; null otherwise. */
  fixtures: process.env.COMPANION_PRODIGY_FIXTURES?.trim() || null,
};

/** Points a started app at the Prodigy under test (the default command needs no change). */
export async function useProdigyUnderTest(app: Started): Promise<void> {
  if (PRODIGY_UNDER_TEST.real) await app.call('settings.update', { values: { prodigyCommand: PRODIGY_UNDER_TEST.command } });
}

/**
 * `npm run test:prodigy`: the contract tests (test/contract/) against a
 * licensed Prodigy, named by COMPANION_PRODIGY_COMMAND (for example
 * `/opt/prodigy-venv/bin/python -m prodigy`). Skipped, with a word on how to
 * run it, when that is not set: Prodigy cannot be installed without a licence.
 *
 * It also keeps what the real Prodigy printed, and what the stand-in prints
 * for the same commands, side by side in test/fixtures/prodigy-real/<version>/,
 * so the stand-in can be compared with the real thing (`diff -r`).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const command = process.env.COMPANION_PRODIGY_COMMAND?.trim();
if (!command) {
  console.log(
    [
      'test:prodigy skipped: COMPANION_PRODIGY_COMMAND is not set.',
      'It runs the session, export and import tests against a licensed Prodigy. Point it at yours, for example:',
      '  COMPANION_PRODIGY_COMMAND="$HOME/prodigy-venv/bin/python -m prodigy" npm run test:prodigy',
    ].join('\n'),
  );
  process.exit(0);
}

const fixtures = path.resolve(process.env.COMPANION_PRODIGY_FIXTURES ?? 'test/fixtures/prodigy-real');
const runTests = (files: string[], env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/test.ts', ...files], { stdio: 'inherit', env }).status ?? 1;

console.log(`test:prodigy: the contract tests against ${command}; captured output goes to ${path.relative(process.cwd(), fixtures)}/<version>/`);
const real = runTests(['test/contract'], { ...process.env, COMPANION_PRODIGY_COMMAND: command, COMPANION_PRODIGY_FIXTURES: fixtures });

// The stand-in's output for the same commands, beside the real one's.
const { COMPANION_PRODIGY_COMMAND: _real, ...withoutReal } = process.env;
const standIn = runTests(['test/contract/prodigy-output.test.ts'], { ...withoutReal, COMPANION_PRODIGY_FIXTURES: fixtures });
console.log(`Compare the two: diff -r ${path.relative(process.cwd(), fixtures)}/<real version> ${path.relative(process.cwd(), fixtures)}/1.18.4-sandbox`);
process.exit(real || standIn);

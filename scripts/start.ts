/**
 * `npm start`: the Electron app where its binary exists, otherwise the same app
 * in the browser shell, with one line saying why.
 */
import { spawn } from 'node:child_process';
import { findElectronBinary } from './electron-binary';

const args = process.argv.slice(2);
/** An Electron that dies this quickly never showed a window (no display, missing libraries). */
const QUICK_FAILURE_MS = 5000;

async function runBrowserShell(reason: string): Promise<void> {
  process.stdout.write(`${reason} Opening Annotator Companion in your browser instead.\n`);
  // @ts-expect-error -- the bundle is built by scripts/build.ts and has no type declarations.
  await import('../dist/host/main.mjs');
}

const binary = process.env.COMPANION_SHELL === 'browser' ? null : findElectronBinary();
if (!binary) {
  await runBrowserShell(
    process.env.COMPANION_SHELL === 'browser'
      ? 'COMPANION_SHELL=browser is set.'
      : 'No Electron binary is installed on this machine (node_modules/electron has no dist/ and it could not be downloaded).',
  );
} else {
  const started = Date.now();
  const child = spawn(binary, ['dist/electron/main.cjs', ...args], { stdio: 'inherit' });
  child.on('error', (error) => void runBrowserShell(`Electron could not be started (${error.message}).`));
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal === null && Date.now() - started < QUICK_FAILURE_MS) {
      void runBrowserShell(`Electron exited straight away (code ${code}).`);
      return;
    }
    process.exit(code ?? 0);
  });
}

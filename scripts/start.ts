/**
 * `npm start`: the Electron app where its binary exists, otherwise the same app
 * in the browser shell, with one line saying why. With no File 360 server
 * configured it opens a sandbox workspace: the local stand-in, with sample data.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import pkg from '../package.json';
import { ConfigError, resolveConfig } from '../electron/core/kernel/config/config';
import { findElectronBinary } from './electron-binary';
import { noServerConfigured, startSandboxWorkspace } from './sandbox-workspace';

const userArgs = process.argv.slice(2);
/** An Electron that dies this quickly never showed a window (no display, missing libraries). */
const QUICK_FAILURE_MS = 5000;

let config;
try {
  config = resolveConfig({ argv: userArgs, env: process.env, platform: process.platform, homedir: os.homedir(), version: pkg.version, shell: 'browser' });
} catch (error) {
  process.stderr.write(`Annotator Companion could not start: ${(error as ConfigError).message}\n`);
  process.exit(2);
}

let args = userArgs;
let closeSandbox = async () => undefined as unknown;
if (noServerConfigured(config)) {
  const workspace = await startSandboxWorkspace(config);
  args = [...userArgs.filter((arg, i) => arg !== '--data-dir' && userArgs[i - 1] !== '--data-dir' && !arg.startsWith('--data-dir=')), ...workspace.args];
  closeSandbox = () => workspace.sandbox.close();
  Object.assign(process.env, workspace.env);
  // The people the sign-in page names: Maria, the manager, is there to share the sample assignments.
  const users = workspace.sandbox.users
    .filter((user) => user.roles.includes('annotator') || user.roles.includes('reviewer'))
    .map((user) => `${user.username} / ${user.password} (${user.roles.join(', ')})`).join(' or ');
  process.stdout.write(
    `No File 360 server is set, so this is a sandbox workspace: a File 360 stand-in at ${workspace.sandbox.url} with sample assignments, and a Prodigy stand-in.\n` +
      `Sign in as ${users}. For a real server: npm start -- --server https://… --tenant …\n`,
  );
}

async function runBrowserShell(reason: string): Promise<void> {
  process.stdout.write(`${reason} Opening Annotator Companion in your browser instead.\n`);
  process.argv = [process.argv[0] ?? 'node', 'browser-shell', ...args];
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
  // The project folder, not the bundle: Electron then reads package.json (the app's name and version, which electron-updater compares) and its `main`.
  const child = spawn(binary, ['.', ...args], { stdio: 'inherit' });
  child.on('error', (error) => void runBrowserShell(`Electron could not be started (${error.message}).`));
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal === null && Date.now() - started < QUICK_FAILURE_MS) {
      void runBrowserShell(`Electron exited straight away (code ${code}).`);
      return;
    }
    void closeSandbox().finally(() => process.exit(code ?? 0));
  });
}

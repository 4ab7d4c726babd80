/**
 * `npm test`'s last step: Vitest, inside a private D-Bus session with an
 * unlocked throwaway gnome-keyring where one can be started, so the keychain
 * tests talk to a real Secret Service without touching the user's own keyring.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const vitest = path.resolve('node_modules/.bin/vitest');
const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

const privateKeyring =
  process.platform === 'linux' && !process.env.COMPANION_TEST_OWN_KEYRING && has('dbus-run-session') && has('gnome-keyring-daemon');

let child;
if (privateKeyring) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'companion-keyring-'));
  fs.mkdirSync(path.join(home, 'run'), { mode: 0o700 });
  // The daemon gets a throwaway HOME; the tests keep the real one.
  const script = `
    HOME="$KEYRING_HOME" XDG_DATA_HOME="$KEYRING_HOME/data" XDG_RUNTIME_DIR="$KEYRING_HOME/run" \\
      sh -c 'printf throwaway | gnome-keyring-daemon --unlock --components=secrets' >/dev/null
    exec "$VITEST" run "$@"
  `;
  child = spawn('dbus-run-session', ['--', 'sh', '-c', script, 'sh', ...args], {
    stdio: ['inherit', 'inherit', 'pipe'],
    env: { ...process.env, KEYRING_HOME: home, VITEST: vitest, COMPANION_TEST_KEYRING: 'private' },
  });
  // dbus-daemon complains it cannot raise its fd limit when not root; that is noise, not a failure.
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString().split('\n').filter((line) => !/fd limit|dbus-daemon\[\d+\]/.test(line)).join('\n');
    if (text.trim()) process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  });
  child.on('exit', () => fs.rmSync(home, { recursive: true, force: true }));
} else {
  child = spawn(vitest, ['run', ...args], { stdio: 'inherit' });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

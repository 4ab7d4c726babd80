/**
 * A private D-Bus session with an unlocked, throwaway gnome-keyring: the real
 * Secret Service, without touching the user's own keyring. `npm test` runs
 * Vitest inside one; the year benchmark runs the real browser shell inside one,
 * so it starts signed in as a user's app does.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/** Whether this machine can start one (Linux with dbus-run-session and gnome-keyring-daemon). */
export function privateKeyringAvailable(): boolean {
  return process.platform === 'linux' && has('dbus-run-session') && has('gnome-keyring-daemon');
}

/**
 * Runs `command args` inside a private session; `COMPANION_TEST_KEYRING=private`
 * tells it where it is. The keyring's own files live in a temp folder removed when it exits.
 */
export function spawnInPrivateKeyring(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'companion-keyring-'));
  fs.mkdirSync(path.join(home, 'run'), { mode: 0o700 });
  // The daemon gets a throwaway HOME; the command keeps the real one.
  const script = `
    HOME="$KEYRING_HOME" XDG_DATA_HOME="$KEYRING_HOME/data" XDG_RUNTIME_DIR="$KEYRING_HOME/run" \\
      sh -c 'printf throwaway | gnome-keyring-daemon --unlock --components=secrets' >/dev/null
    exec "$KEYRING_COMMAND" "$@"
  `;
  const child = spawn('dbus-run-session', ['--', 'sh', '-c', script, 'sh', ...args], {
    stdio: ['inherit', 'inherit', 'pipe'],
    env: { ...env, KEYRING_HOME: home, KEYRING_COMMAND: command, COMPANION_TEST_KEYRING: 'private' },
  });
  // dbus-daemon complains it cannot raise its fd limit when not root; that is noise, not a failure.
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString().split('\n').filter((line) => !/fd limit|dbus-daemon\[\d+\]/.test(line)).join('\n');
    if (text.trim()) process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  });
  child.on('exit', () => fs.rmSync(home, { recursive: true, force: true }));
  return child;
}

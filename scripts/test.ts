/**
 * `npm test`'s last step: Vitest, inside a private D-Bus session with an
 * unlocked throwaway gnome-keyring where one can be started, so the keychain
 * tests talk to a real Secret Service without touching the user's own keyring.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { privateKeyringAvailable, spawnInPrivateKeyring } from './keyring-session';

const args = process.argv.slice(2);
const vitest = path.resolve('node_modules/.bin/vitest');

const child =
  privateKeyringAvailable() && !process.env.COMPANION_TEST_OWN_KEYRING
    ? spawnInPrivateKeyring(vitest, ['run', ...args])
    : spawn(vitest, ['run', ...args], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

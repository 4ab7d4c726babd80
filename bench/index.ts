/** `npm run bench -- <name> [args]`: runs bench/<name>.ts. */
import path from 'node:path';
import { privateKeyringAvailable, spawnInPrivateKeyring } from '../scripts/keyring-session';

const BENCHES = ['sync', 'renderer', 'disputes', 'outbox', 'year', 'wipe'] as const;
/** These start the real shell signed in from the keychain: inside a private keyring, as npm test runs. */
const NEEDS_KEYRING = new Set(['year']);
const name = process.argv[2];
if (!name || !(BENCHES as readonly string[]).includes(name)) {
  process.stderr.write(`Usage: npm run bench -- <${BENCHES.join('|')}>\n`);
  process.exit(2);
}
if (NEEDS_KEYRING.has(name) && process.env.COMPANION_TEST_KEYRING !== 'private' && privateKeyringAvailable()) {
  const child = spawnInPrivateKeyring(path.resolve('node_modules/.bin/tsx'), ['bench/index.ts', ...process.argv.slice(2)]);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await import(`./${name}.ts`);
}
export {};

/** Bundles the Electron main and preload, the browser shell, and the renderer into dist/. */
import fs from 'node:fs';
import { build, type BuildOptions } from 'esbuild';
import { build as viteBuild } from 'vite';

const NATIVE = ['electron', 'better-sqlite3', '@napi-rs/keyring'];

const node: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  external: NATIVE,
  logLevel: 'warning',
  legalComments: 'none',
};

fs.rmSync('dist', { recursive: true, force: true });

await Promise.all([
  build({ ...node, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs', format: 'cjs' }),
  // Sandboxed preloads get no Node: one CommonJS file whose only require is 'electron'.
  build({
    ...node,
    platform: 'browser',
    target: 'chrome130',
    entryPoints: ['electron/preload.ts'],
    outfile: 'dist/electron/preload.cjs',
    format: 'cjs',
    external: ['electron'],
  }),
  build({
    ...node,
    entryPoints: ['electron/host/main.ts'],
    outfile: 'dist/host/main.mjs',
    format: 'esm',
    // Bundled CommonJS dependencies (ws) still call require for Node built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  }),
]);

await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
fs.cpSync('assets', 'dist/assets', { recursive: true });
process.stdout.write('Built dist/ (electron, host, renderer).\n');

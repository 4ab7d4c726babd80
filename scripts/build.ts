/** Bundles the Electron main and preload, the browser shell, and the renderer into dist/. */
import fs from 'node:fs';
import { build as viteBuild } from 'vite';
import { bundleNode, bundlePreload } from './bundle';

fs.rmSync('dist', { recursive: true, force: true });

await Promise.all([
  bundleNode('electron/main.ts', 'dist/electron/main.cjs', 'cjs'),
  bundlePreload('electron/preload.ts', 'dist/electron/preload.cjs'),
  bundleNode('electron/host/main.ts', 'dist/host/main.mjs', 'esm'),
]);

await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
fs.cpSync('assets', 'dist/assets', { recursive: true });
process.stdout.write('Built dist/ (electron, host, renderer).\n');

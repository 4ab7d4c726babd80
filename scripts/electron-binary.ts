import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

/** The platform's executable name inside electron/dist when `path.txt` is absent. */
function defaultExecutable(): string {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (process.platform === 'win32') return 'electron.exe';
  return 'electron';
}

/**
 * Where the Electron binary is, or null — found by looking at files only.
 * `require('electron')` would try to download it (Electron ≥ 42), so it is never called.
 */
export function findElectronBinary(root: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string | null {
  const explicit = env.COMPANION_ELECTRON_BINARY;
  if (explicit) return fs.existsSync(explicit) ? explicit : null;
  let packageDir: string;
  try {
    packageDir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
  let executable = defaultExecutable();
  try {
    executable = fs.readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim() || executable;
  } catch {
    // No path.txt: the binary was never installed, unless an override dist says otherwise.
  }
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(packageDir, 'dist');
  const binary = path.join(dist, executable);
  return fs.existsSync(binary) ? binary : null;
}

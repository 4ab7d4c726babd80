import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../scripts/electron-binary';
import { tempDir } from '../support/tmp';

function fakeProject(withBinary: boolean): string {
  const root = tempDir();
  const pkg = path.join(root, 'node_modules', 'electron');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), '{"name":"x"}');
  fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"electron","version":"45.0.0","main":"index.js"}');
  // If anything required the package, this would throw instead of downloading.
  fs.writeFileSync(path.join(pkg, 'index.js'), "throw new Error('required electron');");
  if (withBinary) {
    fs.writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    fs.mkdirSync(path.join(pkg, 'dist'));
    fs.writeFileSync(path.join(pkg, 'dist', 'electron'), '');
  }
  return root;
}

describe('finding the Electron binary (npm start and the Electron e2e test)', () => {
  it('finds it where the package has one', () => {
    const root = fakeProject(true);
    expect(findElectronBinary(root, {})).toBe(path.join(root, 'node_modules', 'electron', 'dist', 'electron'));
  });

  it('reports none, by looking at files only, where the binary was never downloaded', () => {
    const root = fakeProject(false);
    expect(findElectronBinary(root, {})).toBeNull();
    expect(fs.readdirSync(path.join(root, 'node_modules', 'electron')).sort()).toEqual(['index.js', 'package.json']);
  });

  it('honours an explicit binary and Electron’s own dist override', () => {
    const root = fakeProject(false);
    const elsewhere = path.join(tempDir(), 'electron');
    fs.writeFileSync(elsewhere, '');
    expect(findElectronBinary(root, { COMPANION_ELECTRON_BINARY: elsewhere })).toBe(elsewhere);
    expect(findElectronBinary(root, { COMPANION_ELECTRON_BINARY: '/nope/electron' })).toBeNull();
    expect(findElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: path.dirname(elsewhere) })).toBe(elsewhere);
  });

  it('reports none where electron is not installed at all', () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'package.json'), '{"name":"x"}');
    expect(findElectronBinary(root, {})).toBeNull();
  });
});

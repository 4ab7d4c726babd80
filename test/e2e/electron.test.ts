import path from 'node:path';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../scripts/electron-binary';
import { SCREENSHOT_DIR } from '../support/chromium';
import { tempDir } from '../support/tmp';

/**
 * Runs only where an Electron binary exists. It is found by looking at files;
 * `require('electron')` would start a download on Electron ≥ 42, so it is never called.
 */
const binary = findElectronBinary();

describe('the Electron shell', () => {
  it('opens a locked-down window whose page sees only window.companion', async (ctx) => {
    if (!binary) {
      ctx.skip('no Electron binary on this machine (node_modules/electron/dist is empty and cannot be downloaded here); set COMPANION_ELECTRON_BINARY to run it');
      return;
    }
    if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
      ctx.skip('no display: run the tests under xvfb-run to include the Electron shell');
      return;
    }
    const app = await _electron.launch({
      executablePath: binary,
      args: [path.resolve('dist/electron/main.cjs'), '--data-dir', path.join(tempDir(), 'data')],
    });
    try {
      const page = await app.firstWindow();
      await page.getByRole('heading', { level: 1, name: 'Assignments' }).waitFor();
      expect(page.url()).toBe('app://bundle/index.html#/assignments');
      expect(await page.evaluate(() => Object.keys((window as unknown as { companion?: object }).companion ?? {}).sort())).toEqual(['invoke', 'on', 'shell']);
      expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (window as unknown as { process?: unknown }).process)).toBe('undefined');

      await page.evaluate(() => window.location.assign('https://example.com/'));
      await page.waitForTimeout(300);
      expect(page.url().startsWith('app://bundle/')).toBe(true);

      await page.keyboard.press('Control+6');
      await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'electron-audit.png') });
    } finally {
      await app.close();
    }
  });
});

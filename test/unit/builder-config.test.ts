import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Configuration } from 'app-builder-lib';

// electron-builder's own loader (it resolves `extends`) and its own schema validator.
const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, file: string, fromOptions: null): Promise<Configuration>;
  validateConfiguration(config: Configuration, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

async function load(file: string): Promise<Configuration> {
  const config = await getConfig(process.cwd(), file, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

describe('packaging configuration', () => {
  it('passes electron-builder’s own schema and says what DESIGN §9 asks', async () => {
    const config = await load('electron-builder.yml');
    expect(config.asarUnpack).toEqual(['**/*.node']);
    expect(config.npmRebuild).toBe(false);
    expect(config.protocols).toEqual([{ name: 'Annotator Companion', schemes: ['companion'] }]);
    expect(config.publish).toEqual([expect.objectContaining({ provider: 'generic' })]);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac).toMatchObject({ hardenedRuntime: true, notarize: true, target: ['dmg', 'zip'] });
    expect(config.win?.target).toEqual(['nsis']);
  });

  it('has an end-to-end variant that differs only by the inspector fuse and never publishes', async () => {
    const release = await load('electron-builder.yml');
    const e2e = await load('electron-builder.e2e.yml');
    expect(e2e.electronFuses).toEqual({ ...release.electronFuses, enableNodeCliInspectArguments: true });
    expect(e2e.publish).toBeNull();
    expect(e2e.appId).toBe(release.appId);
  });

  it('rejects a misspelt key, so a broken config cannot pass silently', async () => {
    await expect(validateConfiguration({ appId: 'x', asarUnpak: ['**/*.node'] } as Configuration, new DebugLogger(false))).rejects.toThrow(
      /unknown property 'asarUnpak'/,
    );
  });
});

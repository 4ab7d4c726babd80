import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Configuration } from 'app-builder-lib';
import { appUpdateConfig } from '../support/update-feed';

// electron-builder's own loader (it resolves `extends`) and its own schema validator.
const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, file: string, fromOptions: null): Promise<Configuration>;
  validateConfiguration(config: Configuration, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
// The fuses Electron's own tooling knows (what electron-builder flips at package time).
const { FuseV1Options } = require('@electron/fuses') as { FuseV1Options: Record<string, string | number> };
const yaml = require('js-yaml') as { load(text: string): unknown };

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

  it('sets every fuse @electron/fuses defines, so a fuse is never left at Electron’s default by omission', async () => {
    const config = await load('electron-builder.yml');
    const names = Object.keys(FuseV1Options).filter((key) => Number.isNaN(Number(key)));
    expect(Object.keys(config.electronFuses ?? {}).sort()).toEqual(names.map((name) => name[0]?.toLowerCase() + name.slice(1)).sort());
  });

  it('publishes the update feed electron/updater.ts reads, for every channel, and its dev config names the same cache', async () => {
    const config = await load('electron-builder.yml');
    expect(config.publish).toEqual([{ provider: 'generic', url: '${env.COMPANION_UPDATE_URL}/${os}/${arch}' }]);
    // A stable release is also written to beta*.yml, so the beta channel gets stable releases too.
    expect(config.generateUpdatesFilesForAllChannels).toBe(true);
    // What electron-builder puts in resources/app-update.yml: COMPANION_UPDATE_URL/linux/x64, the layout the app asks at run time.
    const packaged = await appUpdateConfig('https://updates.example.org/annotator-companion');
    expect(packaged).toEqual({ provider: 'generic', url: 'https://updates.example.org/annotator-companion/linux/x64', updaterCacheDirName: 'annotator-companion-updater' });
    const dev = yaml.load(fs.readFileSync('dev-app-update.yml', 'utf8')) as Record<string, unknown>;
    expect({ provider: dev.provider, updaterCacheDirName: dev.updaterCacheDirName }).toEqual({ provider: packaged.provider, updaterCacheDirName: packaged.updaterCacheDirName });
  });

  it('rejects a misspelt key, so a broken config cannot pass silently', async () => {
    await expect(validateConfiguration({ appId: 'x', asarUnpak: ['**/*.node'] } as Configuration, new DebugLogger(false))).rejects.toThrow(
      /unknown property 'asarUnpak'/,
    );
  });
});

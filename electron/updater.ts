import fs from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import { autoUpdater } from 'electron-updater';
import { parseUrl } from '../shared/url';
import type { Logger, UpdateOffer, UpdaterPort } from './core/kernel/ports';

/** electron-builder's `${os}` in the `publish` URL (electron-builder.yml): the platform's build configuration key. */
const OS_KEY: Partial<Record<NodeJS.Platform, string>> = { linux: 'linux', darwin: 'mac', win32: 'win' };
/** The file type each updater downloads, to name the file the offer's checksum belongs to. */
const EXTENSION: Partial<Record<NodeJS.Platform, string>> = { darwin: '.zip', win32: '.exe' };

/**
 * `COMPANION_UPDATE_URL` laid out as the release machine publishes it: electron-builder.yml's
 * `publish.url` is `${env.COMPANION_UPDATE_URL}/${os}/${arch}`.
 */
export function feedUrl(base: string, platform: NodeJS.Platform, arch: string): string {
  return `${base.replace(/\/+$/, '')}/${OS_KEY[platform] ?? platform}/${arch}`;
}

/** Why this copy cannot update itself, before electron-updater is asked, or null. */
function offReason(env: NodeJS.ProcessEnv, resourcesPath: string): string | null {
  const base = env.COMPANION_UPDATE_URL;
  if (base) {
    const url = parseUrl(base);
    const loopback = url?.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (!url || (url.protocol !== 'https:' && !loopback)) {
      return `COMPANION_UPDATE_URL is not an https:// address (plain http is only allowed for a server on this computer), so updates are off.`;
    }
  } else if (!app.isPackaged) {
    return 'This is a development build, not a packaged release, so it does not update itself. Set COMPANION_UPDATE_URL to try an update feed.';
  }
  if (process.platform === 'linux') {
    if (env.SNAP) return 'The Snap store updates this copy, not the app.';
    // electron-updater updates an AppImage in place, or a .deb through the package manager (resources/package-type).
    if (!env.APPIMAGE && !fs.existsSync(path.join(resourcesPath, 'package-type'))) {
      return 'Only the AppImage and the .deb package update themselves; this copy was installed another way.';
    }
  }
  return null;
}

export interface ElectronUpdater {
  port: UpdaterPort;
  /** The user chose "Restart to update": once the app has closed, `finishInstall` runs the installer instead of a plain quit. */
  installRequested(): boolean;
  finishInstall(): void;
}

/**
 * electron-updater behind the core's updater port: a generic feed (the packaged
 * app-update.yml from electron-builder.yml's `publish`, or COMPANION_UPDATE_URL),
 * no automatic download, sha512 verification by electron-updater itself.
 */
export function createElectronUpdater({ env, logger, quit }: { env: NodeJS.ProcessEnv; logger: Logger; quit(): void }): ElectronUpdater {
  const off = offReason(env, process.resourcesPath);
  let requested = false;
  if (!off) {
    autoUpdater.logger = {
      info: (message?: unknown) => logger.info(`updater: ${String(message)}`),
      warn: (message?: unknown) => logger.warn(`updater: ${String(message)}`),
      error: (message?: unknown) => logger.warn(`updater: ${String(message)}`),
      debug: (message: string) => logger.debug(`updater: ${message}`),
    };
    // The core decides when to download, and never while offline.
    autoUpdater.autoDownload = false;
    // An unpackaged build reads dev-app-update.yml (the cache folder's name) from the app folder.
    autoUpdater.forceDevUpdateConfig = !app.isPackaged;
    if (env.COMPANION_UPDATE_URL) autoUpdater.setFeedURL({ provider: 'generic', url: feedUrl(env.COMPANION_UPDATE_URL, process.platform, process.arch) });
  }
  const wanted = EXTENSION[process.platform] ?? (env.APPIMAGE ? '.AppImage' : '.deb');

  const port: UpdaterPort = {
    off,
    async check(channel) {
      autoUpdater.channel = channel === 'beta' ? 'beta' : 'latest';
      // Setting a channel allows downgrades; going back from beta to stable waits for a newer stable instead.
      autoUpdater.allowDowngrade = false;
      const result = await autoUpdater.checkForUpdates();
      if (!result?.isUpdateAvailable) return null;
      const info = result.updateInfo;
      const file = info.files.find((candidate) => candidate.url.endsWith(wanted)) ?? info.files[0];
      const offer: UpdateOffer = {
        version: info.version,
        releaseDate: info.releaseDate || null,
        sha512: file?.sha512 ?? info.sha512 ?? '',
        size: file?.size ?? null,
        stagingPercentage: info.stagingPercentage ?? null,
      };
      return offer;
    },
    async download(progress) {
      const listener = (info: { transferred: number; total: number }) => progress(info.transferred, info.total);
      autoUpdater.on('download-progress', listener);
      try {
        await autoUpdater.downloadUpdate();
        return { ok: true };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const checksum = (error as { code?: unknown }).code === 'ERR_CHECKSUM_MISMATCH';
        return { ok: false, reason: checksum ? 'checksum' : 'failed', message };
      } finally {
        autoUpdater.removeListener('download-progress', listener);
      }
    },
    install() {
      requested = true;
      quit();
    },
  };
  return {
    port,
    installRequested: () => requested,
    // Silent, then start the new version: the user asked for a restart, not an installer wizard.
    finishInstall: () => autoUpdater.quitAndInstall(true, true),
  };
}

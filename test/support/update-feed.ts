/**
 * An update feed as the release machine publishes it, made by electron-builder's
 * own code: `appendBlockmap` embeds the block map in the artifact as its AppImage
 * target does, `createUpdateInfoTasks` + `writeUpdateInfoFiles` write
 * latest-linux.yml (and beta/alpha, generateUpdatesFilesForAllChannels), and
 * `getAppUpdatePublishConfiguration` is the app-update.yml it puts in
 * resources/. Only the Electron zip and the AppImage runtime are missing, so the
 * "AppImage" is a small executable script. Served over HTTP on 127.0.0.1 with
 * byte ranges (RFC 9110 §14, multipart/byteranges), as a static file server does.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import rangeParser from 'range-parser';
import { onTestFinished } from 'vitest';
import { tempDir } from './tmp';

const require = createRequire(import.meta.url);

interface Packager {
  validateConfig(): Promise<void>;
  createHelper(platform: unknown): Promise<PlatformPackager>;
  _appInfo: unknown;
}
interface PlatformPackager {
  appInfo: { version: string; updaterCacheDirName: string };
}
const builder = require('app-builder-lib') as {
  Packager: new (options: { projectDir: string; config: Record<string, unknown> }) => Packager;
  Platform: { LINUX: unknown };
  Arch: { x64: number };
};
const { AppInfo } = require('app-builder-lib/out/appInfo') as { AppInfo: new (packager: Packager, buildVersion: null) => unknown };
const updateInfo = require('app-builder-lib/out/publish/updateInfoBuilder') as {
  createUpdateInfoTasks(event: Record<string, unknown>, publishConfigs: unknown[]): Promise<unknown[]>;
  writeUpdateInfoFiles(tasks: unknown[], packager: Packager): Promise<void>;
};
const publish = require('app-builder-lib/out/publish/PublishManager') as {
  getPublishConfigs(packager: PlatformPackager, target: null, arch: number, errorIfCannot: boolean): Promise<unknown[]>;
  getAppUpdatePublishConfiguration(packager: PlatformPackager, target: null, arch: number, errorIfCannot: boolean): Promise<Record<string, unknown>>;
};
const { appendBlockmap } = require('app-builder-lib/out/targets/differentialUpdateInfoBuilder') as {
  appendBlockmap(file: string): Promise<{ size: number; sha512: string; blockMapSize: number }>;
};
const { serializeToYaml } = require('builder-util') as { serializeToYaml(object: unknown, skipInvalid?: boolean, noRefs?: boolean): string };

/**
 * electron-builder's packager for this project at `version`, as the release
 * machine runs it: COMPANION_UPDATE_URL set, so `publish.url` expands.
 */
async function withPackager<T>(version: string, updateUrl: string, run: (packager: Packager, linux: PlatformPackager) => Promise<T>): Promise<T> {
  const saved = process.env.COMPANION_UPDATE_URL;
  process.env.COMPANION_UPDATE_URL = updateUrl;
  try {
    const packager = new builder.Packager({ projectDir: process.cwd(), config: { extends: 'electron-builder.yml', extraMetadata: { version } } });
    await packager.validateConfig();
    // What Packager.build does before it packs (and downloads Electron).
    packager._appInfo = new AppInfo(packager, null);
    return await run(packager, await packager.createHelper(builder.Platform.LINUX));
  } finally {
    if (saved === undefined) delete process.env.COMPANION_UPDATE_URL;
    else process.env.COMPANION_UPDATE_URL = saved;
  }
}

/** What electron-builder writes to resources/app-update.yml for a Linux x64 build published at `updateUrl`. */
export function appUpdateConfig(updateUrl: string): Promise<Record<string, unknown>> {
  return withPackager('0.1.0', updateUrl, (_packager, linux) => publish.getAppUpdatePublishConfiguration(linux, null, builder.Arch.x64, false));
}

/** The "AppImage": a script that says it ran (the installer's restart starts it), padded so a download has progress. */
export function fakeAppImage(version: string, marker: string, bytes = 2 * 1024 * 1024): Buffer {
  const script = Buffer.from(`#!/bin/sh\necho "${version} started" >> "${marker}"\nexit 0\n`);
  return Buffer.concat([script, Buffer.from(`\n# ${'x'.repeat(32)}\n`), randomBytes(bytes)]);
}

/** The AppImage this computer runs (what APPIMAGE names), at 0.1.0, built like a release: the block map embedded. */
export async function installedAppImage(marker: string): Promise<string> {
  const file = path.join(tempDir(), 'Annotator_Companion.AppImage');
  fs.writeFileSync(file, fakeAppImage('0.1.0', marker), { mode: 0o755 });
  await appendBlockmap(file);
  return file;
}

export interface Feed {
  /** COMPANION_UPDATE_URL: the release machine's base; files live under linux/x64/. */
  url: string;
  dir: string;
  /** Every request: path and Range header. */
  requests: Array<{ path: string; range: string | undefined }>;
  /** electron-builder's app-update.yml for a packaged build published to this feed. */
  appUpdateYml(): Promise<string>;
  /** Builds and publishes a release (artifact + channel files) with electron-builder's code; returns the artifact's path. */
  release(version: string, options?: { marker: string; stagingPercentage?: number }): Promise<string>;
  /** Replaces the published artifact's bytes, keeping the yml: what a corrupted mirror or a tampered upload looks like. */
  tamper(version: string): void;
  /** Puts the published artifact back as released. */
  restore(version: string): void;
  /** Serves at most this many bytes a second (0: as fast as it can). */
  throttle(rate: number): void;
  close(): Promise<void>;
}

export async function startFeed(): Promise<Feed> {
  const root = tempDir();
  const dir = path.join(root, 'feed', 'linux', 'x64');
  fs.mkdirSync(dir, { recursive: true });
  const requests: Feed['requests'] = [];
  const originals = new Map<string, Buffer>();
  let bytesPerSecond = 0;
  /** Sends in 64 KiB pieces at the set rate (hotel Wi-Fi), or all at once. */
  const send = (res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders, body: Buffer) => {
    res.writeHead(status, { ...headers, 'Content-Length': body.length });
    if (bytesPerSecond <= 0) {
      res.end(body);
      return;
    }
    const piece = 64 * 1024;
    let offset = 0;
    const next = () => {
      if (res.destroyed) return;
      if (offset >= body.length) {
        res.end();
        return;
      }
      res.write(body.subarray(offset, offset + piece));
      offset += piece;
      setTimeout(next, (piece / bytesPerSecond) * 1000);
    };
    next();
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: url.pathname, range: req.headers.range });
    const file = path.join(root, ...url.pathname.split('/').filter((part) => part && part !== '..'));
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    const body = fs.readFileSync(file);
    const type = file.endsWith('.yml') ? 'text/yaml' : 'application/octet-stream';
    const ranges = req.headers.range ? rangeParser(body.length, req.headers.range, { combine: false }) : -2;
    if (ranges === -1) {
      res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
      return;
    }
    if (ranges === -2 || ranges.type !== 'bytes') {
      send(res, 200, { 'Content-Type': type, 'Accept-Ranges': 'bytes' }, body);
      return;
    }
    const [range] = ranges;
    if (ranges.length === 1 && range) {
      send(res, 206, { 'Content-Type': type, 'Content-Range': `bytes ${range.start}-${range.end}/${body.length}` }, body.subarray(range.start, range.end + 1));
      return;
    }
    const boundary = randomBytes(12).toString('hex');
    const parts = ranges.flatMap((range, index) => [
      Buffer.from(`${index === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${type}\r\nContent-Range: bytes ${range.start}-${range.end}/${body.length}\r\n\r\n`),
      body.subarray(range.start, range.end + 1),
    ]);
    send(res, 206, { 'Content-Type': `multipart/byteranges; boundary=${boundary}` }, Buffer.concat([...parts, Buffer.from(`\r\n--${boundary}--\r\n`)]));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`;
  const artifactOf = (version: string) => path.join(dir, `annotator-companion-${version}-x86_64.AppImage`);

  const feed: Feed = {
    url,
    dir,
    requests,
    appUpdateYml: async () => serializeToYaml(await appUpdateConfig(url)),
    async release(version, options = { marker: path.join(tempDir(), 'started.log') }) {
      const file = artifactOf(version);
      fs.writeFileSync(file, fakeAppImage(version, options.marker), { mode: 0o755 });
      // The AppImage target embeds the block map and passes what it returns as the artifact's update info.
      const info = await appendBlockmap(file);
      originals.set(version, fs.readFileSync(file));
      await withPackager(version, url, async (packager, linux) => {
        const publishConfigs = await publish.getPublishConfigs(linux, null, builder.Arch.x64, false);
        const tasks = await updateInfo.createUpdateInfoTasks(
          { file, packager: linux, arch: builder.Arch.x64, target: { name: 'AppImage', outDir: dir }, safeArtifactName: null, updateInfo: info, isWriteUpdateInfo: true },
          publishConfigs,
        );
        await updateInfo.writeUpdateInfoFiles(tasks, packager);
      });
      if (options.stagingPercentage !== undefined) {
        // electron-builder docs, "Staged Rollouts": add stagingPercentage to the published latest.yml by hand.
        for (const name of fs.readdirSync(dir).filter((entry) => entry.endsWith('-linux.yml'))) {
          const yml = fs.readFileSync(path.join(dir, name), 'utf8');
          fs.writeFileSync(path.join(dir, name), `${yml.trimEnd()}\nstagingPercentage: ${options.stagingPercentage}\n`);
        }
      }
      return file;
    },
    tamper(version) {
      const file = artifactOf(version);
      const bytes = fs.readFileSync(file);
      // Same size, a few bytes changed in the middle: only the checksum can tell.
      bytes.fill(0x41, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 64);
      fs.writeFileSync(file, bytes);
    },
    restore(version) {
      const original = originals.get(version);
      if (!original) throw new Error(`no release ${version}`);
      fs.writeFileSync(artifactOf(version), original);
    },
    throttle(rate) {
      bytesPerSecond = rate;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  onTestFinished(() => feed.close());
  return feed;
}

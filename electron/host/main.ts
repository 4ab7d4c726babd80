/**
 * The browser shell: the same core and renderer as the Electron app, served on
 * 127.0.0.1 and opened in the user's browser. Used where no Electron binary
 * exists, and for headless runs.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pkg from '../../package.json';
import { createEventHub } from '../core/kernel/api/event-hub';
import { createCompanion, type Companion } from '../core/companion';
import { ConfigError, resolveConfig } from '../core/kernel/config/config';
import { openSecretStore } from '../core/kernel/credentials/open-secret-store';
import { installLastLine } from '../core/kernel/platform/last-line';
import { createFileSink, createLogger } from '../core/kernel/platform/logger';
import { createSystemOpener } from '../core/kernel/platform/opener';
import { defaultRendererDir } from '../core/kernel/platform/renderer-files';
import { systemClock } from '../core/kernel/ports';
import { createProdigyProxy } from './prodigy-proxy';
import { startHostServer } from './server';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { values: flags } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, 'no-open': { type: 'boolean' } },
    strict: false,
    allowPositionals: true,
  });
  const config = resolveConfig({
    argv,
    env: process.env,
    platform: process.platform,
    homedir: os.homedir(),
    version: pkg.version,
    shell: 'browser',
  });

  const file = createFileSink(path.join(config.dataDir, 'logs'));
  const logger = createLogger({ sinks: [file.sink] });
  const secrets = await openSecretStore(logger);
  const opener = createSystemOpener(logger);
  const viewer = createProdigyProxy(logger);
  // Made before the core: it may notify while it starts (a wipe of what expired while the app was closed).
  const events = createEventHub(logger);
  const companion: Companion = await createCompanion(config, {
    viewer,
    clock: systemClock,
    logger,
    opener,
    secrets,
    events,
    // The page shows these itself (the Notifications API, or an in-app toast); with no page open, Notifications keeps them.
    notifier: { show: (notification) => events.emit('notification', notification) },
  });

  let server: Awaited<ReturnType<typeof startHostServer>> | null = null;
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await server?.close();
      await companion.close();
      viewer.closeAll();
      file.close();
    })());
  // Only for what no handler where it happens knows about: tests fail when it fires (test/global-setup.ts).
  installLastLine({
    process,
    logger,
    record: (error, origin, fatal) => companion.recordUnexpected(error, origin, fatal),
    tellFatal: (words) => process.stderr.write(`${words}\n`),
    stop,
    exit: (code) => process.exit(code),
    reportDir: process.env.COMPANION_LAST_LINE_DIR || undefined,
  });

  const bundleDir = path.dirname(fileURLToPath(import.meta.url));
  server = await startHostServer({
    router: companion.router,
    events: companion.events,
    rendererDir: defaultRendererDir(bundleDir),
    logger,
    port: typeof flags.port === 'string' ? Number.parseInt(flags.port, 10) : 0,
  });

  const { url, launchUrl } = server;
  process.stdout.write(`Annotator Companion is running at ${url}\n`);
  process.stdout.write(`Data folder: ${config.dataDir}. Press Ctrl+C to quit.\n`);
  if (secrets.status.kind === 'memory') process.stdout.write(`Note: ${secrets.status.detail}\n`);
  if (!flags['no-open']) {
    // Never the address above: an opener's command line is readable by every user of the computer.
    opener.openExternal(launchUrl()).catch(() => process.stdout.write('Open the address above in your browser.\n'));
  }

  const quit = () => void stop().finally(() => process.exit(0));
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`Annotator Companion could not start: ${message}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});

import path from 'node:path';
import type { Browser } from 'playwright-core';
import { systemClock } from '../../electron/core/kernel/ports';
import { createProdigyProxy } from '../../electron/host/prodigy-proxy';
import { startHostServer } from '../../electron/host/server';
import type { File360Sandbox } from '../../sandbox/file360';
import { RENDERER_DIR, watchForErrors } from './chromium';
import { idle, signedInApp } from './file360-app';
import { PRODIGY_ENV } from './prodigy';
import { recordingLogger } from './ports';
import { tempDir } from './tmp';

/**
 * Ana's app as she runs it in the browser shell: signed in and idle on the real clock, served to a
 * Chromium page, with Prodigy opened in tabs through the shell's own proxy that holds the credentials.
 */
export async function servedApp(sb: File360Sandbox, browser: Browser, viewport = { width: 1280, height: 860 }) {
  const logger = recordingLogger();
  const viewer = createProdigyProxy(logger);
  const dataDir = path.join(tempDir(), 'data');
  const app = await signedInApp(sb, dataDir, { env: PRODIGY_ENV, ports: { clock: systemClock, viewer } });
  await idle(app);
  const server = await startHostServer({ router: app.companion.router, events: app.companion.events, rendererDir: RENDERER_DIR, logger });
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  const close = async () => {
    await context.close();
    await server.close();
    viewer.closeAll();
  };
  return { app, dataDir, server, context, page, errors, close };
}

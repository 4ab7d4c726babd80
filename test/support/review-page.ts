import type { Browser } from 'playwright-core';
import type { File360Sandbox } from '../../sandbox/file360';
import { systemClock } from '../../electron/core/kernel/ports';
import { startHostServer } from '../../electron/host/server';
import { RENDERER_DIR, watchForErrors } from './chromium';
import { recordingLogger } from './ports';
import { reviewerApp } from './reviews';

/** Sam's app, served to Chromium by the browser shell, with the real clock so "due in …" reads true; opened on Reviews. */
export async function reviewerPage(sb: File360Sandbox, browser: Browser) {
  const sam = await reviewerApp(sb, 'sam', { ports: { clock: systemClock } });
  const server = await startHostServer({ router: sam.companion.router, events: sam.companion.events, rendererDir: RENDERER_DIR, logger: recordingLogger() });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await page.goto(server.url);
  // A reviewer's app opens on Reviews.
  await page.getByRole('heading', { name: 'Reviews', exact: true, level: 1 }).waitFor();
  return { sam, page, errors, close: async () => (await context.close(), await server.close()) };
}

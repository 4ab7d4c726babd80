import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Frame, Page, Route } from 'playwright-core';
import type { BrowserWindowDouble, ElectronDouble, FrameDouble, RendererHost } from './main-process';
import { DELIVER, INVOKE_BINDING } from './renderer';

/**
 * Chromium stands in for the window's renderer: `app://bundle/…` is served at
 * `https://bundle/…` by the handler the app registered with `protocol.handle`
 * (its response headers, CSP included, reach Chromium as they are), the window's
 * `webPreferences.preload` file runs before the page, and IPC crosses to the
 * main-process double. Each window gets its own browser context, as each
 * Electron session partition is its own storage.
 */
const APP_PREFIX = 'app://bundle/';
const PAGE_PREFIX = 'https://bundle/';

export const toPage = (url: string) => (url.startsWith(APP_PREFIX) ? PAGE_PREFIX + url.slice(APP_PREFIX.length) : url);
export const toElectron = (url: string) => (url.startsWith(PAGE_PREFIX) ? APP_PREFIX + url.slice(PAGE_PREFIX.length) : url);

function frameOf(frame: Frame): FrameDouble {
  const parent = frame.parentFrame();
  return { url: toElectron(frame.url()), parent: parent ? frameOf(parent) : null };
}

let rendererBundle: Promise<string> | null = null;

/** ./renderer.ts for the page: one function-scoped bundle, so nothing of it lands on `window`. */
function rendererDouble(): Promise<string> {
  rendererBundle ??= build({
    entryPoints: [path.join(import.meta.dirname, 'renderer.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'electronDouble',
    platform: 'browser',
    target: 'chrome130',
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return rendererBundle;
}

/** The preload file as Electron's sandbox runs it: a CommonJS function with the polyfilled require. */
async function preloadScript(preloadFile: string): Promise<string> {
  const source = await fs.promises.readFile(preloadFile, 'utf8');
  return `(() => {
${await rendererDouble()}
const electron = electronDouble.electronForPreload();
const module = { exports: {} };
(function (exports, require, module) {
${source}
})(module.exports, electronDouble.sandboxedRequire(electron), module);
})();`;
}

export interface ChromiumRenderer extends RendererHost {
  page(window: BrowserWindowDouble): Page;
  /** The window's page once it exists (a window's first load opens it). */
  pageOf(window: BrowserWindowDouble, timeoutMs?: number): Promise<Page>;
}

export function chromiumRenderer(browser: Browser, electron: () => ElectronDouble): ChromiumRenderer {
  const pages = new Map<BrowserWindowDouble, { context: BrowserContext; page: Page; loading: string | null }>();

  async function onRequest(window: BrowserWindowDouble, route: Route): Promise<void> {
    const request = route.request();
    const entry = pages.get(window);
    const url = toElectron(request.url());
    const own = entry?.loading === request.url();
    if (request.isNavigationRequest() && request.frame().parentFrame() === null && !own) {
      // A navigation the page started (a link, location.assign): Electron asks will-navigate first.
      if (!window.webContents.navigate(url)) return route.abort('aborted');
    }
    if (!url.startsWith(APP_PREFIX)) return route.continue();
    const response = await electron().fetch(url);
    await route.fulfill({ status: response.status, headers: Object.fromEntries([...(response.headers as unknown as Iterable<[string, string]>)]), body: Buffer.from(await response.arrayBuffer()) });
  }

  return {
    async load(window, url) {
      let entry = pages.get(window);
      if (!entry) {
        // Electron asks the app for HTTP credentials (app `login`); Chromium gets them up front here.
        const credentials = url.startsWith(APP_PREFIX) ? null : await electron().login(window.webContents, url);
        const context = await browser.newContext({
          viewport: { width: window.options.width ?? 1200, height: window.options.height ?? 800 },
          ...(credentials?.username ? { httpCredentials: { username: credentials.username, password: credentials.password ?? '', origin: new URL(url).origin } } : {}),
        });
        const page = await context.newPage();
        await page.exposeBinding(INVOKE_BINDING, (source, channel: string, args: unknown[]) => electron().invoke(window.webContents, frameOf(source.frame), channel, ...args));
        const preload = window.options.webPreferences?.preload;
        if (preload) await page.addInitScript({ content: await preloadScript(preload) });
        await context.route('**/*', (route) => onRequest(window, route));
        entry = { context, page, loading: null };
        pages.set(window, entry);
        window.page = page;
      }
      entry.loading = toPage(url);
      try {
        await entry.page.goto(toPage(url));
      } finally {
        entry.loading = null;
      }
    },
    send(window, channel, args) {
      const page = pages.get(window)?.page;
      if (!page) return;
      page
        .evaluate(([key, name, payload]) => {
          const deliver = (window as unknown as Record<symbol, ((c: string, a: unknown[]) => void) | undefined>)[Symbol.for(key)];
          deliver?.(name, payload);
        }, [DELIVER, channel, args] as const)
        .catch(() => undefined);
    },
    async close(window) {
      const entry = pages.get(window);
      pages.delete(window);
      await entry?.context.close().catch(() => undefined);
    },
    page(window) {
      const page = pages.get(window)?.page;
      if (!page) throw new Error('that window has no page in Chromium');
      return page;
    },
    async pageOf(window, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const page = pages.get(window)?.page;
        if (page) return page;
        if (Date.now() > deadline) throw new Error('that window got no page in Chromium');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

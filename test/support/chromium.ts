import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, driven by playwright-core; Playwright's own browser download is not used. */
export async function launchChromium(skip: (note: string) => void): Promise<Browser | null> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    if (process.env.COMPANION_REQUIRE_CHROMIUM) throw new Error(`COMPANION_REQUIRE_CHROMIUM is set but ${CHROMIUM_PATH} does not exist.`);
    skip(`no Chromium at ${CHROMIUM_PATH}: install Debian's chromium package or set CHROMIUM_PATH`);
    return null;
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

export const SCREENSHOT_DIR = path.resolve('test-results', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/** Console errors and CSP violations, which must stay empty. */
export function watchForErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/** Puts an inline script into the page; resolves with the CSP directive that refused it (a page without a CSP never resolves). */
export function inlineScriptRefusal(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener('securitypolicyviolation', (event) => resolve(event.effectiveDirective), { once: true });
        const script = document.createElement('script');
        script.textContent = 'window.injected = true';
        document.body.append(script);
      }),
  );
}

export const RENDERER_DIR = path.resolve('dist/renderer');

/**
 * Chromium for one test file: launched before its tests (once the build they
 * need exists; null when they need none), closed after. Call the returned function in a test to get the
 * browser, or to skip that test with the reason there is none.
 */
export function useChromium(needs: string | null = path.join(RENDERER_DIR, 'index.html')): (ctx: { skip(note: string): never }) => Browser {
  let browser: Browser | null = null;
  let reason = 'no browser';
  beforeAll(async () => {
    if (needs && !fs.existsSync(needs)) throw new Error(`${path.relative(process.cwd(), needs)} is missing: run \`npm run build\` first (npm test does).`);
    browser = await launchChromium((note) => (reason = note));
  });
  afterAll(async () => browser?.close());
  return (ctx) => browser ?? ctx.skip(reason);
}

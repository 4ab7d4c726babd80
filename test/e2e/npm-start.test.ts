import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { screenshot, useChromium, watchForErrors } from '../support/chromium';
import { tempDir } from '../support/tmp';

const chromium = useChromium(path.resolve('dist/host/main.mjs'));
const children: ChildProcess[] = [];
afterAll(() => children.forEach((child) => child.kill('SIGTERM')));

/** Starts what `npm start` starts after building, and collects what it prints. */
function npmStart(args: string[]): { output: string[]; url: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    // BROWSER: xdg-open's choice of browser; 'true' opens nothing, the test opens the page itself.
    env: { ...process.env, COMPANION_SHELL: undefined, COMPANION_ELECTRON_BINARY: '/nonexistent/electron', BROWSER: 'true' },
  });
  children.push(child);
  const output: string[] = [];
  const url = new Promise<string>((resolve) =>
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      const match = /running at (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    }),
  );
  return { output, url };
}

describe('npm start, as a new user meets it', () => {
  it('opens a sandbox workspace in the browser where no Electron binary and no server exist; sign-in and sync work end to end', async (ctx) => {
    const browser = chromium(ctx);
    const dataDir = path.join(tempDir(), 'data');
    const started = npmStart(['--data-dir', dataDir, '--no-open']);
    const url = await started.url;
    expect(started.output.join('\n')).toMatch(/No File 360 server is set, so this is a sandbox workspace/);
    expect(started.output.join('\n')).toMatch(/No Electron binary is installed on this machine.*Opening Annotator Companion in your browser instead\./);
    expect(started.output.join('\n')).toMatch(/Sign in as ana \/ ana-password \(annotator\)/);

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await page.goto(url);
    await page.getByText('Sandbox workspace', { exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Sign in to File 360' }).waitFor();
    await screenshot(page, 'npm-start-sandbox');

    // "Sign in with browser" opens the system browser, which a test cannot see; open the same page in a tab.
    await page.getByRole('button', { name: 'Sign in with browser' }).click();
    const reopen = page.getByRole('link', { name: 'Open the sign-in page again' });
    await reopen.waitFor();
    const signInTab = await context.newPage();
    await signInTab.goto((await reopen.getAttribute('href')) ?? '');
    await signInTab.getByLabel('Username').fill('ana');
    await signInTab.getByLabel('Password').fill('ana-password');
    await signInTab.getByRole('button', { name: 'Allow' }).click();
    await signInTab.getByRole('heading', { name: 'You are signed in' }).waitFor();

    await expect.poll(() => page.getByTestId('assignment-row').count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => page.getByText('Up to date').count(), { timeout: 15_000 }).toBe(2);
    await screenshot(page, 'npm-start-synced');
    expect(fs.readdirSync(path.join(dataDir, 'sandbox-workspace', 'app', 'assignments')).sort()).toEqual(['asg-release-notes', 'asg-support-triage']);
    expect(errors).toEqual([]);
    await context.close();
  });
});

import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbOut } from '../../electron/core/prodigy/cli';
import { prodigyHome } from '../../electron/core/prodigy/service';
import { readExamples } from '../../electron/core/disputes/read';
import { launchChromium, watchForErrors } from '../support/chromium';
import { FAST, idle, signedInApp, until } from '../support/file360-app';
import { PRODIGY_ENV, openSession } from '../support/prodigy';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

/**
 * Prodigy's page keeps answers and sends them in batches of batch_size (10)
 * unless instant_submit is on; stopping the server loses what the page still
 * holds (CONTRACTS §C; the stand-in's page does the same). The app turns
 * instant_submit on, so three answers, fewer than a batch, all reach the
 * database whichever way the session ends.
 */
const TRIAGE = 'asg-support-triage';
const DATASET = 'support_intents_batch7';

let browser: Browser | null = null;
let reason = 'no browser';
beforeAll(async () => {
  browser = await launchChromium((note) => (reason = note));
});
afterAll(async () => browser?.close());

async function annotatedInThePage() {
  const sb = await sandbox();
  const dataDir = path.join(tempDir(), 'data');
  const app = await signedInApp(sb, dataDir, { env: PRODIGY_ENV, tuning: { ...FAST, outbox: { backoff: { initialMs: 20, maxMs: 200, maxOfflineMs: 200 } } } });
  await idle(app);
  await app.call('sessions.start', { assignmentId: TRIAGE });
  const target = await openSession(app, TRIAGE);
  const context = await (browser as Browser).newContext({ httpCredentials: { username: target.user, password: target.pass } });
  const page = await context.newPage();
  const problems = watchForErrors(page);
  await page.goto(target.url);
  for (const label of ['billing', 'bug_report', 'other']) {
    const text = await page.getByTestId('task-text').textContent();
    await page.getByRole('group', { name: 'Options' }).getByRole('button', { name: label, exact: true }).click();
    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    await expect.poll(() => page.getByTestId('task-text').textContent()).not.toBe(text);
  }
  // Nothing held back in the page: no "not saved yet", no undo to offer.
  expect(await page.getByTestId('unsaved').isVisible()).toBe(false);
  expect(problems).toEqual([]);
  return { sb, app, dataDir, close: () => context.close() };
}

async function answersInProdigy(dataDir: string): Promise<string[]> {
  const file = path.join(tempDir(), 'out.jsonl');
  expect(await dbOut({ command: 'python3 -m prodigy', home: prodigyHome(dataDir, TRIAGE), env: PRODIGY_ENV }, DATASET, file)).toBe(true);
  return (await readExamples(file)).map((example) => (example.accept as string[])[0] ?? '');
}

describe('no answer is lost when a session stops, though Prodigy’s page sends answers in batches of 10', () => {
  it('three answers in the page, then the Stop button: all three are in db-out', async (ctx) => {
    if (!browser) return ctx.skip(reason);
    const { app, dataDir, close } = await annotatedInThePage();
    await app.call('sessions.stop', { assignmentId: TRIAGE });
    await close();
    expect(await answersInProdigy(dataDir)).toEqual(['billing', 'bug_report', 'other']);
  });

  it('three answers in the page, then the app quits: all three are in db-out', async (ctx) => {
    if (!browser) return ctx.skip(reason);
    const { app, dataDir, close } = await annotatedInThePage();
    await app.companion.close();
    await close();
    expect(await answersInProdigy(dataDir)).toEqual(['billing', 'bug_report', 'other']);
  });

  it('three answers in the page, then the assignment expires and is wiped: all three leave in the package made before the wipe', async (ctx) => {
    if (!browser) return ctx.skip(reason);
    const { sb, app, close } = await annotatedInThePage();
    sb.faults.expireAssignment(TRIAGE);
    await app.call('sync.start', {});
    await until(() => app.call('assignments.list'), (list) => list.find((a) => a.id === TRIAGE)?.wiped !== null, 15_000);
    await close();
    // The wipe stops the session first; its export (on stop, or the one just before the files go) has every answer.
    const exports = await app.call('exports.list', { id: TRIAGE });
    expect(exports.map((e) => [e.trigger, e.annotations])).toEqual([['session-stopped', 3]]);
    expect(exports[0]?.counts).toMatchObject({ accept: 3 });
  });
});

import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbOut } from '../../electron/core/services/prodigy/cli';
import { readExamples } from '../../electron/core/services/disputes/read';
import { launchChromium, watchForErrors } from '../support/chromium';
import { FAST, idle, signedInApp, until } from '../support/file360-app';
import { ManualClock } from '../support/ports';
import { PRODIGY_ENV, acceptChoices, openSession } from '../support/prodigy';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';
import { prodigyHome } from '../../electron/core/services/prodigy/home';

/**
 * Prodigy's page keeps answers and sends them in batches of batch_size (10)
 * unless instant_submit is on; stopping the server loses what the page still
 * holds (CONTRACTS §C; the stand-in's page does the same). The app turns
 * instant_submit on, so three answers, fewer than a batch, all reach the
 * database whichever way the session ends.
 */
const TRIAGE = 'asg-support-triage';
const DATASET = 'support_intents_batch7';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let browser: Browser | null = null;
let reason = 'no browser';
beforeAll(async () => {
  browser = await launchChromium((note) => (reason = note));
});
afterAll(async () => browser?.close());

async function annotatedInThePage(clock?: ManualClock, expiresInMs?: number) {
  const sb = await sandbox();
  if (expiresInMs !== undefined) sb.admin.setExpiration(TRIAGE, new Date(sb.clock.now().getTime() + expiresInMs).toISOString());
  const dataDir = path.join(tempDir(), 'data');
  const app = await signedInApp(sb, dataDir, { env: PRODIGY_ENV, ports: clock ? { clock } : {}, tuning: { ...FAST, outbox: { backoff: { initialMs: 20, maxMs: 200, maxOfflineMs: 200 } } } });
  await idle(app);
  await app.call('sessions.start', { assignmentId: TRIAGE });
  const target = await openSession(app, TRIAGE);
  const context = await (browser as Browser).newContext({ httpCredentials: { username: target.user, password: target.pass } });
  const page = await context.newPage();
  const problems = watchForErrors(page);
  await page.goto(target.url);
  await acceptChoices(page, ['billing', 'bug_report', 'other']);
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

  it('three answers in the page, then access is about to end: all three leave in the package sent ahead of the expiry, and the wipe loses none', async (ctx) => {
    if (!browser) return ctx.skip(reason);
    // Exporting at the wipe, as the app once did, came after the expiry, where File 360 refuses the upload (CONTRACTS §A.5).
    const clock = new ManualClock(new Date().toISOString());
    const { sb, app, close } = await annotatedInThePage(clock, HOUR);
    const endsAt = Date.parse((await app.call('assignments.list')).find((a) => a.id === TRIAGE)?.expiration ?? '');
    // 15 minutes before the end, by default (sendBeforeExpiryMinutes).
    clock.advance(endsAt - 15 * MINUTE - clock.now().getTime());
    const sent = await until(() => app.call('exports.list', { id: TRIAGE }), (list) => list[0]?.upload.state === 'sent', 15_000);
    expect(sent.map((e) => [e.trigger, e.annotations, e.upload.state])).toEqual([['before-expiry', 3, 'sent']]);
    await close();

    sb.clock.advance(HOUR);
    clock.advance(endsAt - clock.now().getTime());
    await until(() => app.call('assignments.list'), (list) => list.find((a) => a.id === TRIAGE)?.wiped !== null, 15_000);
    const wiped = (await app.call('assignments.list')).find((a) => a.id === TRIAGE)?.wiped;
    expect(wiped?.detail).toBe('All 3 answers had reached File 360 before that.');
    expect((await app.call('audit.list', { type: 'assignment.work_lost' })).entries).toEqual([]);
    // A tab still open on the session is told its assignment is gone, after being told it stopped.
    const viewer = app.ports.viewer as unknown as { closed: Array<[string, string]> };
    expect(viewer.closed.filter(([id]) => id === TRIAGE).map(([, why]) => why).at(-1)).toBe('removed');
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../electron/core/kernel/credentials/memory-store';
import type { File360Sandbox } from '../../sandbox/file360';
import { startCompanion, type Started } from '../support/companion';
import { HOUR, MINUTE } from '../support/expiry';
import { FAST, idle, signedInApp, until } from '../support/file360-app';
import { ManualClock } from '../support/ports';
import { PRODIGY_ENV, annotate, openSession, threeTriageAnswers } from '../support/prodigy';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

/**
 * Deliver before the door closes (issue 18). File 360 refuses uploads to an
 * expired assignment (CONTRACTS §A.5, 403 ASSIGNMENT_EXPIRED), so the app
 * sends unsent answers `sendBeforeExpiryMinutes` (15) before the expiry,
 * says so beforehand, sends at every session stop in the last day, and when
 * something still could not go, says what was lost and audits it.
 */
const TRIAGE = 'asg-support-triage';
const TUNING = { ...FAST, outbox: { backoff: { initialMs: 20, maxMs: 200, maxOfflineMs: 200 } }, wipeLastCallMs: 5000 };

interface Closing {
  sb: File360Sandbox;
  app: Started;
  dataDir: string;
  clock: ManualClock;
  secrets: MemorySecretStore;
  sendAt: number;
  endsAt: number;
}

/** Ana, with three answers given in Prodigy an hour (or `beforeMs`) before her access to the triage assignment ends; automatic exports off. */
async function threeAnswersAnHourBefore(beforeMs = HOUR, sandboxOptions: { uploadGraceSeconds?: number; singleRequestUploads?: boolean } = {}): Promise<Closing> {
  const sb = await sandbox(sandboxOptions);
  sb.admin.setExpiration(TRIAGE, new Date(sb.clock.now().getTime() + beforeMs).toISOString());
  const dataDir = path.join(tempDir(), 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ autoExport: false }));
  const clock = new ManualClock(new Date().toISOString());
  const secrets = new MemorySecretStore({ kind: 'keychain', detail: 'test keychain' });
  const app = await signedInApp(sb, dataDir, { env: PRODIGY_ENV, ports: { clock, secrets }, tuning: TUNING });
  await idle(app);
  await app.call('sessions.start', { assignmentId: TRIAGE });
  await threeTriageAnswers(app, TRIAGE);
  const endsAt = Date.parse((await app.call('assignments.list')).find((a) => a.id === TRIAGE)?.expiration ?? '');
  // sendBeforeExpiryMinutes, by default.
  return { sb, app, dataDir, clock, secrets, sendAt: endsAt - 15 * MINUTE, endsAt };
}

const to = (c: Closing, at: number) => c.clock.advance(at - c.clock.now().getTime());
const wipedOf = (app: Started) => until(() => app.call('assignments.list'), (list) => list.find((a) => a.id === TRIAGE)?.wiped != null, 20_000).then((list) => list.find((a) => a.id === TRIAGE)?.wiped);
const notices = async (app: Started) => (await app.call('notifications.list', { limit: 50 })).items;

describe('work is delivered before the door closes', () => {
  it('online, app running: the answers leave in a package 15 minutes before the expiry, reach File 360 while it still takes them, and the wipe loses none', async () => {
    const c = await threeAnswersAnHourBefore();
    // Told beforehand: the expiry reminder (one hour before) says when the work will be sent and what becomes of later answers.
    const reminder = (await notices(c.app)).find((n) => n.title.includes('will be removed when access expires'));
    expect(reminder?.summary).toMatch(/^Your work will be sent at .+\. Answers you give after that are sent when you stop the session, if you stop it before /);

    to(c, c.sendAt - 1000);
    expect(await c.app.call('exports.list', { id: TRIAGE })).toEqual([]);
    to(c, c.sendAt);
    const [sent] = await until(() => c.app.call('exports.list', { id: TRIAGE }), (list) => list[0]?.upload.state === 'sent', 15_000);
    expect(sent).toMatchObject({ trigger: 'before-expiry', annotations: 3 });
    // The page shows the same times (the banner of the last day).
    expect((await c.app.call('assignments.list')).find((a) => a.id === TRIAGE)?.closing).toEqual({ sendAt: new Date(c.sendAt).toISOString(), endsAt: new Date(c.endsAt).toISOString() });
    // File 360 holds it, committed before the expiry by its own clock.
    const [upload] = c.sb.admin.uploads().filter((u) => u.assignment_id === TRIAGE && u.status === 'committed');
    expect(Date.parse(upload?.updated ?? '')).toBeLessThan(c.endsAt);
    // … and the user is told, with the rule for what comes next, replacing the unread reminder.
    const told = (await notices(c.app)).find((n) => n.title.startsWith('Access to “Support tickets: intent triage (batch 7)” ends at'));
    expect(told?.summary).toMatch(/^3 answers are being sent to File 360 now\. Answers you give after that are sent when you stop the session, if you stop it before .+\. At .+ access ends: the files, and any answer not sent by then, are deleted from this computer\./);
    expect((await notices(c.app)).filter((n) => n.title.includes('will be removed when access expires'))).toEqual([]);

    c.sb.clock.advance(HOUR);
    to(c, c.endsAt);
    expect((await wipedOf(c.app))?.detail).toBe('All 3 answers had reached File 360 before that.');
    expect((await c.app.call('audit.list', { type: 'assignment.work_lost' })).entries).toEqual([]);
    const removed = (await notices(c.app)).find((n) => n.type === 'assignment.removed');
    expect(removed?.summary).toBe('“Support tickets: intent triage (batch 7)” expired, so its files were deleted from this computer. All 3 answers had reached File 360 before that.');
  });

  it('an answer given after that is sent when the session stops before the expiry, though automatic exports are off: in the last day every stop sends', async () => {
    const c = await threeAnswersAnHourBefore();
    to(c, c.sendAt);
    await until(() => c.app.call('exports.list', { id: TRIAGE }), (list) => list[0]?.upload.state === 'sent', 15_000);
    c.clock.advance(5 * MINUTE);
    await annotate(await openSession(c.app, TRIAGE), [{ answer: 'reject' }]);
    await c.app.call('sessions.stop', { assignmentId: TRIAGE });
    const list = await until(() => c.app.call('exports.list', { id: TRIAGE }), (all) => all.length === 2 && all[0]?.upload.state === 'sent', 15_000);
    expect(list.map((e) => [e.trigger, e.annotations])).toEqual([
      ['session-stopped', 4],
      ['before-expiry', 3],
    ]);
    c.sb.clock.advance(HOUR);
    to(c, c.endsAt);
    expect((await wipedOf(c.app))?.detail).toBe('All 4 answers had reached File 360 before that.');
  });

  it('offline across the expiry: the package made in time never leaves, and the user is told in words what was lost, and it is audited', async () => {
    const c = await threeAnswersAnHourBefore();
    await c.sb.close();
    to(c, c.sendAt);
    await until(() => c.app.call('exports.list', { id: TRIAGE }), (list) => list[0]?.upload.lastError !== null && list[0]?.upload.lastError !== undefined, 15_000);
    const told = (await notices(c.app)).find((n) => n.title.startsWith('Access to'));
    expect(told?.summary).toMatch(/^3 answers are being sent to File 360 now\./);

    to(c, c.endsAt);
    const wiped = await wipedOf(c.app);
    const words = '3 answers in a package waiting to be sent could not be sent to File 360 before access ended (File 360 could not be reached) and were deleted with the files.';
    expect(wiped?.detail).toBe(words);
    expect((await notices(c.app)).find((n) => n.type === 'assignment.removed')?.summary).toBe(`“Support tickets: intent triage (batch 7)” expired, so its files were deleted from this computer. ${words}`);
    expect(c.app.ports.notifier.shown.at(-1)).toMatchObject({ title: 'Assignment removed from this computer', body: expect.stringContaining(words) });
    const [lost] = (await c.app.call('audit.list', { type: 'assignment.work_lost' })).entries;
    expect(lost?.details).toEqual({ lost: { answers: 3, packages: 1 }, answers: { queued: 3, unexported: 0 }, why: 'File 360 could not be reached' });
    // The package is not left failing in the Outbox: it is marked as ended with the assignment, in words.
    const [row] = (await c.app.call('outbox.list', { show: 'all' })).items.filter((item) => item.kind === 'package');
    expect(row).toMatchObject({ state: 'discarded', lastError: expect.stringContaining('ended before this could be sent') });
    expect(c.app.companion.status().failed).toBe(0);
  });

  describe('an upload begun in time but cut off, File 360 answering again only after the expiry', () => {
    /**
     * `steps`: a File 360 without §A.7 step 5, so the upload is created first and
     * only its bytes meet the 503; otherwise the one request that creates, sends
     * and commits meets it, and nothing was begun on the server.
     */
    async function cutOff(uploadGraceSeconds: number, way: 'steps' | 'one request' = 'steps') {
      const c = await threeAnswersAnHourBefore(HOUR, { uploadGraceSeconds, singleRequestUploads: way === 'one request' });
      // The next try comes after the expiry (503 with Retry-After).
      const pathPrefix = way === 'steps' ? '/file360/v1/uploads/' : `/file360/v1/assignments/${TRIAGE}/uploads`;
      c.sb.faults.set({ errorRate: { rate: 1, status: 503, pathPrefix, times: 1 } });
      to(c, c.sendAt);
      await until(() => c.app.call('exports.list', { id: TRIAGE }), (list) => (list[0]?.upload.lastError ?? null) !== null, 15_000);
      c.sb.clock.advance(HOUR + 30_000);
      to(c, c.endsAt);
      return { c, wiped: await wipedOf(c.app) };
    }

    it('as the contract stands, File 360 refuses it (403 ASSIGNMENT_EXPIRED): the loss is said in File 360’s terms, and audited', async () => {
      const { c, wiped } = await cutOff(0);
      expect(wiped?.detail).toBe('3 answers in a package waiting to be sent could not be sent to File 360 before access ended (File 360 no longer took work for it) and were deleted with the files.');
      const [lost] = (await c.app.call('audit.list', { type: 'assignment.work_lost' })).entries;
      expect(lost?.details).toMatchObject({ lost: { answers: 3, packages: 1 }, why: 'File 360 no longer took work for it' });
    });

    it('with the grace this project proposes (sandbox uploadGraceSeconds), the app needs no change: the retry finishes it and nothing is lost', async () => {
      const { c, wiped } = await cutOff(600);
      expect(wiped?.detail).toBe('All 3 answers had reached File 360 before that.');
      expect(c.sb.admin.uploads().filter((u) => u.assignment_id === TRIAGE).map((u) => u.status)).toEqual(['committed']);
    });

    it('sent in one request that never reached File 360, it is a new upload after the expiry, which even the grace refuses: the loss is said and audited', async () => {
      const { c, wiped } = await cutOff(600, 'one request');
      expect(wiped?.detail).toBe('3 answers in a package waiting to be sent could not be sent to File 360 before access ended (File 360 no longer took work for it) and were deleted with the files.');
      expect(c.sb.admin.uploads().filter((u) => u.assignment_id === TRIAGE)).toEqual([]);
    });
  });

  it('app closed across the expiry after the work was sent: started after it, the wipe at start says all of it arrived', async () => {
    const c = await threeAnswersAnHourBefore();
    // In the last day the stop sends, whatever autoExport says.
    await c.app.call('sessions.stop', { assignmentId: TRIAGE });
    const [sent] = await until(() => c.app.call('exports.list', { id: TRIAGE }), (list) => list[0]?.upload.state === 'sent', 15_000);
    expect(sent).toMatchObject({ trigger: 'session-stopped', annotations: 3 });
    const again = await closedUntilAfter(c);
    expect(await wipedOf(again)).toMatchObject({ reason: 'expired', detail: 'All 3 answers had reached File 360 before that.' });
    expect((await again.call('audit.list', { type: 'assignment.work_lost' })).entries).toEqual([]);
  });

  it('app closed across the expiry with answers never exported (stopped days before, automatic exports off): the wipe at start says they were lost, and audits it', async () => {
    const c = await threeAnswersAnHourBefore(3 * 24 * HOUR);
    await c.app.call('sessions.stop', { assignmentId: TRIAGE });
    const again = await closedUntilAfter(c);
    const words = '3 answers not yet exported could not be sent to File 360 before access ended and were deleted with the files.';
    expect(await wipedOf(again)).toMatchObject({ reason: 'expired', detail: words });
    expect((await notices(again)).find((n) => n.type === 'assignment.removed')?.summary).toContain(words);
    const [lost] = (await again.call('audit.list', { type: 'assignment.work_lost' })).entries;
    expect(lost?.details).toEqual({ lost: { answers: 3 }, answers: { queued: 0, unexported: 3 }, why: null });
    // Once the assignment is gone, an export is refused in words rather than made to fail in the Outbox.
    expect(await again.raw('exports.run', { id: TRIAGE })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

/** Quits the app, lets the expiry pass (on File 360's clock too), and starts it again, online. */
async function closedUntilAfter(c: Closing): Promise<Started> {
  await c.app.companion.close();
  c.sb.clock.advance(c.endsAt - c.sb.clock.now().getTime() + MINUTE);
  const later = new ManualClock(new Date(c.endsAt + MINUTE).toISOString());
  return startCompanion(c.dataDir, { argv: ['--server', c.sb.url, '--tenant', c.sb.tenant], env: PRODIGY_ENV, ports: { clock: later, secrets: c.secrets }, tuning: TUNING });
}

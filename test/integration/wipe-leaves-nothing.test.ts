import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../electron/core/kernel/credentials/memory-store';
import type { File360Sandbox } from '../../sandbox/file360';
import type { Started } from '../support/companion';
import { startCompanion } from '../support/companion';
import { HOUR, MARKED, MARKER, filesContaining, fileLogger, markedFixture, workedOnMarked } from '../support/expiry';
import { FAST, until } from '../support/file360-app';
import { ManualClock } from '../support/ports';
import { PRODIGY_ENV } from '../support/prodigy';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

/**
 * Wipe means gone (issue 18): after an expired assignment is wiped, a search
 * of every file in the data folder (companion.db and its WAL, Prodigy's
 * home, exports, logs, settings) finds no text of its files or answers.
 * Before the wipe the same search finds it in many places, so the search
 * can fail.
 */
interface Laptop {
  sb: File360Sandbox;
  app: Started;
  dataDir: string;
  clock: ManualClock;
  secrets: MemorySecretStore;
  log: ReturnType<typeof fileLogger>;
}

async function laptop(): Promise<Laptop> {
  const sb = await sandbox({ fixture: markedFixture(new Date(), HOUR) });
  const dataDir = path.join(tempDir(), 'data');
  const clock = new ManualClock(new Date().toISOString());
  const secrets = new MemorySecretStore({ kind: 'keychain', detail: 'test keychain' });
  const log = fileLogger(dataDir);
  const app = await workedOnMarked(sb, dataDir, { clock, secrets, logger: log.logger });
  return { sb, app, dataDir, clock, secrets, log };
}

/** The app again on the same data folder and keychain, with its clock `laterMs` on. */
async function restart(l: Laptop, laterMs: number, server: string): Promise<Started> {
  await l.app.companion.close();
  const clock = new ManualClock(new Date(l.clock.now().getTime() + laterMs).toISOString());
  return startCompanion(l.dataDir, { argv: ['--server', server, '--tenant', 'acme'], env: PRODIGY_ENV, ports: { clock, secrets: l.secrets, logger: l.log.logger }, tuning: FAST });
}

const wiped = (app: Started) => until(() => app.call('assignments.list'), (list) => list.find((a) => a.id === MARKED)?.wiped != null, 20_000);

/**
 * How each way of crossing the expiry ends: where the fourth answer was when access ended. File 360 ending it
 * early leaves it unexported; the clock passing the time to send (15 minutes before) exports it, and so does
 * quitting in the last day (every session stop then exports), but offline or closed the package never leaves.
 */
interface Scenario {
  expire(l: Laptop): Promise<Started>;
  exportFiles: number;
  lastAnswer: { queued: number; unexported: number };
}

const SCENARIOS: Array<[string, Scenario]> = [
  [
    'online, app running: File 360 says the assignment expired',
    {
      async expire(l) {
        l.sb.faults.expireAssignment(MARKED);
        await l.app.call('sync.start', {});
        return l.app;
      },
      exportFiles: 1,
      lastAnswer: { queued: 0, unexported: 1 },
    },
  ],
  [
    'offline, app running: this computer’s clock passes the expiry',
    {
      async expire(l) {
        await l.sb.close();
        l.clock.advance(HOUR + 1000);
        return l.app;
      },
      exportFiles: 2,
      lastAnswer: { queued: 1, unexported: 0 },
    },
  ],
  [
    'app closed across the expiry, started again offline',
    {
      async expire(l) {
        const url = l.sb.url;
        await l.sb.close();
        return restart(l, HOUR + 1000, url);
      },
      exportFiles: 2,
      lastAnswer: { queued: 1, unexported: 0 },
    },
  ],
  [
    'app closed across the expiry, started again online',
    {
      async expire(l) {
        l.sb.clock.advance(HOUR + 1000);
        return restart(l, HOUR + 1000, l.sb.url);
      },
      exportFiles: 2,
      lastAnswer: { queued: 1, unexported: 0 },
    },
  ],
];

describe('an expired assignment leaves nothing of its content on the laptop', () => {
  it.each(SCENARIOS)('%s', async (_name, scenario) => {
    const l = await laptop();
    const before = filesContaining(l.dataDir, MARKER);
    // The synced files, Prodigy's database, and the app's own database (escalation, review, outbox) all hold it.
    expect(before.some((file) => file.startsWith(`assignments${path.sep}`))).toBe(true);
    expect(before.some((file) => file.startsWith(`prodigy${path.sep}`) && file.includes('prodigy.db'))).toBe(true);
    expect(before.some((file) => file.startsWith('companion.db'))).toBe(true);

    const app = await scenario.expire(l);
    await wiped(app);
    // While the app runs (its database open, WAL and all) …
    expect(filesContaining(l.dataDir, MARKER)).toEqual([]);

    const [entry] = (await app.call('audit.list', { type: 'assignment.wiped' })).entries;
    // … what went is listed by kind and count; the entry holds no task text (the search above read the audit table too).
    expect(entry?.details).toMatchObject({
      reason: 'expired',
      files: 5,
      removed: { files: 5, answers: 4, prodigyFiles: expect.any(Number), sessions: 2, exportFiles: scenario.exportFiles, escalations: 1, reviews: 1, notificationTexts: expect.any(Number), outboxItemTexts: expect.any(Number) },
      delivered: { answers: 3, packages: 1 },
    });
    const [lost] = (await app.call('audit.list', { type: 'assignment.work_lost' })).entries;
    expect(lost?.details).toMatchObject({ lost: { answers: 1, ...(scenario.lastAnswer.queued ? { packages: 1 } : {}) }, answers: scenario.lastAnswer });
    // The chain is whole: the wipe removed rows from other tables, never from the audit log.
    expect(await app.call('audit.verify')).toMatchObject({ ok: true });
    // Nothing of it comes back with the review list or the notifications either, and the other assignments are untouched.
    expect((await app.call('escalations.list', {})).filter((e) => e.assignmentId === MARKED)).toEqual([]);
    expect((await app.call('assignments.list')).filter((a) => a.wiped).map((a) => a.id)).toEqual([MARKED]);

    // … and once it is closed.
    await app.companion.close();
    l.log.close();
    expect(filesContaining(l.dataDir, MARKER)).toEqual([]);
  });
});

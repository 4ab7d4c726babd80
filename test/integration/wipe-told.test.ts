import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Notifier } from '../../electron/core/kernel/ports';
import type { Started } from '../support/companion';
import { DAY, startedOfflineAfter } from '../support/expiry';
import { idle, signedInApp, until } from '../support/file360-app';
import { ManualClock, recordingLogger } from '../support/ports';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

/**
 * Always told (issue 18): every wipe becomes a stored notification in the
 * center (and a native one), also when no window is open and when it happens
 * at start, before sign-in is restored or with nobody signed in.
 */
const TRIAGE = 'asg-support-triage';
const NOTES = 'asg-release-notes';

const removals = async (app: Started) => (await app.call('notifications.list', { limit: 50 })).items.filter((n) => n.type === 'assignment.removed');

describe('every wipe is told, and kept where the user will see it', () => {
  it('while the app runs with no window open: stored unread in Notifications, and popped up natively', async () => {
    const sb = await sandbox();
    const app = await signedInApp(sb, path.join(tempDir(), 'data'));
    await idle(app);
    sb.faults.revokeAssignment(TRIAGE);
    await app.call('sync.start', {});
    const [stored] = await until(() => removals(app), (list) => list.length === 1);
    expect(stored).toMatchObject({
      source: 'app',
      title: 'Assignment removed from this computer',
      summary: '“Support tickets: intent triage (batch 7)” was withdrawn, so its files were deleted from this computer.',
      read: false,
      delivery: 'shown',
      route: { section: 'assignments', id: TRIAGE },
    });
    expect(app.companion.status().unread).toBeGreaterThanOrEqual(1);
    expect(app.ports.notifier.shown.filter((n) => n.title === 'Assignment removed from this computer')).toEqual([
      { id: stored?.id, title: 'Assignment removed from this computer', body: stored?.summary, route: { section: 'assignments', id: TRIAGE } },
    ]);
  });

  it('at start, offline, before the sign-in is restored: stored for the account it concerns, shown once it is', async () => {
    const { again } = await startedOfflineAfter(4);
    const stored = await removals(again);
    expect(stored.map((n) => n.summary)).toEqual(['“Release notes: sentiment spot check” expired, so its files were deleted from this computer.']);
    expect(again.ports.notifier.shown.filter((n) => n.title === 'Assignment removed from this computer')).toHaveLength(1);
    expect(again.ports.logger.lines.filter((line) => line.message === 'wipe failed')).toEqual([]);
  });

  it('at start with nobody signed in: kept for the account, and there when that user signs in again', async () => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'data');
    // Memory secrets: the sign-in does not survive the restart.
    const app = await signedInApp(sb, dataDir);
    await idle(app);
    await app.companion.close();
    sb.clock.advance(4 * DAY);

    const later = new ManualClock(new Date(Date.now() + 4 * DAY).toISOString());
    const again = await signedInApp(sb, dataDir, { ports: { clock: later } });
    expect((await removals(again)).map((n) => n.route)).toEqual([{ section: 'assignments', id: NOTES }]);
  });

  it('a notifier that throws (a shell not ready yet) costs the pop-up only: the wipe is done, recorded and stored', async () => {
    const sb = await sandbox();
    const logger = recordingLogger();
    const notifier: Notifier = {
      show: () => {
        throw new ReferenceError("Cannot access 'companion' before initialization");
      },
    };
    const app = await signedInApp(sb, path.join(tempDir(), 'data'), { ports: { notifier, logger } });
    await idle(app);
    sb.faults.expireAssignment(TRIAGE);
    await app.call('sync.start', {});
    await until(() => removals(app), (list) => list.length === 1);
    expect((await app.call('assignments.list')).find((a) => a.id === TRIAGE)?.wiped).toMatchObject({ reason: 'expired' });
    expect(logger.lines.filter((line) => line.message === 'wipe failed')).toEqual([]);
    expect(logger.lines.some((line) => line.message === 'a notification could not be shown')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { HISTORY_MS } from '../../electron/core/remote/push/catch-up';
import { pushHarness, reaches, waitFor } from '../support/push-harness';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

const DAY = 24 * 60 * 60 * 1000;

describe('a new device (issue 16, item 4)', () => {
  it('starts with the last 14 days of what Push holds for the account, listed without popping up, and goes on live from there', async () => {
    const sb = await sandbox({ push: { retryMs: 5 } });
    const now = Date.now();
    const publishAt = (ago: number, title: string) => {
      sb.clock.set(new Date(now - ago).toISOString());
      return sb.push.publish({ users: ['ana'], type: 'task.assigned', title, summary: 'Maria Chen shared it with you.', data: {} }).seq_assigned.max;
    };
    publishAt(20 * DAY, 'Three weeks ago');
    publishAt(HISTORY_MS + 60_000, 'Just outside the window');
    const recent = [publishAt(13 * DAY, 'Last week'), publishAt(2 * DAY, 'Two days ago')];
    sb.clock.set(new Date(now).toISOString());

    // Ana installs the app on a new laptop: no cursor in its database yet.
    const ana = await pushHarness(sb, tempDir());
    expect(ana.cursor()).toBeNull();
    await ana.client.start();
    await reaches(ana, 'live');
    expect(ana.storedSeqs()).toEqual(recent);
    const rows = ana.db().prepare<[], { title: string; delivery: string; delivered_ms: number | null }>("SELECT title, delivery, delivered_ms FROM notifications WHERE source = 'push' ORDER BY seq").all();
    expect(rows).toEqual([
      { title: 'Last week', delivery: 'silent', delivered_ms: null },
      { title: 'Two days ago', delivery: 'silent', delivered_ms: null },
    ]);

    // What arrives now is live, and pops up as before.
    const live = sb.push.publish({ users: ['ana'], type: 'task.assigned', title: 'Just now', summary: 'Maria Chen shared it with you.', data: {} }).seq_assigned.max;
    await waitFor(() => ana.cursor() === live, 'the live notification stored');
    expect(ana.db().prepare<[number], { delivery: string }>('SELECT delivery FROM notifications WHERE seq = ?').get(live)?.delivery).toBe('shown');

    // The next start resumes from the cursor; the history is not fetched again.
    await ana.client.stop();
    await ana.client.start();
    await reaches(ana, 'live');
    expect(ana.storedSeqs()).toEqual([...recent, live]);
  });
});

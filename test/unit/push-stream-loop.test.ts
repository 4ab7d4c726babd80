import path from 'node:path';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { openDatabase } from '../../electron/core/kernel/db/open';
import { MIGRATIONS } from '../../electron/core/kernel/db/migrations';
import { PushClient } from '../../electron/core/remote/push/client';
import type { PushGap } from '../../electron/core/remote/push/types';
import { BASE, FakePush, fakeSession, notificationEvent, tableSink, unauthorized } from '../support/push-fakes';
import { ManualClock, recordingLogger } from '../support/ports';
import { tempDir } from '../support/tmp';

const KEEPALIVE_TIMEOUT = 1000;
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

function setup(healthyMs = 60_000) {
  // Full jitter can draw a wait of 0, which skips the backoff state the tests wait for.
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
  const db = openDatabase(path.join(tempDir(), 'companion.db'), { migrations: MIGRATIONS });
  const clock = new ManualClock();
  const logger = recordingLogger();
  const push = new FakePush();
  const session = fakeSession();
  const sink = tableSink(() => db, 'u-ana');
  const gaps: PushGap[] = [];
  const client = new PushClient({
    session,
    http: push,
    db: () => db,
    owner: () => ({ server: BASE, tenant: 't', userId: 'u-ana' }),
    clock,
    logger,
    installationId: () => 'installation-1',
    appVersion: '1.0.0',
    sink,
    onGap: (gap) => gaps.push(gap),
    keepaliveTimeoutMs: KEEPALIVE_TIMEOUT,
    reconnect: { baseMs: 100, maxMs: 1000, healthyMs },
  });
  onTestFinished(async () => {
    await client.stop();
    db.close();
  });
  return {
    db,
    clock,
    logger,
    push,
    session,
    sink,
    gaps,
    client,
    stored: () => db.prepare<[], { seq: number; title: string }>('SELECT seq, title FROM notifications ORDER BY id').all(),
    cursor: () => db.prepare<[], { last_seq: number }>('SELECT last_seq FROM push_cursor').get()?.last_seq ?? null,
    streamsOpened: () => push.calls.filter((call) => call.startsWith('STREAM')),
  };
}

async function live(t: ReturnType<typeof setup>) {
  await t.client.start();
  await vi.waitFor(() => expect(t.client.state()).toBe('live'));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the Push stream client reads server-sent events', () => {
  it('stores each notification once, whatever byte boundaries the events arrive across, and skips what it cannot read', async () => {
    const t = setup();
    await live(t);
    expect(t.push.last().lastEventId).toBe('0');
    const text = [
      'retry: 50\n\n',
      ': keepalive\n\n',
      notificationEvent(1),
      notificationEvent(2, 'Überprüfung ✓ fertig'),
      'event: notification\nid: 3\ndata: {not json\n\n',
      'event: notification\nid: 4\ndata: {"seq":4,"id":"ntf-4"}\n\n',
      notificationEvent(2),
      'event: something.newer\ndata: {}\n\n',
      notificationEvent(5),
    ].join('');
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += 3) t.push.last().send(bytes.subarray(i, i + 3) as unknown as string);

    await vi.waitFor(() => expect(t.cursor()).toBe(5));
    expect(t.stored()).toEqual([
      { seq: 1, title: 'Title 1' },
      { seq: 2, title: 'Überprüfung ✓ fertig' },
      { seq: 5, title: 'Title 5' },
    ]);
    const skipped = t.logger.lines.filter((line) => line.message === 'push notification skipped: not understood');
    expect(skipped.map((line) => line.fields?.seq)).toEqual([3, 4]);
    expect(t.client.state()).toBe('live');
  });

  it('leaves the cursor and the stored notifications untouched when the sink fails, so the events come again', async () => {
    const t = setup();
    await live(t);
    t.push.last().send(notificationEvent(1));
    await vi.waitFor(() => expect(t.cursor()).toBe(1));
    t.db.exec('DROP TABLE notifications');
    t.push.last().send(notificationEvent(2));
    await vi.waitFor(() => expect(t.client.state()).toBe('backoff'));
    expect(t.cursor()).toBe(1);
  });
});

describe('the Push stream client reconnects', () => {
  it('waits as exponential backoff from the server’s retry hint says, on the app’s clock', async () => {
    const t = setup();
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    await live(t);
    t.push.last().send('retry: 200\n\n');
    t.push.last().send(notificationEvent(1));
    await vi.waitFor(() => expect(t.cursor()).toBe(1));

    t.push.last().body.end();
    await vi.waitFor(() => expect(t.client.state()).toBe('backoff'));
    t.clock.advance(198);
    await settle();
    expect(t.streamsOpened()).toHaveLength(1);
    t.clock.advance(1);
    await vi.waitFor(() => expect(t.streamsOpened()).toHaveLength(2));
    expect(t.push.last().lastEventId).toBe('1');

    // Dropped again at once: twice the wait.
    await vi.waitFor(() => expect(t.client.state()).toBe('live'));
    t.push.last().body.destroy(new Error('socket hang up'));
    await vi.waitFor(() => expect(t.client.state()).toBe('backoff'));
    t.clock.advance(398);
    await settle();
    expect(t.streamsOpened()).toHaveLength(2);
    t.clock.advance(1);
    await vi.waitFor(() => expect(t.streamsOpened()).toHaveLength(3));
  });

  it('never waits longer than the cap, and starts from the base again after a connection that stayed up', async () => {
    const t = setup(2000);
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    await live(t);
    for (let drop = 0; drop < 6; drop += 1) {
      t.push.last().body.end();
      await vi.waitFor(() => expect(t.client.state()).toBe('backoff'));
      t.clock.advance(999);
      await vi.waitFor(() => expect(t.client.state()).toBe('live'));
    }
    for (let beat = 0; beat < 4; beat += 1) {
      t.clock.advance(500);
      t.push.last().send(': keepalive\n\n');
      await settle();
    }
    expect(t.streamsOpened()).toHaveLength(7);
    t.push.last().body.end();
    await vi.waitFor(() => expect(t.client.state()).toBe('backoff'));
    t.clock.advance(99);
    await vi.waitFor(() => expect(t.streamsOpened()).toHaveLength(8));
  });

  it('takes a silent connection for dead after the keepalive timeout, and not before', async () => {
    const t = setup();
    await live(t);
    t.clock.advance(KEEPALIVE_TIMEOUT - 100);
    t.push.last().send(': keepalive\n\n');
    await settle();
    t.clock.advance(KEEPALIVE_TIMEOUT - 100);
    await settle();
    expect(t.client.state()).toBe('live');
    t.clock.advance(100);
    await vi.waitFor(() => expect(t.client.state()).toBe('backoff'));
    expect(t.logger.lines.some((line) => String(line.fields?.reason).startsWith(`nothing received for ${KEEPALIVE_TIMEOUT} ms`))).toBe(true);
    t.clock.advance(1000);
    await vi.waitFor(() => expect(t.streamsOpened()).toHaveLength(2));
  });

  it('refreshes the token on auth_expired and reconnects at once, without waiting', async () => {
    const t = setup();
    await live(t);
    t.push.last().send(notificationEvent(1));
    t.push.last().send('event: auth_expired\ndata: {"reason":"expired"}\n\n');
    await vi.waitFor(() => expect(t.streamsOpened()).toEqual(['STREAM token-0', 'STREAM token-1']));
    expect(t.session.refreshes).toEqual(['token-0']);
    expect(t.push.last().lastEventId).toBe('1');
  });

  it('refreshes once on a 401 at connect, then backs off instead of refreshing again', async () => {
    const t = setup();
    t.push.refuse.push(unauthorized(), unauthorized());
    await t.client.start();
    await vi.waitFor(() => expect(t.client.state()).toBe('backoff'));
    expect(t.streamsOpened()).toEqual(['STREAM token-0', 'STREAM token-1']);
    t.clock.advance(1000);
    await vi.waitFor(() => expect(t.client.state()).toBe('live'));
    expect(t.streamsOpened()).toEqual(['STREAM token-0', 'STREAM token-1', 'STREAM token-1']);
    expect(t.session.refreshes).toEqual(['token-0']);
  });

  it('stops when the session has ended', async () => {
    const t = setup();
    await live(t);
    t.session.signedOut = true;
    t.push.last().body.end();
    await vi.waitFor(() => expect(t.client.state()).toBe('backoff'));
    t.clock.advance(1000);
    await vi.waitFor(() => expect(t.client.state()).toBe('stopped'));
    expect(t.streamsOpened()).toHaveLength(1);
  });
});

describe('after a reset the Push client catches up', () => {
  const item = (seq: number) => ({ seq, id: `ntf-${seq}`, type: 'batch.assigned', title: `Title ${seq}`, summary: '', created: '2026-11-22T09:00:00.000Z', data: {} });

  it('pages through what is retained, says what expired, and resumes the stream after it', async () => {
    const t = setup();
    await live(t);
    t.push.bounds = { current_min_seq: 10, current_max_seq: 12 };
    t.push.pages.set(`${BASE}/push/v1/notifications?after_seq=9&limit=500`, { _embedded: { collection: [item(10), { seq: 11 }] }, _links: { next: { href: '/push/v1/notifications?after_seq=11&limit=500' } } });
    t.push.pages.set(`${BASE}/push/v1/notifications?after_seq=11&limit=500`, { _embedded: { collection: [item(12)] }, _links: {} });
    t.push.last().send('event: reset\ndata: {"current_min_seq":10,"current_max_seq":12}\n\n');

    await vi.waitFor(() => expect(t.streamsOpened()).toHaveLength(2));
    expect(t.gaps).toEqual([{ afterSeq: 0, firstRetainedSeq: 10 }]);
    expect(t.stored().map((row) => row.seq)).toEqual([10, 12]);
    expect(t.push.last().lastEventId).toBe('12');
    // One transaction per page.
    expect(t.sink.batches.map((batch) => batch.map((n) => n.seq))).toEqual([[10], [12]]);
  });

  it('does not follow a next page on another server', async () => {
    const t = setup();
    await live(t);
    t.push.bounds = { current_min_seq: 1, current_max_seq: 3 };
    t.push.pages.set(`${BASE}/push/v1/notifications?after_seq=0&limit=500`, { _embedded: { collection: [item(1)] }, _links: { next: { href: 'http://elsewhere.test/push/v1/notifications?after_seq=1' } } });
    t.push.last().send('event: reset\ndata: {}\n\n');
    await vi.waitFor(() => expect(t.client.state()).toBe('backoff'));
    expect(t.push.calls.some((call) => call.includes('elsewhere'))).toBe(false);
    expect(t.logger.lines.some((line) => String(line.fields?.reason).includes('another server'))).toBe(true);
    expect(t.gaps).toEqual([]);
  });
});

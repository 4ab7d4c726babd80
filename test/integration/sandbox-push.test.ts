import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { sampleFixture, startFile360Sandbox, type Fixture } from '../../sandbox/file360';
import { api, sandbox, signIn, tokenRequest, type Tokens } from '../support/sandbox-file360';
import { catchUp, SseClient, type PushNotification } from '../support/sandbox-push';
import { tempDir } from '../support/tmp';

interface ServiceError {
  status: number;
  code: string;
  message: string;
}

type Sandbox = Awaited<ReturnType<typeof sandbox>>;

const DAY = 24 * 60 * 60 * 1000;

/** The sample workspace with two more reviewers in support-sme: a group of three. */
function threeReviewers(): Fixture {
  const fixture = sampleFixture();
  const reviewer = (name: string) => ({ id: `u-${name}`, username: name, password: `${name}-password`, display_name: name, email: `${name}@acme.example`, roles: ['reviewer' as const], groups: ['support-sme'] });
  return { ...fixture, users: [...fixture.users, reviewer('lee'), reviewer('kim')] };
}

function post<T = Record<string, unknown>>(sb: Sandbox, token: string, path: string, body: unknown, key?: string) {
  return api<T>(sb, token, path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) }, body: JSON.stringify(body) });
}

const note = (to: string, title: string) => ({ users: [to], type: 'annotation.completed', title, summary: `${title} summary` });

describe('Push sandbox: devices and topics', () => {
  it('registers a device once per installation, however often the app asks', async () => {
    const sb = await sandbox();
    const ana = (await signIn(sb, 'ana')).access_token;
    const device = { installation_id: 'inst-1', runtime: 'desktop-linux', app_version: '0.1.0' };

    const first = await post<{ id: string }>(sb, ana, '/push/v1/devices', device, 'dev-key-1');
    expect(first.status).toBe(201);
    expect(first.body.id).toMatch(/^dev-/);
    const replay = await post<{ id: string }>(sb, ana, '/push/v1/devices', device, 'dev-key-1');
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    const newKey = await post<{ id: string }>(sb, ana, '/push/v1/devices', { ...device, app_version: '0.2.0' }, 'dev-key-2');
    expect(newKey.body.id).toBe(first.body.id);
    expect(sb.push.devices('u-ana')).toEqual([{ id: first.body.id, user_id: 'u-ana', installation_id: 'inst-1', runtime: 'desktop-linux', topics: [] }]);

    const reused = await post<ServiceError>(sb, ana, '/push/v1/devices', { ...device, installation_id: 'inst-2' }, 'dev-key-1');
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const badRuntime = await post<ServiceError>(sb, ana, '/push/v1/devices', { ...device, runtime: 'android' }, 'dev-key-3');
    expect(badRuntime.status).toBe(400);
    expect(badRuntime.body).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('runtime') });
    const noKey = await post<ServiceError>(sb, ana, '/push/v1/devices', device);
    expect(noKey.status).toBe(400);
    expect(noKey.body.message).toContain('Idempotency-Key');
    expect((await post(sb, 'not-a-token', '/push/v1/devices', device, 'dev-key-4')).status).toBe(401);
  });

  it('follows and unfollows topics on your own device only, and only the three kinds of topic', async () => {
    const sb = await sandbox();
    const ana = (await signIn(sb, 'ana')).access_token;
    const sam = (await signIn(sb, 'sam')).access_token;
    const { body } = await post<{ id: string }>(sb, ana, '/push/v1/devices', { installation_id: 'inst-a', runtime: 'desktop-mac', app_version: '1' }, 'k');
    const topic = (token: string, name: string, method: 'PUT' | 'DELETE', device = body.id) =>
      api<ServiceError>(sb, token, `/push/v1/devices/${device}/topics/${encodeURIComponent(name)}`, { method });

    expect((await topic(ana, 'assignment.asg-support-triage', 'PUT')).status).toBe(204);
    expect((await topic(ana, 'assignment.asg-support-triage', 'PUT')).status).toBe(204);
    expect((await topic(ana, 'escalations.support-sme', 'PUT')).status).toBe(204);
    expect((await topic(ana, 'user.u-ana', 'PUT')).status).toBe(204);
    expect(sb.push.devices('u-ana')[0]?.topics).toEqual(['assignment.asg-support-triage', 'escalations.support-sme', 'user.u-ana']);
    expect((await topic(ana, 'escalations.support-sme', 'DELETE')).status).toBe(204);
    expect((await topic(ana, 'escalations.support-sme', 'DELETE')).status).toBe(204);
    expect(sb.push.devices('u-ana')[0]?.topics).toEqual(['assignment.asg-support-triage', 'user.u-ana']);

    const unknown = await topic(ana, 'weather.london', 'PUT');
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe('Unknown topic "weather.london": use assignment.{id}, escalations.{group} or user.{id}.');
    const someoneElse = await topic(ana, 'user.u-sam', 'PUT');
    expect(someoneElse.status).toBe(403);
    expect(someoneElse.body.code).toBe('FORBIDDEN');
    const foreign = await topic(sam, 'user.u-sam', 'PUT');
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('NOT_FOUND');
    expect((await topic(ana, 'user.u-ana', 'PUT', 'dev-nope')).status).toBe(404);
    expect(sb.push.devices('u-sam')).toEqual([]);
  });
});

describe('Push sandbox: publishing', () => {
  it('refuses each broken publish with its own message, and answers a replayed key as the first time', async () => {
    const sb = await sandbox();
    const sam = (await signIn(sb, 'sam')).access_token;
    const good = { users: ['u-ana'], type: 'decision.made', title: 'Approved', summary: 'Your item was approved', data: { escalation_id: 'esc-1' } };
    const refused = async (body: unknown, key = 'k-bad') => {
      const answer = await post<ServiceError>(sb, sam, '/push/v1/notifications', body, key);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('INVALID_REQUEST');
      return answer.body.message;
    };

    expect(await refused({ users: ['u-ana'], type: 'decision.made' })).toBe('A notification needs a title, a summary or data.');
    expect(await refused({ ...good, users: [] })).toBe('A notification needs recipients: users, groups or a topic (or broadcast: true).');
    expect(await refused({ ...good, broadcast: true })).toBe('broadcast: true goes to everyone; it cannot be combined with users, groups or topic.');
    expect(await refused({ ...good, type: 'lunch.ready' })).toMatch(/^Invalid field type: must be one of batch\.assigned, .*decision\.made\.$/);
    expect(await refused({ ...good, users: ['u-ana', 'u-ghost'] })).toBe('Unknown user in users: u-ghost.');
    expect(await refused({ ...good, topic: 'everyone' })).toBe('Unknown topic "everyone": use assignment.{id}, escalations.{group} or user.{id}.');
    expect(await refused({ ...good, ttl_seconds: 0 })).toMatch(/^Invalid field ttl_seconds/);
    expect(await refused(good, '')).toBe('The Idempotency-Key header is required.');
    expect(sb.push.bounds()).toEqual({ current_min_seq: 1, current_max_seq: 0 });

    const first = await post<{ job_id: string; seq_assigned: { min: number; max: number } }>(sb, sam, '/push/v1/notifications', good, 'k-1');
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ job_id: expect.stringMatching(/^job-/), seq_assigned: { min: 1, max: 1 } });
    const again = await post(sb, sam, '/push/v1/notifications', good, 'k-1');
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(sb.push.bounds().current_max_seq).toBe(1);
    expect((await post<ServiceError>(sb, sam, '/push/v1/notifications', { ...good, title: 'Rejected' }, 'k-1')).body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    const broadcast = await post(sb, sam, '/push/v1/notifications', { broadcast: true, type: 'dataset.ready', title: 'Batch 7 is done' }, 'k-2');
    // One seq per user of the sandbox (ana, sam, maria), after the first publish's.
    expect(broadcast.body).toMatchObject({ seq_assigned: { min: 2, max: 1 + sb.users.length } });
    expect(sb.users).toHaveLength(3);
    expect(sb.push.publish(good, 'handle-key')).toEqual(sb.push.publish(good, 'handle-key'));
    expect(() => sb.push.publish({ ...good, users: [] })).toThrow('A notification needs recipients');
  });

  it('gives every recipient a seq of their own: users, group members and topic followers, each once', async () => {
    const sb = await sandbox({ fixture: threeReviewers() });
    const ana = (await signIn(sb, 'ana')).access_token;
    const kim = (await signIn(sb, 'kim')).access_token;
    const device = await post<{ id: string }>(sb, ana, '/push/v1/devices', { installation_id: 'i', runtime: 'desktop-win', app_version: '1' }, 'd');
    await api(sb, ana, `/push/v1/devices/${device.body.id}/topics/escalations.support-sme`, { method: 'PUT' });

    const group = await post<{ job_id: string; seq_assigned: { min: number; max: number } }>(
      sb,
      ana,
      '/push/v1/notifications',
      { groups: ['support-sme'], users: ['u-sam'], type: 'review.requested', title: 'Please look', summary: 'Item 4' },
      'g-1',
    );
    expect(group.body.seq_assigned).toEqual({ min: 1, max: 3 });
    const job = await api(sb, ana, `/push/v1/jobs/${group.body.job_id}`);
    expect(job.body).toEqual({ job_id: group.body.job_id, state: 'completed', recipients: 3, seq_assigned: { min: 1, max: 3 }, created: expect.any(String) });
    expect((await api(sb, kim, `/push/v1/jobs/${group.body.job_id}`)).status).toBe(404);

    const topic = await post(sb, kim, '/push/v1/notifications', { topic: 'escalations.support-sme', type: 'review.requested', title: 'On the topic', summary: '' }, 't-1');
    expect(topic.body).toMatchObject({ seq_assigned: { min: 4, max: 4 } });
    const anaGot = await catchUp(sb, ana, 0, 10);
    expect(anaGot.items.map((item) => [item.seq, item.title, item.topic])).toEqual([[4, 'On the topic', 'escalations.support-sme']]);
    const kimGot = await catchUp(sb, kim, 0, 10);
    expect(kimGot.items).toHaveLength(1);
    expect(kimGot.items[0]?.id).toBe((await catchUp(sb, (await signIn(sb, 'sam')).access_token, 0, 10)).items[0]?.id);

    const nobody = await post(sb, kim, '/push/v1/notifications', { groups: ['no-such-group'], type: 'pipeline.failed', title: 'x' }, 'n-1');
    expect(nobody.body).toMatchObject({ seq_assigned: { min: 5, max: 4 } });
  });
});

describe('Push sandbox: the stream', () => {
  it('opens with the retry hint, replays what came after Last-Event-ID, then goes live', async () => {
    const sb = await sandbox({ push: { retryMs: 1234 } });
    const ana = (await signIn(sb, 'ana')).access_token;
    for (const title of ['one', 'two', 'three']) sb.push.publish(note('u-ana', title));
    sb.push.publish(note('u-sam', 'not for ana'));

    const stream = await SseClient.open(sb, ana, 1);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await stream.waitForNotifications(2);
    expect(stream.frames[0]).toEqual({ retry: 1234 });
    expect(stream.frames[1]).toMatchObject({ event: 'notification', id: '2' });
    sb.push.publish({ ...note('u-ana', 'four'), topic: 'user.u-ana', collapse_key: 'c-1', ttl_seconds: 60, data: { assignment_id: 'asg-support-triage' } });
    const got = await stream.waitForNotifications(3);
    expect(got.map((item) => [item.seq, item.title])).toEqual([
      [2, 'two'],
      [3, 'three'],
      [5, 'four'],
    ]);
    expect(got[2]).toEqual({
      seq: 5,
      id: expect.stringMatching(/^ntf-/),
      type: 'annotation.completed',
      title: 'four',
      summary: 'four summary',
      topic: 'user.u-ana',
      collapse_key: 'c-1',
      created: expect.any(String),
      expires: new Date(Date.parse(got[2]?.created ?? '') + 60_000).toISOString(),
      data: { assignment_id: 'asg-support-triage' },
    });

    const fresh = await SseClient.open(sb, ana);
    await fresh.waitFor((frames) => frames.length === 1);
    sb.push.publish(note('u-ana', 'five'));
    expect((await fresh.waitForNotifications(1)).map((item) => item.title)).toEqual(['five']);
    expect(sb.push.openStreams()).toBe(2);
  });

  it('sends reset and closes when Last-Event-ID is older than what is kept, or from another history', async () => {
    const sb = await sandbox({ push: { retentionEvents: 3 } });
    const ana = (await signIn(sb, 'ana')).access_token;
    for (let index = 1; index <= 5; index += 1) sb.push.publish(note('u-ana', `n${index}`));
    expect(sb.push.bounds()).toEqual({ current_min_seq: 3, current_max_seq: 5 });

    const kept = await SseClient.open(sb, ana, 2);
    expect((await kept.waitForNotifications(3)).map((item) => item.seq)).toEqual([3, 4, 5]);
    const tooOld = await SseClient.open(sb, ana, 1);
    expect(await tooOld.closed).toBe('end');
    expect(tooOld.frames.at(-1)).toEqual({ event: 'reset', data: JSON.stringify({ current_min_seq: 3, current_max_seq: 5 }) });

    sb.push.faults.clearHistory(4);
    expect(sb.push.bounds()).toEqual({ current_min_seq: 5, current_max_seq: 5 });
    const cleared = await SseClient.open(sb, ana, 3);
    expect(await cleared.closed).toBe('end');
    expect(cleared.frames.map((frame) => frame.event)).toEqual([undefined, 'reset']);
    sb.push.faults.clearHistory();
    expect(sb.push.bounds()).toEqual({ current_min_seq: 6, current_max_seq: 5 });
    const upToDate = await SseClient.open(sb, ana, 5);
    const ahead = await SseClient.open(sb, ana, 99);
    expect(await ahead.closed).toBe('end');
    expect(ahead.frames.at(-1)?.event).toBe('reset');
    expect(sb.push.openStreams()).toBe(2);
    await upToDate.waitFor((frames) => frames.length === 1);
    expect(upToDate.frames).toEqual([{ retry: 3000 }]);
    expect((await api(sb, ana, '/push/v1/notifications/seq-bounds')).body).toEqual({ current_min_seq: 6, current_max_seq: 5 });
  });

  it('ends with auth_expired when the token is expired on purpose; the refreshed token streams again', async () => {
    const sb = await sandbox();
    const ana: Tokens = await signIn(sb, 'ana');
    const sam = (await signIn(sb, 'sam')).access_token;
    const anaStream = await SseClient.open(sb, ana.access_token);
    const samStream = await SseClient.open(sb, sam);

    sb.push.faults.expireTokens('u-ana');
    expect(await anaStream.closed).toBe('end');
    expect(anaStream.frames.at(-1)).toEqual({ event: 'auth_expired', data: '{"reason":"expired"}' });
    const refused = await SseClient.open(sb, ana.access_token);
    expect(refused.status).toBe(401);
    expect(JSON.parse(await refused.body())).toEqual({ fault: { faultstring: 'Access Token expired', detail: { errorcode: 'keymanagement.service.access_token_expired' } } });
    expect(sb.push.openStreams()).toBe(1);

    const refreshed = (await (await tokenRequest(sb, { grant_type: 'refresh_token', refresh_token: ana.refresh_token })).json()) as Tokens;
    const again = await SseClient.open(sb, refreshed.access_token);
    expect(again.status).toBe(200);
    sb.push.publish(note('u-sam', 'still here'));
    expect((await samStream.waitForNotifications(1))[0]?.title).toBe('still here');
    const noToken = await SseClient.open(sb, undefined);
    expect(noToken.status).toBe(401);
  });

  it('ends with auth_expired when the sandbox clock passes the token expiry', async () => {
    const sb = await sandbox({ accessTokenTtlSeconds: 600 });
    const ana = (await signIn(sb, 'ana')).access_token;
    const stream = await SseClient.open(sb, ana);
    sb.clock.advance(599_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sb.push.openStreams()).toBe(1);
    sb.clock.advance(2000);
    expect(await stream.closed).toBe('end');
    expect(stream.frames.map((frame) => frame.event)).toEqual([undefined, 'auth_expired']);
  });

  it('sends a keepalive comment every keepaliveMs', async () => {
    const sb = await sandbox({ push: { keepaliveMs: 40 } });
    const stream = await SseClient.open(sb, (await signIn(sb, 'ana')).access_token);
    await stream.waitFor((frames) => frames.filter((frame) => frame.comment === 'keepalive').length >= 3, 2000);
    expect(stream.frames[0]).toEqual({ retry: 3000 });
  });

  it('stalls: sends nothing at all while stalled, then what it missed, in order', async () => {
    const sb = await sandbox({ push: { keepaliveMs: 30 } });
    const ana = (await signIn(sb, 'ana')).access_token;
    const stream = await SseClient.open(sb, ana);
    await stream.waitFor((frames) => frames.some((frame) => frame.comment === 'keepalive'));
    sb.push.faults.stall(true);
    const before = stream.frames.length;
    sb.push.publish(note('u-ana', 'a'));
    sb.push.publish(note('u-ana', 'b'));
    const late = await SseClient.open(sb, ana, 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stream.frames.length).toBe(before);
    expect(late.frames).toEqual([]);
    expect(sb.push.openStreams()).toBe(2);

    sb.push.faults.stall(false);
    expect((await stream.waitForNotifications(2)).map((item) => item.title)).toEqual(['a', 'b']);
    expect((await late.waitForNotifications(2)).map((item) => item.seq)).toEqual([1, 2]);
    expect(late.frames[0]).toEqual({ retry: 3000 });
  });

  it('drops every open stream mid-flight; a reconnect with Last-Event-ID loses nothing', async () => {
    const sb = await sandbox();
    const ana = (await signIn(sb, 'ana')).access_token;
    const sam = (await signIn(sb, 'sam')).access_token;
    const anaStream = await SseClient.open(sb, ana);
    await SseClient.open(sb, sam);
    sb.push.publish(note('u-ana', 'before'));
    await anaStream.waitForNotifications(1);

    expect(sb.push.faults.dropConnections()).toBe(2);
    expect(await anaStream.closed).toBe('cut');
    expect(sb.push.openStreams()).toBe(0);
    sb.push.publish(note('u-ana', 'while away'));
    const back = await SseClient.open(sb, ana, anaStream.notifications().at(-1)?.seq);
    expect((await back.waitForNotifications(1)).map((item) => item.title)).toEqual(['while away']);

    const dropped = await fetch(`${sb.url}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ push: { dropConnections: true } }) });
    expect(await dropped.json()).toMatchObject({ push: { dropped: 1, stalled: false, dropRandomly: null } });
    expect(await back.closed).toBe('cut');
  });

  it('drops a stream after an event with the given probability, the same way for the same seed', async () => {
    const sb = await sandbox();
    const ana = (await signIn(sb, 'ana')).access_token;
    for (let index = 1; index <= 20; index += 1) sb.push.publish(note('u-ana', `n${index}`));

    /** Reconnects from the last seq seen until all 20 arrived; returns how many each connection brought. */
    const cutsWith = async (seed: number) => {
      sb.push.faults.dropRandomly(0.3, seed);
      const lengths: number[] = [];
      const seen: number[] = [];
      while (seen.length < 20) {
        const stream = await SseClient.open(sb, ana, seen.at(-1) ?? 0);
        const all = stream.waitFor((frames) => seen.length + frames.filter((frame) => frame.event === 'notification').length >= 20);
        await Promise.race([stream.closed, all.catch(() => undefined)]);
        stream.close();
        lengths.push(stream.notifications().length);
        seen.push(...stream.notifications().map((item) => item.seq));
      }
      expect(seen).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
      return lengths;
    };
    const first = await cutsWith(7);
    // Each cut comes after an event went out, so every connection brought at least that one.
    expect(first.length).toBeGreaterThan(2);
    expect(first.every((count) => count > 0)).toBe(true);
    expect(await cutsWith(7)).toEqual(first);

    sb.push.faults.dropRandomly(null);
    const calm = await SseClient.open(sb, ana, 0);
    await calm.waitForNotifications(20);
    expect(await Promise.race([calm.closed, new Promise((resolve) => setTimeout(() => resolve('open'), 100))])).toBe('open');
  });
});

describe('Push sandbox: catch-up and persistence', () => {
  it('pages through exactly what the stream delivered, expired notifications left out of both', async () => {
    const sb = await sandbox();
    const ana = (await signIn(sb, 'ana')).access_token;
    const stream = await SseClient.open(sb, ana, 0);
    for (let index = 1; index <= 25; index += 1) {
      sb.push.publish({ ...note(index % 3 === 0 ? 'u-sam' : 'u-ana', `n${index}`), ...(index === 4 ? { ttl_seconds: 30 } : {}) });
    }
    const streamed = await stream.waitForNotifications(17);
    const paged = await catchUp(sb, ana, 0, 5);
    expect(paged.items).toEqual(streamed);
    expect(paged.pages.map((page) => page._embedded.collection.length)).toEqual([5, 5, 5, 2]);
    expect(paged.pages.at(-1)?._links.next).toBeUndefined();
    expect(paged.pages[0]).toMatchObject({ items_per_page: 5, current_min_seq: 1, current_max_seq: 25 });
    expect((await catchUp(sb, ana, 20, 100)).items.map((item) => item.seq)).toEqual([22, 23, 25]);

    sb.clock.advance(31_000);
    const later = await catchUp(sb, ana, 0, 100);
    expect(later.items.map((item) => item.title)).not.toContain('n4');
    const replayed = await SseClient.open(sb, ana, 0);
    const again = await replayed.waitForNotifications(16);
    expect(again).toEqual(later.items);
    expect((await api<ServiceError>(sb, ana, '/push/v1/notifications?limit=1001')).body.message).toBe('limit may be at most 1000.');
    expect((await api<ServiceError>(sb, ana, '/push/v1/notifications?after_seq=-1')).status).toBe(400);
  });

  it('keeps seq, history and devices across a restart with the same data folder', async () => {
    const dataDir = tempDir();
    const first = await startFile360Sandbox({ dataDir });
    for (const title of ['a', 'b', 'c']) first.push.publish(note('u-ana', title));
    const ana = (await signIn(first, 'ana')).access_token;
    await post(first, ana, '/push/v1/devices', { installation_id: 'i', runtime: 'desktop-linux', app_version: '1' }, 'd');
    await first.close();

    const second = await startFile360Sandbox({ dataDir });
    onTestFinished(() => second.close());
    expect(second.push.bounds()).toEqual({ current_min_seq: 1, current_max_seq: 3 });
    expect(second.push.publish(note('u-ana', 'd')).seq_assigned).toEqual({ min: 4, max: 4 });
    const token = (await signIn(second, 'ana')).access_token;
    expect((await catchUp(second, token, 0, 10)).items.map((item) => `${item.seq}${item.title}`)).toEqual(['1a', '2b', '3c', '4d']);
    expect(second.push.devices('u-ana')).toHaveLength(1);
  });
});

describe('Push sandbox: File 360 tells people about its own changes', () => {
  const escalation = {
    assignment_id: 'asg-support-triage',
    reason: 'low_confidence',
    note: 'Billing or account access?',
    priority: 'normal',
    item: { input_hash: 1, task: { text: 'Reset link expired' }, versions: [{ answer: 'accept', session_id: 's' }], file_ids: [] },
  };

  it('asks the reviewer group to review an escalation and tells its author the decision', async () => {
    const sb = await sandbox();
    const ana = (await signIn(sb, 'ana')).access_token;
    const sam = (await signIn(sb, 'sam')).access_token;
    const samStream = await SseClient.open(sb, sam);
    const anaStream = await SseClient.open(sb, ana);

    const created = await post<{ id: string }>(sb, ana, '/file360/v1/escalations', escalation, 'e-1');
    const [review] = await samStream.waitForNotifications(1);
    expect(review).toMatchObject({
      type: 'review.requested',
      topic: 'escalations.support-sme',
      collapse_key: `review.requested:${created.body.id}`,
      data: { assignment_id: 'asg-support-triage', escalation_id: created.body.id, dataset: 'support_intents_batch7' },
    });
    expect(review?.summary).toContain('Ana Ruiz escalated an item (low confidence)');
    expect(anaStream.notifications()).toEqual([]);

    await post(sb, sam, `/file360/v1/escalations/${created.body.id}`, { action: 'complete', outcome: 'approved', comment: 'Looks right.' });
    const [decision] = await anaStream.waitForNotifications(1);
    expect(decision).toMatchObject({
      type: 'decision.made',
      collapse_key: `decision.made:${created.body.id}`,
      data: { assignment_id: 'asg-support-triage', escalation_id: created.body.id },
    });
    expect(decision?.summary).toContain('Sam Okafor approved');
  });

  it('announces new files, new assignments and an expiration a day away, each once', async () => {
    const sb = await sandbox({ accessTokenTtlSeconds: 10 * 86_400 });
    const ana = (await signIn(sb, 'ana')).access_token;
    const stream = await SseClient.open(sb, ana);
    sb.admin.addFile('asg-support-triage', { path: 'tickets/ticket-999.txt', text: 'new\n' });
    const [template] = sampleFixture().assignments;
    if (!template) throw new Error('no template');
    sb.admin.addAssignment({ ...template, id: 'asg-new', name: 'Fresh batch', files: [] });
    const [files, shared] = await stream.waitForNotifications(2);
    expect(files).toMatchObject({ type: 'batch.assigned', topic: 'assignment.asg-support-triage', data: { assignment_id: 'asg-support-triage' } });
    expect(shared).toMatchObject({ type: 'task.assigned', topic: 'assignment.asg-new', data: { assignment_id: 'asg-new' } });

    const releaseNotes = sb.admin.assignments().find((assignment) => assignment.id === 'asg-release-notes');
    const until = Date.parse(releaseNotes?.expiration ?? '') - sb.clock.now().getTime();
    sb.clock.advance(until - DAY - 60_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stream.notifications()).toHaveLength(2);
    sb.clock.advance(120_000);
    const deadline = (await stream.waitForNotifications(3)).at(-1) as PushNotification;
    expect(deadline).toMatchObject({ type: 'deadline.approaching', topic: 'assignment.asg-release-notes', data: { assignment_id: 'asg-release-notes' } });
    sb.clock.advance(60_000);
    await fetch(`${sb.url}/__sandbox/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 60_000 }) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stream.notifications().filter((item) => item.type === 'deadline.approaching').map((item) => item.data.assignment_id)).toEqual(['asg-release-notes']);
  });
});

describe('npm run sandbox -- publish', () => {
  function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; child: ChildProcess }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr, child })));
  }

  it('publishes through a running sandbox and prints the job; a refused one says why', async () => {
    const sb = await sandbox();
    const sam = (await signIn(sb, 'sam')).access_token;
    const stream = await SseClient.open(sb, sam);

    const sent = await run(['publish', '--type', 'review.requested', '--user', 'sam', '--title', 'Look at this', '--summary', 'Item 7', '--data', '{"assignment_id":"asg-support-triage"}', '--server', sb.url]);
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toEqual({ job_id: expect.stringMatching(/^job-/), seq_assigned: { min: 1, max: 1 } });
    const [got] = await stream.waitForNotifications(1);
    expect(got).toMatchObject({ type: 'review.requested', title: 'Look at this', summary: 'Item 7', data: { assignment_id: 'asg-support-triage' } });

    const refused = await run(['publish', '--type', 'review.requested', '--title', 'To nobody', '--server', sb.url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('The sandbox refused the notification (400): A notification needs recipients');
  });

  it('says where Push is when the sandbox starts', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/cli.ts', 'file360', '--port', '0', '--data-dir', tempDir()], { stdio: ['ignore', 'pipe', 'pipe'] });
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const output = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('Press Ctrl+C to stop.')) resolve(text);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
    });
    const url = /Base URL:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
    expect(output).toContain(`Push:       ${url}/push/v1`);
    const state = (await (await fetch(`${url}/__sandbox/push`)).json()) as { current_max_seq: number; open_streams: number };
    expect(state).toMatchObject({ current_max_seq: 0, open_streams: 0 });
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
  });
});

import { describe, expect, it } from 'vitest';
import { sandbox } from '../support/sandbox-file360';
import { pushHarness, reaches, waitFor, type PushHarness } from '../support/push-harness';
import { tempDir } from '../support/tmp';
import type { File360Sandbox } from '../../sandbox/file360';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Publishes `count` notifications to Ana; returns their seqs. */
function publish(sb: File360Sandbox, count: number, label = 'Batch'): number[] {
  const seqs: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const { seq_assigned } = sb.push.publish({ users: ['ana'], type: 'batch.assigned', title: `${label} ${i}`, summary: `Item ${i}`, data: { n: i } });
    seqs.push(...range(seq_assigned.min, seq_assigned.max));
  }
  return seqs;
}

const allStored = (ana: PushHarness, seqs: number[], timeoutMs?: number) => waitFor(() => ana.storedSeqs().length >= seqs.length && ana.cursor() === seqs.at(-1), `${seqs.length} notifications stored`, timeoutMs);
const connects = (ana: PushHarness) => ana.states.filter((state) => state === 'connecting').length;

describe('the Push stream', () => {
  it('stores every one of 1 000 notifications once, in order, while the connection keeps dropping', async () => {
    const sb = await sandbox({ push: { retryMs: 5, keepaliveMs: 1000 } });
    // Reconnects wait a few ms, not seconds: the drops are many and the test is about what arrives.
    const ana = await pushHarness(sb, tempDir(), { reconnect: { maxMs: 40 } });
    await ana.client.start();
    await reaches(ana, 'live');
    sb.push.faults.dropRandomly(0.02, 7);
    const published: number[] = [];
    for (let round = 0; round < 10; round += 1) {
      published.push(...publish(sb, 100));
      sb.push.faults.dropConnections();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await allStored(ana, published, 60_000);
    expect(ana.storedSeqs()).toEqual(published);
    // The drops really happened: the client reconnected many times.
    expect(connects(ana)).toBeGreaterThan(10);
  }, 90_000);

  it('after being away longer than Push keeps history, fetches what is left and says some expired', async () => {
    const sb = await sandbox({ push: { retryMs: 5 } });
    const ana = await pushHarness(sb, tempDir());
    await ana.client.start();
    await reaches(ana, 'live');
    const before = publish(sb, 5, 'Before');
    await allStored(ana, before);
    await ana.client.stop();

    const missed = publish(sb, 10, 'While away');
    sb.push.faults.clearHistory(missed[4]);
    const retained = missed.slice(5);
    await ana.client.start();
    await allStored(ana, [...before, ...retained]);
    expect(ana.gaps).toEqual([{ afterSeq: before.at(-1), firstRetainedSeq: retained[0] }]);
    expect(ana.states).toContain('catching-up');
    expect(ana.logger.lines.some((line) => line.message === 'push notifications expired before this device fetched them')).toBe(true);

    // The stream goes on from where catch-up ended.
    await reaches(ana, 'live');
    const after = publish(sb, 3, 'After');
    await allStored(ana, [...before, ...retained, ...after]);
    expect(ana.storedSeqs()).toEqual([...before, ...retained, ...after]);
  });

  it('refreshes the token when the stream says it expired, and loses nothing meanwhile', async () => {
    const sb = await sandbox({ push: { retryMs: 5 } });
    const ana = await pushHarness(sb, tempDir());
    await ana.client.start();
    await reaches(ana, 'live');
    const first = publish(sb, 5, 'First');
    await allStored(ana, first);
    const refreshes = sb.stats().tokenRefreshes;

    sb.push.faults.expireTokens(ana.userId);
    const meanwhile = publish(sb, 5, 'Meanwhile');
    await waitFor(() => sb.stats().tokenRefreshes > refreshes, 'a token refresh');
    await reaches(ana, 'live');
    const after = publish(sb, 5, 'After');
    await allStored(ana, [...first, ...meanwhile, ...after]);
    expect(ana.storedSeqs()).toEqual([...first, ...meanwhile, ...after]);
    expect(sb.stats().tokenRefreshes).toBe(refreshes + 1);
    expect(ana.session.account()).not.toBeNull();
    // Straight back, not backed off.
    expect(ana.states).toEqual(['connecting', 'live', 'connecting', 'live']);
  });

  it('takes a stalled connection for dead after the keepalive timeout and reconnects', async () => {
    const sb = await sandbox({ push: { retryMs: 5, keepaliveMs: 50 } });
    const ana = await pushHarness(sb, tempDir(), { keepaliveTimeoutMs: 300 });
    await ana.client.start();
    await reaches(ana, 'live');
    const connectsBefore = connects(ana);

    sb.push.faults.stall(true);
    const during = publish(sb, 3, 'During the stall');
    await waitFor(() => connects(ana) > connectsBefore, 'a reconnect while stalled');
    expect(ana.logger.lines.some((line) => String(line.fields?.reason).startsWith('nothing received for 300 ms'))).toBe(true);
    expect(ana.storedSeqs()).toEqual([]);

    sb.push.faults.stall(false);
    await allStored(ana, during);
    expect(ana.storedSeqs()).toEqual(during);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignmentLayout } from '../../electron/core/services/assignments/layout';
import { addAssignment, filesUnder, idle, onDisk, signedInApp, until } from '../support/file360-app';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

const MiB = 1024 * 1024;

describe('syncing over a bad network', () => {
  it('resumes a file after the connection resets mid-body, without fetching the received bytes again', async () => {
    const sb = await sandbox();
    addAssignment(sb, 'asg-big', [{ id: 'fil-big', path: 'video/big.bin', size: 8 * MiB }]);
    sb.faults.set({ resetAfterBytes: { bytes: 4 * MiB, times: 1, pathPrefix: '/file360/v1/files/fil-big' } });
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir);
    await idle(app);

    const [big] = onDisk(sb, dataDir, 'asg-big');
    expect(big?.sha256).toBe(big?.item.sha256);
    const ranges = sb.stats().rangeHeaders['fil-big'] ?? [];
    expect(ranges).toHaveLength(1);
    const resumedFrom = Number(/^bytes=(\d+)-$/.exec(ranges[0] ?? '')?.[1]);
    expect(resumedFrom).toBeGreaterThan(0);
    expect(resumedFrom).toBeLessThanOrEqual(4 * MiB);
    // The server's own count: the 4 MiB before the reset, then only what the app did not yet have.
    expect(sb.stats().contentBytes['fil-big']).toBe(4 * MiB + (8 * MiB - resumedFrom));
  });

  it('never exposes wrong bytes: the file is fetched again until its checksum matches', async () => {
    const sb = await sandbox();
    addAssignment(sb, 'asg-bytes', [{ id: 'fil-a', path: 'a.bin', size: 300_000 }, { id: 'fil-b', path: 'b.bin', size: 1000 }]);
    sb.faults.set({ wrongBytes: { times: 2, pathPrefix: '/file360/v1/files/fil-a' } });
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir);
    await idle(app);
    expect(onDisk(sb, dataDir, 'asg-bytes').map((f) => f.sha256 === f.item.sha256)).toEqual([true, true]);
    expect(sb.stats().contentRequests['fil-a']).toBe(3);
  });

  it('marks a file that keeps arriving wrong as failed, in words, and never writes it under its name', async () => {
    const sb = await sandbox();
    addAssignment(sb, 'asg-bytes', [{ id: 'fil-a', path: 'docs/a.bin', size: 70_000 }, { id: 'fil-b', path: 'b.bin', size: 1000 }]);
    sb.faults.set({ wrongBytes: { pathPrefix: '/file360/v1/files/fil-a' } });
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir);
    const list = await idle(app);
    const assignment = list.find((a) => a.id === 'asg-bytes');
    expect(assignment?.sync).toMatchObject({ state: 'problem', problems: 1, error: expect.stringContaining('could not be downloaded') });
    const page = await app.call('assignments.files', { id: 'asg-bytes', problemsOnly: true });
    expect(page.rows).toEqual([expect.objectContaining({ id: 'fil-a', state: 'error', error: 'The downloaded file did not match its checksum.' })]);
    expect(fs.existsSync(path.join(assignmentLayout(dataDir, 'asg-bytes').files, 'docs', 'a.bin'))).toBe(false);
    expect(filesUnder(assignmentLayout(dataDir, 'asg-bytes').partial)).toEqual([]);

    sb.faults.reset();
    await app.call('sync.start', { id: 'asg-bytes' });
    expect((await idle(app)).find((a) => a.id === 'asg-bytes')?.sync.state).toBe('synced');
  });

  it('converges through a storm of 500s, 503s and 429s with Retry-After', async () => {
    const sb = await sandbox();
    addAssignment(
      sb,
      'asg-storm',
      Array.from({ length: 40 }, (_, i) => ({ path: `f/${i}.bin`, size: 2000 + i * 97 })),
    );
    sb.faults.set({ errorRate: 0.3, rateLimitRate: 0.2, retryAfterSeconds: 0, seed: 7, pathPrefix: '/file360/v1/' });
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir);
    const list = await idle(app, 60_000);
    expect(list.find((a) => a.id === 'asg-storm')?.sync.state).toBe('synced');
    expect(onDisk(sb, dataDir, 'asg-storm').every((f) => f.sha256 === f.item.sha256)).toBe(true);
    const served = Object.values(sb.stats().requests).reduce((a, b) => a + b, 0);
    expect(served).toBeGreaterThan(40); // the storm really happened
  });

  it('gives up on a stalled body after the timeout and fetches the rest', async () => {
    const sb = await sandbox();
    addAssignment(sb, 'asg-stall', [{ id: 'fil-s', path: 's.bin', size: 500_000 }]);
    sb.faults.set({ stallAfterBytes: { bytes: 100_000, times: 1, pathPrefix: '/file360/v1/files/fil-s' } });
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir, {
      tuning: { http: { bodyTimeoutMs: 300, initialDelayMs: 5, maxDelayMs: 50 }, syncRetry: { maxAttempts: 5, initialDelayMs: 5, maxDelayMs: 50 } },
    });
    await idle(app);
    expect(onDisk(sb, dataDir, 'asg-stall')[0]?.sha256).toBe(onDisk(sb, dataDir, 'asg-stall')[0]?.item.sha256);
    expect(sb.stats().rangeHeaders['fil-s']?.[0]).toMatch(/^bytes=\d+-$/);
  });

  it('reports progress at most about ten times a second', async () => {
    const sb = await sandbox();
    // About three seconds of downloading: 8 streams of 512 KB/s through 12 MB.
    addAssignment(sb, 'asg-paced', Array.from({ length: 48 }, (_, i) => ({ path: `p/${i}.bin`, size: 250_000 })));
    sb.faults.set({ slowBodyBytesPerSecond: { bytesPerSecond: 512 * 1024, pathPrefix: '/file360/v1/files/' } });
    const app = await signedInApp(sb, path.join(tempDir(), 'data'));
    const times: number[] = [];
    app.companion.events.subscribe((event, payload) => {
      if (event === 'sync.progress' && (payload as { assignmentId: string }).assignmentId === 'asg-paced') times.push(Date.now());
    });
    await idle(app);
    expect(times.length).toBeGreaterThan(15);
    const busiestSecond = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    expect(busiestSecond).toBeLessThanOrEqual(12);
  });

  it('pauses, keeps the partial download, and resumes it with a range', async () => {
    const sb = await sandbox();
    addAssignment(sb, 'asg-slow', [{ id: 'fil-slow', path: 'slow.bin', size: 3 * MiB }]);
    sb.faults.set({ slowBodyBytesPerSecond: { bytesPerSecond: 2 * MiB, pathPrefix: '/file360/v1/files/fil-slow' } });
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir);
    await until(() => Promise.resolve(fs.existsSync(assignmentLayout(dataDir, 'asg-slow').partial) ? filesUnder(assignmentLayout(dataDir, 'asg-slow').partial) : []), (files) => files.length > 0);
    await until(() => app.call('assignments.list'), (list) => list.some((a) => a.id === 'asg-slow' && a.sync.state === 'syncing'));
    await new Promise((resolve) => setTimeout(resolve, 400));
    await app.call('sync.pause', { id: 'asg-slow' });
    const paused = (await app.call('assignments.list')).find((a) => a.id === 'asg-slow');
    expect(paused?.sync.state).toBe('paused');
    const [partial] = filesUnder(assignmentLayout(dataDir, 'asg-slow').partial);
    const kept = fs.statSync(path.join(assignmentLayout(dataDir, 'asg-slow').partial, partial ?? '')).size;
    expect(kept).toBeGreaterThan(0);

    sb.faults.reset();
    await app.call('sync.start', { id: 'asg-slow' });
    await idle(app);
    expect(sb.stats().rangeHeaders['fil-slow']).toEqual([`bytes=${kept}-`]);
    expect(onDisk(sb, dataDir, 'asg-slow')[0]?.sha256).toBe(onDisk(sb, dataDir, 'asg-slow')[0]?.item.sha256);
  });

  it('cancels, throwing away the partial download', async () => {
    const sb = await sandbox();
    addAssignment(sb, 'asg-slow', [{ id: 'fil-slow', path: 'slow.bin', size: 3 * MiB }]);
    sb.faults.set({ slowBodyBytesPerSecond: { bytesPerSecond: 2 * MiB, pathPrefix: '/file360/v1/files/fil-slow' } });
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir);
    await until(() => app.call('assignments.list'), (list) => list.some((a) => a.id === 'asg-slow' && a.sync.state === 'syncing'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await app.call('sync.cancel', { id: 'asg-slow' });
    expect(filesUnder(assignmentLayout(dataDir, 'asg-slow').partial)).toEqual([]);
    expect((await app.call('assignments.list')).find((a) => a.id === 'asg-slow')?.sync.state).not.toBe('syncing');
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { File360Sandbox } from '../../sandbox/file360';
import type { StorageSettings } from '../../sandbox/file360';
import { addAssignment, idle, onDisk, signedInApp } from '../support/file360-app';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

/**
 * CONTRACTS §A.6 (revised): File 360 answers content with a 302 or 307 to a
 * pre-signed URL on another origin. The sandbox's storage listener follows
 * S3's and nginx secure_link's rules, so the app's behaviour there is checked
 * against theirs: a request that also carries the bearer token is refused
 * (400, as S3 does), an expired link is 403.
 */
const BIG = 'fil-big';
const BIG_SIZE = 3 * 1024 * 1024;

async function storageApp(settings: StorageSettings, prepare?: (sb: File360Sandbox) => void) {
  const sb = await sandbox({ storage: settings });
  addAssignment(sb, 'asg-storage', [
    { id: BIG, path: 'big/corpus.bin', size: BIG_SIZE },
    { id: 'fil-small', path: 'small.txt', text: 'a small file\n' },
  ]);
  prepare?.(sb);
  const dataDir = path.join(tempDir(), 'data');
  const app = await signedInApp(sb, dataDir);
  const list = await idle(app);
  return { sb, app, dataDir, list };
}

const objectRequests = (sb: File360Sandbox, fileId: string) => sb.storage.requests().filter((request) => request.path.startsWith(`/objects/${fileId}/`));

async function fileStates(app: Awaited<ReturnType<typeof storageApp>>['app'], id: string) {
  const page = await app.call('assignments.files', { id, limit: 100 });
  return Object.fromEntries(page.rows.map((row) => [row.id, { state: row.state, error: row.error }]));
}

describe('content from object storage behind File 360', () => {
  for (const status of [302, 307] as const) {
    it(`follows a ${status} to a pre-signed link without the bearer token, and verifies every file`, async () => {
      const { sb, dataDir, list } = await storageApp({ redirect: status });
      expect(list.every((a) => a.sync.state === 'synced')).toBe(true);
      for (const id of ['asg-storage', 'asg-support-triage']) {
        for (const { item, sha256 } of onDisk(sb, dataDir, id)) expect(sha256, item.path).toBe(item.sha256);
      }
      const seen = sb.storage.requests();
      // Every file's bytes came from the storage origin, and none of those requests carried the token.
      expect(seen.length).toBeGreaterThanOrEqual(sb.admin.files('asg-storage').length + sb.admin.files('asg-support-triage').length);
      expect(seen.filter((request) => request.authorization)).toEqual([]);
      expect(new Set(seen.map((request) => request.status))).toEqual(new Set([200]));
    });
  }

  it('resumes a download cut short at the storage with Range and the storage’s own ETag in If-Range', async () => {
    const { sb, dataDir, app } = await storageApp({ redirect: 302 }, (sb) => sb.faults.set({ truncateAfterBytes: { bytes: 1024 * 1024, pathPrefix: `/objects/${BIG}/`, times: 1 } }));
    expect((await fileStates(app, 'asg-storage'))[BIG]?.state).toBe('done');
    const [first, second, ...rest] = objectRequests(sb, BIG);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ status: 200, range: null });
    expect(second).toMatchObject({ status: 206, range: expect.stringMatching(/^bytes=[1-9]\d*-$/), ifRange: first?.etag });
    // The storage's validator is its own opaque tag, not File 360's sha256 one.
    expect(first?.etag).not.toContain('sha256:');
    // A fresh link each time: File 360 was asked twice for this file.
    expect(sb.stats().contentRequests[BIG]).toBe(2);
    expect(sb.stats().contentBytes[BIG]).toBeLessThan(BIG_SIZE * 1.5);
    const big = onDisk(sb, dataDir, 'asg-storage').find((file) => file.item.id === BIG);
    expect(big?.sha256).toBe(big?.item.sha256);
  });

  it('takes a 200 to a ranged request as the whole file', async () => {
    const { sb, dataDir, app } = await storageApp({ redirect: 307, ignoreRange: true }, (sb) =>
      sb.faults.set({ truncateAfterBytes: { bytes: 1024 * 1024, pathPrefix: `/objects/${BIG}/`, times: 1 } }),
    );
    expect((await fileStates(app, 'asg-storage'))[BIG]?.state).toBe('done');
    const [, second] = objectRequests(sb, BIG);
    expect(second).toMatchObject({ status: 200, range: expect.stringMatching(/^bytes=/) });
    const big = onDisk(sb, dataDir, 'asg-storage').find((file) => file.item.id === BIG);
    expect(big?.sha256).toBe(big?.item.sha256);
  });

  it('asks File 360 again when the storage says a link has expired (403)', async () => {
    // The first two links File 360 hands out arrive expired, as after a long wait or with a skewed clock.
    const { sb, app } = await storageApp({ redirect: 302, expireNext: 2 });
    expect(Object.values(await fileStates(app, 'asg-storage')).map((file) => file.state)).toEqual(['done', 'done']);
    const refused = sb.storage.requests().filter((request) => request.status === 403);
    expect(refused).toHaveLength(2);
    const total = Object.values(sb.stats().contentRequests).reduce((a, b) => a + b, 0);
    expect(total).toBe(sb.storage.requests().length);
  });

  it('a storage that refuses every fresh link fails those files alone, in words', async () => {
    const { app, list } = await storageApp({ redirect: 302, expireNext: 1_000_000 });
    const files = await fileStates(app, 'asg-storage');
    expect(files[BIG]).toEqual({ state: 'error', error: 'The storage server refused each of 3 fresh download links File 360 gave (403: the link had expired or was not valid).' });
    expect(list.find((a) => a.id === 'asg-storage')?.sync.state).toBe('problem');
    expect((await app.call('app.status')).connection).toBe('online');
  });
});

/** A storage that misbehaves in one way per test: the app must fail that file alone, in words. */
async function brokenStorage(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<string> {
  const server = http.createServer((req, res) => {
    req.resume();
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('a storage origin that answers what the contract does not allow', () => {
  const cases: Array<[string, (req: http.IncomingMessage, res: http.ServerResponse) => void, string]> = [
    [
      'a 206 for a range nobody asked for',
      (_req, res) => res.writeHead(206, { 'Content-Range': 'bytes 5-9/100', 'Content-Length': 5 }).end('12345'),
      'sent a part of the file the app did not ask for (bytes 5-9/100).',
    ],
    ['a 404', (_req, res) => res.writeHead(404, { 'Content-Type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code></Error>'), "answered 404 instead of the file's bytes."],
    ['a redirect back to itself, again and again', (req, res) => res.writeHead(302, { Location: req.url ?? '/' }).end(), 'kept redirecting the download (3 times).'],
    [
      'a redirect on to a plain http server elsewhere',
      (_req, res) => res.writeHead(307, { Location: 'http://mirror.example/object' }).end(),
      'File 360 sent the download to http://mirror.example, which is not a secure (https) address; the app did not follow it.',
    ],
  ];
  for (const [name, answer, words] of cases) {
    it(`${name}: that file fails with words, the others sync`, async () => {
      const base = await brokenStorage(answer);
      const sb = await sandbox();
      addAssignment(sb, 'asg-storage', [{ id: 'fil-small', path: 'small.txt', text: 'a small file\n' }]);
      const app = await signedInApp(sb, path.join(tempDir(), 'data'));
      await idle(app);
      // Only content asked for from now on goes to the broken storage.
      sb.storage.set({ redirect: 302, base });
      sb.admin.updateFile('fil-small', { text: 'a new version\n' });
      await app.call('sync.start', { id: 'asg-storage' });
      await idle(app);
      const files = await fileStates(app, 'asg-storage');
      const host = new URL(base).host;
      expect(files['fil-small']?.state).toBe('error');
      expect(files['fil-small']?.error).toBe(words.startsWith('File 360') ? words : `The storage server ${host} ${words}`);
      expect((await app.call('app.status')).connection).toBe('online');
      expect((await app.call('assignments.list')).find((a) => a.id === 'asg-support-triage')?.sync.state).toBe('synced');
    });
  }
});

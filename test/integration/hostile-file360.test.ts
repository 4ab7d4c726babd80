import { describe, expect, it } from 'vitest';
import type { File360Sandbox } from '../../sandbox/file360';
import { FAST, addAssignment, idle, signedInApp, until } from '../support/file360-app';
import { hostileFile360, type HostileSwitches } from '../support/hostile-file360';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';
import type { CompanionTuning } from '../../electron/core/companion';

/**
 * Issue 13's lists, one test per row: a File 360 that answers what no
 * contract allows. Each bad answer must fail its item alone, in words, and the
 * app must still answer; on the old code each of these ended the process or
 * hung it.
 */
async function hostileApp(switches: HostileSwitches, tuning: CompanionTuning = FAST, prepare?: (sb: File360Sandbox) => void) {
  const sb = await sandbox();
  prepare?.(sb);
  const hostile = await hostileFile360(sb);
  hostile.set(switches);
  // The app only knows the hostile address; the sandbox behind it keeps signing in and serving by the contract.
  const app = await signedInApp({ ...sb, url: hostile.url, users: sb.users } as File360Sandbox, tempDir(), { tuning });
  return { sb, hostile, app };
}

/** The assignment's files by id; none while it is not listed yet. */
async function fileStates(app: Awaited<ReturnType<typeof hostileApp>>['app'], id: string): Promise<Record<string, { state: string; error: string | null }>> {
  const page = await app.raw('assignments.files', { id, limit: 100 });
  if (!page.ok) return {};
  return Object.fromEntries((page.value as { rows: Array<{ id: string; state: string; error: string | null }> }).rows.map((row) => [row.id, { state: row.state, error: row.error }]));
}

const twoFiles = (sb: File360Sandbox) =>
  addAssignment(sb, 'asg-hostile', [
    { id: 'fil-bad', path: 'bad.txt', text: 'the file the server lies about\n'.repeat(10) },
    { id: 'fil-good', path: 'good.txt', text: 'an honest file\n' },
  ]);

describe('a hostile File 360: answers that used to end the process fail one file alone', () => {
  it('a content answer other than 200/206 or a redirect fails that file with words; the others sync', async () => {
    const { app } = await hostileApp({ contentStatus: 204, onlyFile: 'fil-bad' }, FAST, twoFiles);
    await idle(app);
    const files = await fileStates(app, 'asg-hostile');
    expect(files['fil-bad']).toEqual({ state: 'error', error: "File 360 answered 204 instead of the file's bytes." });
    expect(files['fil-good']?.state).toBe('done');
    expect((await app.call('app.status')).connection).toBe('online');
  });

  // CONTRACTS §A.6 (revised) makes a 302 to object storage legal; where it points is still checked.
  for (const [location, words] of [
    ['http://storage.example/bucket/fil-bad', 'File 360 sent the download to http://storage.example, which is not a secure (https) address; the app did not follow it.'],
    ['https://user:pass@storage.example/bucket/fil-bad', 'File 360 sent the download to an address with a user name in it (storage.example); the app did not follow it.'],
    ['ftp://storage.example/fil-bad', 'File 360 sent the download to ftp://storage.example, which is not a secure (https) address; the app did not follow it.'],
  ] as const) {
    it(`a redirect of content to ${location.split(':')[0]}://… is not followed: that file fails with words`, async () => {
      const { app } = await hostileApp({ contentStatus: 302, contentLocation: location, onlyFile: 'fil-bad' }, FAST, twoFiles);
      await idle(app);
      const files = await fileStates(app, 'asg-hostile');
      expect(files['fil-bad']).toEqual({ state: 'error', error: words });
      expect(files['fil-good']?.state).toBe('done');
    });
  }

  it('a 206 for a range the app did not ask for fails that file with words', async () => {
    const { app } = await hostileApp({ unaskedRange: true, onlyFile: 'fil-bad' }, FAST, twoFiles);
    await idle(app);
    const files = await fileStates(app, 'asg-hostile');
    expect(files['fil-bad']).toMatchObject({ state: 'error', error: expect.stringContaining('a part of the file the app did not ask for (bytes 5-') });
    expect(files['fil-good']?.state).toBe('done');
    expect((await app.call('app.status')).connection).toBe('online');
  });

  it('a 200 000-deep array in one assignment’s project hides only that assignment, and never wipes it', async () => {
    const { app, hostile, ports } = await hostileApp({ deepProject: { assignmentId: 'asg-support-triage', depth: 200_000 } }).then((started) => ({ ...started, ports: started.app.ports }));
    const synced = await app.raw('sync.start', {});
    expect(synced.ok).toBe(true);
    const first = await idle(app);
    expect(first.map((a) => a.id)).toEqual(['asg-release-notes']);
    expect(ports.notifier.shown).toContainEqual(expect.objectContaining({ title: 'An assignment could not be read', body: expect.stringContaining('nested more than 32 levels deep') }));

    // Readable again: it syncs. Deep again: the copy on this computer stays, marked with why.
    hostile.set({ deepProject: undefined });
    await app.call('sync.start', {});
    await until(() => idle(app), (list) => list.length === 2 && list.every((a) => a.sync.state === 'synced'));
    hostile.set({ deepProject: { assignmentId: 'asg-support-triage', depth: 200_000 } });
    await app.call('sync.start', {});
    const after = await idle(app);
    const triage = after.find((a) => a.id === 'asg-support-triage');
    expect(triage).toMatchObject({ wiped: null, sync: { state: 'problem', error: expect.stringContaining('in a form the app cannot read (project.nested: nested more than 32 levels deep)') } });
    expect(triage?.sync.filesOnDisk).toBeGreaterThan(0);
  });
});

describe('a hostile File 360: answers that used to degrade the app now stop at once, with words', () => {
  it('a 64 MiB assignment list is not read past 16 MiB', async () => {
    const { app, hostile } = await hostileApp({});
    await idle(app);
    hostile.set({ hugeAssignments: { bytes: 64 * 1024 * 1024 } });
    const result = await app.raw('sync.start', {});
    expect(result).toMatchObject({ ok: false, error: { message: 'File 360 sent an answer larger than 16 MiB; the app stopped reading it.' } });
    const huge = hostile.seen.filter((request) => request.path === '/file360/v1/assignments').at(-1);
    await until(async () => huge?.closedEarly, (closed) => closed === true, 5000);
    // What the kernel's socket buffers held beyond the cap is all that was sent.
    expect(huge?.bytesSent).toBeLessThan(24 * 1024 * 1024);
    expect((await app.call('assignments.list')).length).toBe(2);
  });

  it('a next link pointing at its own page stops at the first repeat', async () => {
    const { app, hostile } = await hostileApp({});
    await idle(app);
    const before = hostile.seen.length;
    hostile.set({ selfNext: true });
    const result = await app.raw('sync.start', {});
    expect(result).toMatchObject({ ok: false, error: { message: 'File 360 pointed the next page back at a page it had already sent; the app stopped following it.' } });
    expect(hostile.seen.slice(before).filter((request) => request.path === '/file360/v1/assignments')).toHaveLength(1);
  });

  it('a body drip-fed a byte at a time fails that file at its deadline, beside the idle timeout', async () => {
    const tuning: CompanionTuning = { ...FAST, fileDeadline: { baseMs: 1500, minBytesPerSecond: 1024 * 1024 } };
    const started = Date.now();
    const { app } = await hostileApp({ dripContent: { everyMs: 250 }, onlyFile: 'fil-bad' }, tuning, twoFiles);
    const files = await until(() => fileStates(app, 'asg-hostile'), (states) => states['fil-bad']?.state === 'error', 12_000);
    expect(files['fil-bad']?.error).toMatch(/^The file took longer than its 2 s limit to arrive; what arrived is kept/);
    expect(files['fil-good']?.state).toBe('done');
    // 300 bytes at 4 a second would take 75 s: the deadline, not the drip, ended it.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

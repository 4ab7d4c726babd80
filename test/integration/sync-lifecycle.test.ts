import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignmentLayout } from '../../electron/core/services/assignments/layout';
import { addAssignment, filesUnder, idle, onDisk, signedInApp, until } from '../support/file360-app';
import { DAY, startedOfflineAfter } from '../support/expiry';
import { ManualClock } from '../support/ports';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

const TRIAGE = 'asg-support-triage';

describe('hostile paths from the server', () => {
  it('are refused one by one with a reason, and nothing is written outside the assignment folder', async () => {
    const sb = await sandbox();
    const hostile = ['../escape.txt', '/etc/passwd-copy', 'C:\\Windows\\x.txt', 'a/../../escape2.txt', 'nul\u0000byte.txt', `${'x'.repeat(4096)}.txt`, 'CON', 'docs/aux.txt'];
    addAssignment(sb, 'asg-hostile', [{ path: 'fine/ok.txt', text: 'fine\n' }, ...hostile.map((p, i) => ({ id: `fil-h${i}`, path: p, text: `hostile ${i}\n` }))]);
    const root = tempDir();
    const dataDir = path.join(root, 'data');
    const app = await signedInApp(sb, dataDir);
    const list = await idle(app);

    const assignment = list.find((a) => a.id === 'asg-hostile');
    expect(assignment?.sync).toMatchObject({ state: 'problem', problems: hostile.length, filesOnDisk: 1 });
    const problems = await app.call('assignments.files', { id: 'asg-hostile', problemsOnly: true, limit: 100 });
    expect(problems.total).toBe(hostile.length);
    for (const row of problems.rows) {
      expect(row.state).toBe('rejected');
      expect(row.error?.length).toBeGreaterThan(10);
    }
    // No file anywhere under the test's root carries a hostile name or a hostile file's content.
    for (const file of filesUnder(root)) {
      expect(path.basename(file)).not.toMatch(/escape|passwd|^x+\.txt$|byte\.txt|^CON$|aux\.txt/);
      if (!/companion\.db/.test(file)) expect(fs.readFileSync(path.join(root, file), 'utf8'), file).not.toMatch(/^hostile \d/m);
    }
    expect(filesUnder(assignmentLayout(dataDir, 'asg-hostile').files)).toEqual([path.join('fine', 'ok.txt')]);
    expect((await app.call('audit.list', { type: 'file.rejected', limit: 100 })).entries).toHaveLength(hostile.length);

    // A second sync does not record the same refusals again.
    await app.call('sync.start', { id: 'asg-hostile' });
    await idle(app);
    expect((await app.call('audit.list', { type: 'file.rejected', limit: 100 })).entries).toHaveLength(hostile.length);
  });

  it('refuses the second of two names that would be one file on a case-insensitive disk', async () => {
    const sb = await sandbox();
    addAssignment(sb, 'asg-case', [{ path: 'Docs/Readme.txt', text: 'one\n' }, { path: 'docs/readme.txt', text: 'two\n' }]);
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir);
    await idle(app);
    const page = await app.call('assignments.files', { id: 'asg-case', problemsOnly: true });
    expect(page.rows).toEqual([expect.objectContaining({ path: 'docs/readme.txt', state: 'rejected', error: expect.stringContaining('same name') })]);
  });
});

describe('changes on the server', () => {
  it('fetch new and changed files and remove deleted ones, and record each', async () => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir);
    await idle(app);
    const [changed, removed] = sb.admin.files(TRIAGE);
    sb.admin.updateFile(changed?.id ?? '', { text: 'a new version of this ticket\n' });
    sb.admin.removeFile(removed?.id ?? '');
    sb.admin.addFile(TRIAGE, { id: 'fil-new', path: 'tickets/new/ticket-999.txt', text: 'a brand new ticket\n' });
    sb.admin.resetStats();

    await app.call('sync.start', { id: TRIAGE });
    await idle(app);
    expect(Object.keys(sb.stats().contentRequests).sort()).toEqual([changed?.id, 'fil-new'].sort());
    const disk = onDisk(sb, dataDir, TRIAGE);
    expect(disk.every((f) => f.exists && f.sha256 === f.item.sha256)).toBe(true);
    expect(fs.existsSync(path.join(assignmentLayout(dataDir, TRIAGE).files, ...(removed?.path ?? '').split('/')))).toBe(false);
    expect(filesUnder(assignmentLayout(dataDir, TRIAGE).files)).toHaveLength(disk.length);
    const types = (await app.call('audit.list', { assignmentId: TRIAGE, limit: 200 })).entries.map((e) => e.type);
    expect(types.filter((t) => t === 'file.removed')).toHaveLength(1);
  });
});

describe('when a share ends, its files leave the laptop', () => {
  it('wipes an assignment File 360 reports as expired, with an audit entry and a notification', async () => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir);
    await idle(app);
    expect(filesUnder(assignmentLayout(dataDir, TRIAGE).root).length).toBeGreaterThan(0);

    sb.faults.expireAssignment(TRIAGE);
    await app.call('sync.start', {});
    const list = await idle(app);
    expect(list.find((a) => a.id === TRIAGE)?.wiped).toMatchObject({ reason: 'expired' });
    expect(fs.existsSync(assignmentLayout(dataDir, TRIAGE).root)).toBe(false);
    const [wiped] = (await app.call('audit.list', { type: 'assignment.wiped' })).entries;
    expect(wiped).toMatchObject({ assignmentId: TRIAGE, details: { reason: 'expired', decidedBy: 'File 360', files: 14 } });
    expect(app.ports.notifier.shown).toEqual([expect.objectContaining({ title: 'Assignment removed from this computer', route: { section: 'assignments', id: TRIAGE } })]);
    expect(await app.raw('sync.start', { id: TRIAGE })).toMatchObject({ ok: false, error: { code: 'ASSIGNMENT_UNAVAILABLE' } });
  });

  it('wipes when File 360 answers 403 ASSIGNMENT_EXPIRED in the middle of a sync', async () => {
    const sb = await sandbox();
    addAssignment(sb, 'asg-mid', Array.from({ length: 6 }, (_, i) => ({ id: `fil-m${i}`, path: `m/${i}.bin`, size: 400_000 })));
    sb.faults.set({ slowBodyBytesPerSecond: { bytesPerSecond: 1_000_000, pathPrefix: '/file360/v1/files/fil-m' } });
    const dataDir = path.join(tempDir(), 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ syncConcurrency: 1 }));
    const app = await signedInApp(sb, dataDir);
    await until(() => Promise.resolve(sb.stats().contentRequests['fil-m0'] ?? 0), (n) => n > 0);
    sb.faults.expireAssignment('asg-mid');
    const list = await until(() => app.call('assignments.list'), (all) => all.find((a) => a.id === 'asg-mid')?.wiped !== null);
    expect(list.find((a) => a.id === 'asg-mid')?.wiped?.reason).toBe('expired');
    expect(fs.existsSync(assignmentLayout(dataDir, 'asg-mid').root)).toBe(false);
  });

  it('wipes a revoked assignment and one that is no longer listed', async () => {
    const sb = await sandbox();
    addAssignment(sb, 'asg-gone', [{ path: 'g.txt', text: 'g\n' }]);
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir);
    await idle(app);
    expect(fs.existsSync(assignmentLayout(dataDir, 'asg-gone').files)).toBe(true);
    sb.faults.revokeAssignment(TRIAGE);
    sb.admin.unshare('asg-gone', 'u-ana');
    await app.call('sync.start', {});
    const list = await idle(app);
    expect(list.find((a) => a.id === TRIAGE)?.wiped?.reason).toBe('revoked');
    expect(list.find((a) => a.id === 'asg-gone')?.wiped?.reason).toBe('removed');
    expect(list.find((a) => a.id === 'asg-release-notes')?.wiped).toBeNull();
    for (const id of [TRIAGE, 'asg-gone']) expect(fs.existsSync(assignmentLayout(dataDir, id).root)).toBe(false);
    expect(app.ports.notifier.shown.map((n) => n.body)).toEqual(
      expect.arrayContaining([expect.stringContaining('was withdrawn'), expect.stringContaining('is no longer shared with you')]),
    );
  });

  it('wipes by this computer’s clock while offline, as soon as the expiry passes', async () => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'data');
    const clock = new ManualClock(new Date().toISOString());
    const app = await signedInApp(sb, dataDir, { ports: { clock } });
    await idle(app);
    await sb.close(); // offline from here on
    const notes = (await app.call('assignments.list')).find((a) => a.id === 'asg-release-notes');
    const expiresIn = Date.parse(notes?.expiration ?? '') - clock.now().getTime();
    expect(expiresIn).toBeGreaterThan(DAY);

    clock.advance(expiresIn - 60_000);
    expect((await app.call('assignments.list')).find((a) => a.id === 'asg-release-notes')?.wiped).toBeNull();
    clock.advance(61_000);
    const after = await until(() => app.call('assignments.list'), (all) => all.find((a) => a.id === 'asg-release-notes')?.wiped !== null);
    expect(after.find((a) => a.id === 'asg-release-notes')?.wiped?.reason).toBe('expired');
    expect(after.find((a) => a.id === TRIAGE)?.wiped).toBeNull();
    expect(fs.existsSync(assignmentLayout(dataDir, 'asg-release-notes').root)).toBe(false);
    const [entry] = (await app.call('audit.list', { type: 'assignment.wiped' })).entries;
    expect(entry?.details).toMatchObject({ decidedBy: 'local clock' });
  });

  it('wipes at start, before any network, what expired while the app was closed', async () => {
    const { dataDir, again } = await startedOfflineAfter(20);
    const list = await again.call('assignments.list');
    expect(list.filter((a) => a.wiped).map((a) => a.id).sort()).toEqual(['asg-release-notes', TRIAGE]);
    expect(filesUnder(path.join(dataDir, 'assignments'))).toEqual([]);
  });

  it('keeps files of a view-only assignment off the laptop and says why', async () => {
    const sb = await sandbox();
    addAssignment(sb, 'asg-view', [{ path: 'v.txt', text: 'v\n' }], { permissions: ['view'] });
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir);
    const list = await idle(app);
    expect(list.find((a) => a.id === 'asg-view')?.sync.error).toMatch(/does not let you download/);
    expect(fs.existsSync(assignmentLayout(dataDir, 'asg-view').files)).toBe(false);
  });
});

describe('the sync timer', () => {
  it('syncs on its own every syncIntervalMinutes, by the app’s clock', async () => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ syncIntervalMinutes: 5 }));
    const clock = new ManualClock(new Date().toISOString());
    const app = await signedInApp(sb, dataDir, { ports: { clock } });
    await idle(app);
    sb.admin.addFile(TRIAGE, { id: 'fil-later', path: 'tickets/later.txt', text: 'arrived later\n' });

    clock.advance(4 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sb.stats().contentRequests['fil-later']).toBeUndefined();
    clock.advance(60_000);
    await until(() => Promise.resolve(onDisk(sb, dataDir, TRIAGE).find((f) => f.item.id === 'fil-later')?.exists), (exists) => exists === true);

    // Turning the timer off (0) stops it.
    await app.call('settings.update', { values: { syncIntervalMinutes: 0 } });
    sb.admin.addFile(TRIAGE, { id: 'fil-never', path: 'tickets/never.txt', text: 'not fetched by the timer\n' });
    clock.advance(60 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sb.stats().contentRequests['fil-never']).toBeUndefined();
  });
});

describe('when a share comes back or changes hands', () => {
  it('brings back an assignment shared again after it was wiped, and syncs it from scratch', async () => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir);
    await idle(app);
    sb.faults.expireAssignment(TRIAGE);
    await app.call('sync.start', {});
    expect((await idle(app)).find((a) => a.id === TRIAGE)?.wiped?.reason).toBe('expired');

    sb.admin.setExpiration(TRIAGE, new Date(Date.now() + 30 * DAY).toISOString());
    await app.call('sync.start', {});
    const list = await idle(app);
    expect(list.find((a) => a.id === TRIAGE)).toMatchObject({ wiped: null, sync: { state: 'synced' } });
    expect(onDisk(sb, dataDir, TRIAGE).every((f) => f.sha256 === f.item.sha256)).toBe(true);
    expect((await app.call('audit.list', { type: 'assignment.restored' })).entries).toHaveLength(1);
  });

  it('shows a newly signed-in user only their own assignments', async () => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'data');
    const ana = await signedInApp(sb, dataDir);
    await idle(ana);
    await ana.call('auth.signOut');
    // Signed out, Ana still sees what she keeps here for offline work.
    expect((await ana.call('assignments.list')).map((a) => a.id).sort()).toEqual(['asg-release-notes', TRIAGE]);
    await ana.companion.close();

    const sam = await signedInApp(sb, dataDir, { username: 'sam' });
    const list = await idle(sam);
    expect(list.map((a) => a.id)).toEqual(['asg-triage-review']);
  });
});

describe('stopping a sync', () => {
  it('works at once even while the file list is still being fetched', async () => {
    const sb = await sandbox();
    addAssignment(sb, 'asg-listing', Array.from({ length: 30 }, (_, i) => ({ path: `l/${i}.txt`, text: `file ${i}\n` })));
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir);
    await idle(app);
    sb.admin.addFile('asg-listing', { path: 'l/new.txt', text: 'new\n' });
    // A manifest that takes seconds to arrive.
    sb.faults.set({ slowBodyBytesPerSecond: { bytesPerSecond: 200, pathPrefix: '/file360/v1/assignments/asg-listing/files' } });
    sb.admin.resetStats();
    await app.call('sync.start', { id: 'asg-listing' });
    await until(() => Promise.resolve(sb.stats().requests['GET /file360/v1/assignments/:id/files'] ?? 0), (n) => n > 0);
    const started = Date.now();
    await app.call('sync.pause', { id: 'asg-listing' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await app.call('assignments.list')).find((a) => a.id === 'asg-listing')?.sync.state).toBe('paused');
    expect(sb.stats().contentRequests).toEqual({});
  });

  it('by cancelling is the user’s choice, not a problem to show', async () => {
    const sb = await sandbox();
    addAssignment(sb, 'asg-slow', [{ id: 'fil-slow', path: 'slow.bin', size: 3 * 1024 * 1024 }]);
    sb.faults.set({ slowBodyBytesPerSecond: { bytesPerSecond: 1024 * 1024, pathPrefix: '/file360/v1/files/fil-slow' } });
    const app = await signedInApp(sb, path.join(tempDir(), 'data'));
    await until(() => app.call('assignments.list'), (list) => list.some((a) => a.id === 'asg-slow' && a.sync.state === 'syncing'));
    await app.call('sync.cancel', { id: 'asg-slow' });
    const assignment = (await app.call('assignments.list')).find((a) => a.id === 'asg-slow');
    expect(assignment?.sync.error).toBeNull();
    expect(assignment?.sync.state).not.toBe('problem');
  });
});

describe('File 360 refusing, rather than being unreachable', () => {
  it('is reported in File 360’s words, not as an internal error', async () => {
    const sb = await sandbox();
    const app = await signedInApp(sb, path.join(tempDir(), 'data'));
    await idle(app);
    sb.faults.set({ errorRate: { rate: 1, status: 503, pathPrefix: '/file360/v1/assignments' }, retryAfterSeconds: 0 });
    const result = await app.raw('sync.start', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'FILE360_REFUSED', message: expect.stringContaining('File 360 is temporarily unavailable') } });
    expect(app.companion.status().connection).toBe('online');
  });
});

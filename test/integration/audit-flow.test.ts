import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleFixture } from '../../sandbox/file360';
import { reviewLoop } from '../support/audit-flow';
import { FAST, idle, signedInApp, until } from '../support/file360-app';
import { PRODIGY_ENV } from '../support/prodigy';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

const TRIAGE = 'asg-support-triage';
/** One send at a time: the package and its escalation leave in the order they were queued, so the audit order is fixed. */
const tuning = { ...FAST, outbox: { concurrency: 1, backoff: { initialMs: 20, maxMs: 200, maxOfflineMs: 200 } } };
const times = <T,>(n: number, value: T): T[] => Array.from({ length: n }, () => value);
/** The triage assignment: 12 tickets, a task file and the guidelines. */
const FILES = 14;
/** The log is checked before anything else; test apps keep secrets in memory, which the log records at every start. */
const START = ['audit.verified', 'app.started', 'keychain.unavailable'];

describe('the audit trail of a whole flow', () => {
  it('records every access and change, in order, from sign-in to the wipe at expiry and sign-out, beside File 360’s own history', async () => {
    const fixture = sampleFixture();
    // Ana has one assignment, so its sync events come in one run rather than two interleaved ones.
    fixture.assignments = fixture.assignments.filter((a) => a.id !== 'asg-release-notes');
    const sb = await sandbox({ fixture });
    const ana = await signedInApp(sb, path.join(tempDir(), 'ana'), { env: PRODIGY_ENV, tuning });
    await idle(ana);

    const sam = await reviewLoop(sb, ana, { tuning });

    sb.faults.expireAssignment(TRIAGE);
    await ana.call('sync.start', {});
    await until(() => ana.call('assignments.list'), (list) => list[0]?.wiped !== null, 15_000);
    // Everything up to the wipe has reached File 360 before signing out.
    await until(() => ana.call('app.status'), (status) => status.queued === 0, 15_000);
    await ana.call('auth.signOut');

    const local = (await ana.call('audit.list', { limit: 500 })).entries.reverse();
    expect(local.map((entry) => entry.type)).toEqual([
      ...START,
      'auth.signed_in',
      ...times(FILES, 'file.downloaded'),
      'sync.completed',
      'session.started',
      ...times(FILES, 'file.opened'),
      'session.stopped',
      'escalation.queued',
      'export.created',
      'export.uploaded',
      'escalation.sent',
      'decision.received',
      'decision.applied',
      'assignment.wiped',
      'auth.signed_out',
    ]);
    // Every entry says who, when, and about what; file events name the file and its content hash.
    for (const entry of local.filter((e) => e.type.startsWith('file.'))) {
      expect(entry).toMatchObject({ actor: 'user:u-ana', assignmentId: TRIAGE, fileId: expect.stringMatching(/^fil-/), details: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    }
    expect(local.find((e) => e.fileId === 'fil-triage-guidelines' && e.type === 'file.opened')?.details).toMatchObject({ as: 'instructions', version: 1, session: 'support_intents_batch7-u-ana' });
    expect(local.find((e) => e.type === 'assignment.wiped')?.details).toMatchObject({ reason: 'expired', decidedBy: 'File 360', files: FILES });
    // Sent says why it was asked, as queued did, so the log line reads as more than an id.
    expect(local.find((e) => e.type === 'escalation.sent')?.details).toMatchObject({ reason: local.find((e) => e.type === 'escalation.queued')?.details.reason, remote: expect.stringMatching(/^esc-/) });
    expect(local.find((e) => e.type === 'escalation.sent')?.details.reason).toEqual(expect.any(String));

    expect((await sam.call('audit.list', { limit: 500 })).entries.reverse().map((entry) => entry.type)).toEqual([
      ...START,
      'auth.signed_in',
      'file.downloaded',
      'sync.completed',
      'review.claimed',
      'review.decided',
      'decision.sent',
    ]);

    // File 360's side, as Ana's app fetched it: her downloads and uploads, and Sam's claim and decision.
    const history = (await ana.call('audit.timeline', { source: 'file360', limit: 500 })).entries.reverse();
    expect(history.map((entry) => entry.type)).toEqual([...times(FILES, 'download'), 'upload', 'escalation_created', 'escalation_claimed', 'escalation_decided']);
    expect(history.at(-1)).toMatchObject({ name: 'Escalation decided', actor: 'user:u-sam', assignmentId: TRIAGE });
    // Named as File 360 named them to Ana's app: Ana from her sign-in, the assignment from the sync (kept after
    // the wipe); its files' paths went with the wipe, so those show by id.
    expect(history.at(-1)).toMatchObject({ assignmentName: 'Support tickets: intent triage (batch 7)' });
    const downloads = history.filter((entry) => entry.type === 'download');
    expect(new Set(downloads.map((entry) => entry.actorName))).toEqual(new Set(['Ana Ruiz']));
    expect(new Set(downloads.map((entry) => entry.fileName))).toEqual(new Set([null]));

    // What File 360 holds of Ana's log is what her app recorded as acknowledged, hash for hash.
    const verification = await ana.call('audit.verify');
    const uploaded = sb.admin.audit().filter((event) => event.source === 'client' && event.agent_id === 'u-ana');
    expect(verification).toMatchObject({ ok: true, acknowledged: uploaded.length, firstBad: null });
    const byId = new Map(local.map((entry) => [entry.id, entry.hash]));
    for (const event of uploaded) expect(event.hash).toBe(byId.get(Number(event.id.split(':')[1])));
  });
});

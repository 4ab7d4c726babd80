import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbOut } from '../../electron/core/prodigy/cli';
import { prodigyHome } from '../../electron/core/prodigy/service';
import { readExamples } from '../../electron/core/disputes/read';
import { sampleFixture, type File360Sandbox } from '../../sandbox/file360';
import { FAST, idle, signedInApp, until } from '../support/file360-app';
import { PRODIGY_ENV, annotate, openSession } from '../support/prodigy';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

const TRIAGE = 'asg-support-triage';
const tuning = { ...FAST, outbox: { backoff: { initialMs: 20, maxMs: 200, maxOfflineMs: 200 } } };

/** Ana flags one item and stops; the export sends it to File 360 as an escalation. */
async function annotatorWithEscalation(sb: File360Sandbox) {
  const dataDir = path.join(tempDir(), 'ana');
  const ana = await signedInApp(sb, dataDir, { env: PRODIGY_ENV, tuning });
  await idle(ana);
  await ana.call('sessions.start', { assignmentId: TRIAGE });
  await annotate(await openSession(ana, TRIAGE), [{ answer: 'accept', accept: ['account_access'], flagged: true }]);
  await ana.call('sessions.stop', { assignmentId: TRIAGE });
  await until(() => ana.call('escalations.list', {}), (list) => list[0]?.state === 'open', 15_000);
  return { ana, dataDir };
}

/** A reviewer's app; reviewers need no files on their computer to decide. */
function reviewer(sb: File360Sandbox, name = 'sam') {
  return signedInApp(sb, path.join(tempDir(), name), { env: PRODIGY_ENV, tuning, username: name });
}

describe('SME review: escalations reach reviewers, and decisions come back into Prodigy', () => {
  it('a reviewer corrects a flagged item, and the annotator’s Prodigy gets the corrected label with its review', async () => {
    const sb = await sandbox();
    const { ana, dataDir } = await annotatorWithEscalation(sb);
    const sam = await reviewer(sb);

    const list = await sam.call('reviews.refresh', {});
    expect(list.items).toHaveLength(1);
    const [item] = list.items;
    expect(item).toMatchObject({ reason: 'flagged', priority: 'high', state: 'open', raisedBy: 'Ana Ruiz', mine: false });

    const opened = await sam.call('reviews.open', { id: item?.id ?? '' });
    expect(opened).toMatchObject({ state: 'claimed', mine: true, claimProblem: null, viewId: 'choice' });
    expect(opened.versions).toEqual([expect.objectContaining({ session: 'support_intents_batch7-u-ana', accept: ['account_access'], flagged: true })]);
    expect(opened.labels).toEqual(expect.arrayContaining(['billing', 'account_access']));
    expect((await sam.call('audit.list', { type: 'review.claimed' })).entries).toHaveLength(1);

    const decided = await sam.call('reviews.decide', { id: opened.id, outcome: 'corrected', correctedTask: { accept: ['billing'] }, comment: 'A renewal after cancelling is billing.' });
    expect(decided.pending).toMatchObject({ outcome: 'corrected' });
    await until(() => Promise.resolve(sb.admin.escalations()[0]), (escalation) => escalation?.state === 'completed', 10_000);
    const [remote] = sb.admin.escalations();
    expect(remote?.decision).toMatchObject({ outcome: 'corrected', actor: 'u-sam', comment: 'A renewal after cancelling is billing.', corrected_task: expect.objectContaining({ accept: ['billing'], text: expect.any(String) }) });

    // Ana's app fetches the decision after its next exchange with File 360, and puts it into Prodigy.
    await ana.call('sync.start', {});
    const [applied] = await until(() => ana.call('escalations.list', {}), (escalations) => escalations[0]?.appliedAt !== null, 15_000);
    expect(applied).toMatchObject({ decision: { outcome: 'corrected', reviewer: 'Sam Okafor' }, appliedDataset: 'support_intents_batch7_reviewed', applyError: null });

    const out = path.join(tempDir(), 'reviewed.jsonl');
    expect(await dbOut({ command: 'python3 -m prodigy', home: prodigyHome(dataDir, TRIAGE), env: PRODIGY_ENV }, 'support_intents_batch7_reviewed', out)).toBe(true);
    const [reviewed] = await readExamples(out);
    expect(reviewed).toMatchObject({ accept: ['billing'], answer: 'accept' });
    expect((reviewed?.meta as { review?: unknown }).review).toEqual({
      outcome: 'corrected',
      reviewer: 'Sam Okafor',
      reviewer_id: 'u-sam',
      time: expect.any(String),
      escalation_id: item?.id,
      comment: 'A renewal after cancelling is billing.',
    });
    const types = (await ana.call('audit.list', {})).entries.map((entry) => entry.type);
    expect(types).toEqual(expect.arrayContaining(['decision.received', 'decision.applied']));
  });

  it('explains a claim by someone else, and a decision that lost the race, in words; Retry and Discard act on it', async () => {
    const fixture = sampleFixture();
    // A second reviewer in the same group as Sam.
    fixture.users.push({ id: 'u-lee', username: 'lee', password: 'lee-password', display_name: 'Lee Park', email: 'lee.park@acme.example', roles: ['reviewer'], groups: ['support-sme'] });
    const sb = await sandbox({ fixture });
    await annotatorWithEscalation(sb);
    const sam = await reviewer(sb);
    const lee = await reviewer(sb, 'lee');
    const [item] = (await sam.call('reviews.refresh', {})).items;
    const id = item?.id ?? '';
    // Lee's copy is fetched while the item is still open.
    await lee.call('reviews.refresh', {});

    await sam.call('reviews.open', { id });
    await sam.call('reviews.decide', { id, outcome: 'approved', comment: 'Fine as it is.' });
    await until(() => Promise.resolve(sb.admin.escalations()[0]?.state), (state) => state === 'completed', 10_000);

    // Lee decides from the old copy: File 360 refuses, and the Outbox says why.
    await lee.call('reviews.decide', { id, outcome: 'rejected', comment: 'Not a support ticket.' });
    const [failed] = await until(() => lee.call('outbox.list', {}), (page) => page.items.some((entry) => entry.kind === 'decision' && entry.state === 'failed'), 10_000).then((page) => page.items.filter((entry) => entry.kind === 'decision'));
    expect(failed?.lastError).toBe('Sam Okafor already approved it before your decision reached File 360.');
    expect(lee.companion.status().failed).toBe(1);
    expect(sb.admin.escalations()[0]?.decision).toMatchObject({ outcome: 'approved', actor: 'u-sam' });

    // Retry tries again (and fails the same way); Discard gives up, and is audited.
    await lee.call('outbox.retry', { id: failed?.id ?? 0 });
    await until(() => lee.call('outbox.list', {}), (page) => page.items.find((entry) => entry.id === failed?.id)?.attempts === 2 && page.items.find((entry) => entry.id === failed?.id)?.state === 'failed', 10_000);
    const discarded = await lee.call('outbox.discard', { id: failed?.id ?? 0 });
    expect(discarded.state).toBe('discarded');
    expect(lee.companion.status().failed).toBe(0);
    const [entry] = (await lee.call('audit.list', { type: 'outbox.discarded' })).entries;
    expect(entry?.details).toMatchObject({ kind: 'decision', lastError: expect.stringContaining('already approved') });
    // File 360 announces the decisions it records, so the app queued no notification of its own to follow this one.
    const pushes = (await lee.call('outbox.list', { show: 'all' })).items.filter((entry) => entry.kind === 'push');
    expect(pushes).toEqual([]);

    // Lee now sees who decided it.
    await lee.call('reviews.refresh', {});
    expect((await lee.call('reviews.open', { id })).claimProblem).toBe('Sam Okafor already decided this item.');
  });
});

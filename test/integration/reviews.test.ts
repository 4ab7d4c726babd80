import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_NAME } from '../../electron/core/companion';
import { dbOut } from '../../electron/core/services/prodigy/cli';
import { readExamples } from '../../electron/core/services/disputes/read';
import type { File360Sandbox } from '../../sandbox/file360';
import { FAST, idle, signedInApp, until } from '../support/file360-app';
import { PRODIGY_ENV, annotate, openSession } from '../support/prodigy';
import { sandbox } from '../support/sandbox-file360';
import { disagreement, flaggedByAna, reviewerApp, withLee } from '../support/reviews';
import { tempDir } from '../support/tmp';
import { prodigyHome } from '../../electron/core/services/prodigy/home';

const TRIAGE = 'asg-support-triage';
const tuning = { ...FAST, outbox: { backoff: { initialMs: 20, maxMs: 200, maxOfflineMs: 200 } } };

/** Ana flags one item and stops; the export sends it to File 360 as an escalation. */
async function annotatorWithEscalation(sb: File360Sandbox, options: Parameters<typeof signedInApp>[2] & { dataDir?: string } = {}) {
  const dataDir = options.dataDir ?? path.join(tempDir(), 'ana');
  const ana = await signedInApp(sb, dataDir, { env: PRODIGY_ENV, tuning, ...options });
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

/**
 * Ana (running Prodigy through `wrapper`) has an escalation Sam approves; her
 * next sync brings the decision in, and the wrapper's db-in has started.
 */
async function decisionGoingIntoProdigy(sb: File360Sandbox, dir: string, wrapper: string, quitWaitMs?: number) {
  const dataDir = path.join(dir, 'ana');
  const { ana } = await annotatorWithEscalation(sb, { dataDir, tuning: { ...tuning, quitWaitMs }, argv: ['--prodigy-command', `sh ${wrapper}`] });
  const sam = await reviewer(sb);
  const [item] = (await sam.call('reviews.refresh', {})).items;
  await sam.call('reviews.open', { id: item?.id ?? '' });
  await sam.call('reviews.decide', { id: item?.id ?? '', outcome: 'approved' });
  await until(() => Promise.resolve(sb.admin.escalations()[0]), (escalation) => escalation?.state === 'completed', 10_000);
  await ana.call('sync.start', {});
  await until(() => Promise.resolve(fs.existsSync(path.join(dir, 'started'))), Boolean, 15_000);
  return { ana, dataDir };
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

  it('quitting while a decision goes into Prodigy waits for its db-in, so nothing writes the Prodigy folder once the app has closed', { timeout: 60_000 }, async () => {
    const sb = await sandbox();
    const dir = tempDir();
    // Prodigy as Settings may name it: a wrapper that is slow to import, and says when it has ended.
    const wrapper = path.join(dir, 'prodigy.sh');
    fs.writeFileSync(wrapper, `if [ "$1" = db-in ]; then touch "${dir}/started"; sleep 1; fi\npython3 -m prodigy "$@"\ncode=$?\n[ "$1" = db-in ] && touch "${dir}/ended"\nexit $code\n`);
    const { ana } = await decisionGoingIntoProdigy(sb, dir, wrapper);
    await ana.companion.close();
    expect(fs.existsSync(path.join(dir, 'ended'))).toBe(true);
  });

  it('quitting stops a db-in that does not end within the wait, and the decision waits for the next start, saying why', { timeout: 60_000 }, async () => {
    const sb = await sandbox();
    const dir = tempDir();
    // A Prodigy whose db-in hangs (a wedged database, say); the rest of Prodigy works.
    const wrapper = path.join(dir, 'prodigy.sh');
    fs.writeFileSync(wrapper, `if [ "$1" = db-in ]; then touch "${dir}/started"; exec python3 -c "import time; time.sleep(30)"; fi\nexec python3 -m prodigy "$@"\n`);
    const { ana, dataDir } = await decisionGoingIntoProdigy(sb, dir, wrapper, 300);
    const quitting = Date.now();
    await ana.companion.close();
    // Well before the 30 s the command would have taken.
    expect(Date.now() - quitting).toBeLessThan(10_000);
    const db = new Database(path.join(dataDir, DATABASE_NAME), { readonly: true });
    const row = db.prepare('SELECT applied_at, apply_error FROM escalations').get() as { applied_at: string | null; apply_error: string | null };
    db.close();
    expect(row).toEqual({ applied_at: null, apply_error: 'Prodigy was stopped because the app quit before it had finished.' });
  });

  it('explains a claim by someone else, and a decision that lost the race, in words; Retry and Discard act on it', async () => {
    const sb = await sandbox({ fixture: withLee() });
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

  it('approves several items in one call, each its own decision that reaches File 360 and Prodigy; one decided by someone else, one with differing versions and one unknown fail alone, in words', { timeout: 60_000 }, async () => {
    const sb = await sandbox({ fixture: withLee() });
    const { ana, dataDir } = await flaggedByAna(sb, ['billing', 'bug_report', 'account_access', 'other']);
    const flagged = sb.admin.escalations();
    const disputed = await disagreement(sb, flagged[0]?.item.task as Record<string, unknown>);
    const sam = await reviewerApp(sb);
    const lee = await reviewerApp(sb, 'lee');
    await sam.call('reviews.refresh', {});
    // Lee decides one while Sam's copy still shows it open.
    const [taken, ...mine] = flagged.map((escalation) => escalation.id);
    await lee.call('reviews.refresh', {});
    await lee.call('reviews.decide', { id: taken ?? '', outcome: 'rejected', comment: 'Spam.' });
    await until(() => Promise.resolve(sb.admin.escalations().find((escalation) => escalation.id === taken)?.state), (state) => state === 'completed', 10_000);

    // The boundary refuses a list that names an item twice, and an empty one.
    expect(await sam.raw('reviews.approveMany', { ids: [mine[0], mine[0]] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('Each item can be approved only once.') } });
    expect(await sam.raw('reviews.approveMany', { ids: [] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('Pick at least one item to approve.') } });

    const result = await sam.call('reviews.approveMany', { ids: [taken ?? '', ...mine, disputed, 'esc-gone'], comment: '  Right as flagged.  ' });
    const textOf = (id: string | undefined) => (flagged.find((escalation) => escalation.id === id)?.item.task as { text: string }).text;
    expect(result.approved).toEqual(mine.map((id) => ({ id, text: textOf(id) })));
    expect(result.failed).toEqual([
      { id: taken, text: textOf(taken), error: 'Lee Park already decided this item.' },
      { id: disputed, text: expect.stringContaining('Please send invoices'), error: 'Its 2 versions differ: open it to pick the one you approve.' },
      { id: 'esc-gone', text: null, error: 'It is no longer open to you in File 360, or not on this computer.' },
    ]);

    // Each approval is its own outbox entry and audit record, as a single approve makes.
    const decisions = (await sam.call('outbox.list', { show: 'all' })).items.filter((entry) => entry.kind === 'decision');
    expect(decisions).toHaveLength(3);
    expect((await sam.call('audit.list', { type: 'review.decided' })).entries).toHaveLength(3);
    const remote = await until(
      () => Promise.resolve(sb.admin.escalations().filter((escalation) => mine.includes(escalation.id))),
      (escalations) => escalations.every((escalation) => escalation.state === 'completed'),
      10_000,
    );
    for (const escalation of remote) {
      expect(escalation.decision).toMatchObject({ outcome: 'approved', actor: 'u-sam', comment: 'Right as flagged.' });
      // The annotator's own label, exactly as approving the one version on its page sends it.
      expect(escalation.decision?.corrected_task).toMatchObject({ accept: (escalation.item.versions as Array<{ accept: string[] }>)[0]?.accept, answer: 'accept' });
    }
    expect(sb.admin.escalations().find((escalation) => escalation.id === taken)?.decision).toMatchObject({ outcome: 'rejected', actor: 'u-lee' });
    expect(sb.admin.escalations().find((escalation) => escalation.id === disputed)?.state).toBe('open');

    // Ana's Prodigy gets the three approvals, each with Sam's review.
    await ana.call('sync.start', {});
    await until(() => ana.call('escalations.list', {}), (escalations) => escalations.filter((escalation) => escalation.appliedAt !== null).length === 4, 20_000);
    const out = path.join(tempDir(), 'reviewed.jsonl');
    expect(await dbOut({ command: 'python3 -m prodigy', home: prodigyHome(dataDir, TRIAGE), env: PRODIGY_ENV }, 'support_intents_batch7_reviewed', out)).toBe(true);
    const reviewed = (await readExamples(out)).filter((example) => (example.meta as { review?: { reviewer?: string } }).review?.reviewer === 'Sam Okafor');
    expect(reviewed.map((example) => example.accept).sort()).toEqual([['account_access'], ['bug_report'], ['other']]);
    expect(reviewed.every((example) => (example.meta as { review: { outcome: string; comment: string } }).review.outcome === 'approved')).toBe(true);
  });
});

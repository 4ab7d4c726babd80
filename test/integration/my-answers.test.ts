import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbIn } from '../../electron/core/services/prodigy/cli';
import { systemClock } from '../../electron/core/kernel/ports';
import { FAST, idle, signedInApp, until } from '../support/file360-app';
import { PRODIGY_ENV, annotate, openSession } from '../support/prodigy';
import { datasetExamples } from '../support/prodigy-standin';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';
import { prodigyHome } from '../../electron/core/services/prodigy/home';

const TRIAGE = 'asg-support-triage';
const NOTES = 'asg-release-notes';
const DATASET = 'support_intents_batch7';

describe('progress, my answers and the guidelines, from the core', () => {
  it('counts mine and everyone’s answers in the list, pages and searches my own, and reads the synced guidelines', { timeout: 60_000 }, async () => {
    const sb = await sandbox();
    const dataDir = path.join(tempDir(), 'data');
    const app = await signedInApp(sb, dataDir, { env: PRODIGY_ENV, tuning: FAST, ports: { clock: systemClock } });
    await idle(app);

    // Before any session: nothing answered, and no total yet (the source is built at the start).
    const before = await app.call('assignments.list');
    expect(before.find((a) => a.id === TRIAGE)?.answers).toEqual({ total: null, mine: 0, all: 0, annotators: 0 });
    expect(await app.call('answers.list', { assignmentId: TRIAGE })).toEqual({ total: 0, offset: 0, rows: [] });

    await app.call('sessions.start', { assignmentId: TRIAGE });
    await annotate(await openSession(app, TRIAGE), [
      { answer: 'accept', accept: ['billing'] },
      { answer: 'reject', flagged: true },
      { answer: 'ignore' },
      { answer: 'accept', accept: ['account_access', 'other'] },
    ]);
    await until(() => app.call('assignments.list'), (list) => list.find((a) => a.id === TRIAGE)?.answers?.mine === 4, 10_000);
    await app.call('sessions.stop', { assignmentId: TRIAGE });
    const mine = (await app.call('assignments.list')).find((a) => a.id === TRIAGE)?.answers;
    expect(mine).toEqual({ total: 16, mine: 4, all: 4, annotators: 1 });

    // Another annotator's answers to three of the same items, imported into this computer's Prodigy.
    const home = prodigyHome(dataDir, TRIAGE);
    const ben = datasetExamples(home, `${DATASET}-u-ana`)
      .slice(0, 3)
      .map((example) => ({ ...example, accept: ['bug_report'], answer: 'accept', _session_id: `${DATASET}-u-ben`, _annotator_id: `${DATASET}-u-ben` }));
    const file = path.join(tempDir(), 'ben.jsonl');
    fs.writeFileSync(file, ben.map((example) => JSON.stringify(example)).join('\n'));
    await dbIn({ command: 'python3 -m prodigy', home, env: PRODIGY_ENV }, DATASET, file);
    const list = await app.call('assignments.list');
    expect(list.find((a) => a.id === TRIAGE)?.answers).toEqual({ total: 16, mine: 4, all: 4, annotators: 2 });
    expect(list.find((a) => a.id === 'asg-triage-review')?.answers ?? null).toBeNull();

    // Mine only (Ben's are not), newest first, in words, paged.
    const first = await app.call('answers.list', { assignmentId: TRIAGE, limit: 3 });
    expect(first.total).toBe(4);
    expect(first.rows.map((row) => [row.answer, row.summary, row.flagged])).toEqual([
      ['accept', 'account_access, other', false],
      ['ignore', '', false],
      ['reject', '', true],
    ]);
    expect(first.rows.every((row) => row.answeredAt !== null && Math.abs(Date.parse(row.answeredAt) - Date.now()) < 120_000)).toBe(true);
    expect(first.rows.every((row) => /^input:-?\d+$/.test(row.key) && row.text.length > 0)).toBe(true);
    const second = await app.call('answers.list', { assignmentId: TRIAGE, limit: 3, offset: 3 });
    expect(second).toMatchObject({ total: 4, offset: 3 });
    expect(second.rows.map((row) => row.summary)).toEqual(['billing']);

    // Search by a label chosen, by words of the text, and by answer.
    expect((await app.call('answers.list', { assignmentId: TRIAGE, query: 'BILLING' })).rows.map((row) => row.summary)).toEqual(['billing']);
    const words = second.rows[0]?.text.split(' ').slice(1, 3).join(' ') ?? '';
    expect((await app.call('answers.list', { assignmentId: TRIAGE, query: words })).rows.map((row) => row.text)).toContain(second.rows[0]?.text);
    expect((await app.call('answers.list', { assignmentId: TRIAGE, answer: 'flagged' })).rows.map((row) => row.answer)).toEqual(['reject']);
    expect((await app.call('answers.list', { assignmentId: TRIAGE, answer: 'ignore' })).total).toBe(1);
    expect((await app.call('answers.list', { assignmentId: TRIAGE, query: 'no such words anywhere' })).total).toBe(0);
    // The key is the one "ask a reviewer" takes.
    const asked = await app.call('escalations.ask', { assignmentId: TRIAGE, key: first.rows[2]?.key ?? '', question: 'Is this really not a ticket?' });
    expect(asked.text).toBe(first.rows[2]?.text);

    // Guidelines: the synced markdown, as written; none where the project names none.
    const guidelines = await app.call('assignments.guidelines', { id: TRIAGE });
    expect(guidelines).toMatchObject({ state: 'ready', path: 'guidelines.md', format: 'markdown', truncated: false });
    expect(guidelines.state === 'ready' && guidelines.text.startsWith('# Support ticket triage: annotation guidelines')).toBe(true);
    expect(await app.call('assignments.guidelines', { id: NOTES })).toEqual({ state: 'none' });
    await expect(app.call('answers.list', { assignmentId: 'asg-nowhere' })).rejects.toThrow('NOT_FOUND That assignment is not on this computer.');
  });

  it('says in words why guidelines that could not be fetched are not here', { timeout: 60_000 }, async () => {
    const sb = await sandbox();
    sb.faults.set({ errorRate: { rate: 1, status: 503, pathPrefix: '/file360/v1/files/fil-review-guidelines/' } });
    const app = await signedInApp(sb, path.join(tempDir(), 'data'), { username: 'sam', tuning: { ...FAST, syncRetry: { maxAttempts: 1, initialDelayMs: 1, maxDelayMs: 1 } } });
    await idle(app);
    expect(await app.call('assignments.guidelines', { id: 'asg-triage-review' })).toEqual({
      state: 'missing',
      path: 'guidelines.md',
      reason: 'It could not be fetched last time; choose Sync to try again.',
    });
  });
});

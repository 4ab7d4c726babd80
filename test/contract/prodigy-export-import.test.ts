import fs from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dbIn, dbOut } from '../../electron/core/services/prodigy/cli';
import { readExamples } from '../../electron/core/services/disputes/read';
import { FAST, idle, signedInApp, until } from '../support/file360-app';
import { annotate, openSession } from '../support/prodigy';
import { PRODIGY_UNDER_TEST, useProdigyUnderTest } from '../support/prodigy-under-test';
import { sandbox } from '../support/sandbox-file360';
import { datasetExamples } from '../support/prodigy-standin';
import { tempDir } from '../support/tmp';
import { zipMembers } from '../support/zip';
import { prodigyHome } from '../../electron/core/services/prodigy/home';

const TRIAGE = 'asg-support-triage';
const DATASET = 'support_intents_batch7';
const cli = (home: string, command = PRODIGY_UNDER_TEST.command, env: NodeJS.ProcessEnv = PRODIGY_UNDER_TEST.env) => ({ command, home, env });

async function app(env: NodeJS.ProcessEnv = PRODIGY_UNDER_TEST.env) {
  const sb = await sandbox();
  const dataDir = path.join(tempDir(), 'data');
  const started = await signedInApp(sb, dataDir, { env, tuning: { ...FAST, outbox: { backoff: { initialMs: 20, maxMs: 200, maxOfflineMs: 200 } } } });
  await useProdigyUnderTest(started);
  await idle(started);
  return { sb, app: started, dataDir, home: prodigyHome(dataDir, TRIAGE) };
}


describe(`exports and imports through ${PRODIGY_UNDER_TEST.real ? `a real Prodigy (${PRODIGY_UNDER_TEST.command})` : 'the Prodigy stand-in'}'s CLI`, () => {
  it('says “nothing annotated yet” when Prodigy’s database exists but the dataset does not: Prodigy says so on stdout', async () => {
    const { app: started, home } = await app();
    fs.mkdirSync(home, { recursive: true });
    const other = path.join(home, 'other.jsonl');
    fs.writeFileSync(other, `${JSON.stringify({ text: 'something else', answer: 'accept' })}\n`);
    expect(await dbIn(cli(home), 'another_dataset', other)).toBe(1);
    expect(await started.call('exports.run', { id: TRIAGE })).toEqual({ exported: null, message: 'Nothing annotated yet: Prodigy has no answers in this dataset.' });
  });

  it('exports clean JSONL through db-out OUT_DIR, even when the user’s environment turns PRODIGY_LOGGING on', async () => {
    const { app: started, home } = await app({ ...PRODIGY_UNDER_TEST.env, PRODIGY_LOGGING: 'basic' });
    await started.call('sessions.start', { assignmentId: TRIAGE });
    await annotate(await openSession(started, TRIAGE), [{ answer: 'accept', accept: ['billing'] }, { answer: 'reject' }]);
    const result = await started.call('exports.run', { id: TRIAGE });
    expect(result.exported).toMatchObject({ annotations: 2, counts: { accept: 1, reject: 1 } });
    const file = path.join(tempDir(), 'out.jsonl');
    expect(await dbOut(cli(home), DATASET, file)).toBe(true);
    expect((await readExamples(file)).map((example) => example.answer)).toEqual(['accept', 'reject']);
    expect(await dbOut(cli(home), 'never_made', path.join(tempDir(), 'none.jsonl'))).toBe(false);
  });

  it('imports with db-in, and Prodigy adds the hashes the imported examples lack', async () => {
    const home = tempDir();
    const file = path.join(home, 'reviewed.jsonl');
    fs.writeFileSync(file, `${JSON.stringify({ text: 'Refund the duplicate charge', accept: ['billing'], answer: 'accept', meta: { review: { outcome: 'approved' } } })}\n`);
    expect(await dbIn(cli(home), `${DATASET}_reviewed`, file)).toBe(1);
    const out = path.join(home, 'out.jsonl');
    expect(await dbOut(cli(home), `${DATASET}_reviewed`, out)).toBe(true);
    const [imported] = await readExamples(out);
    expect(imported).toMatchObject({ text: 'Refund the duplicate charge', answer: 'accept', meta: { review: { outcome: 'approved' } } });
    expect(Number.isInteger(imported?._input_hash) && Number.isInteger(imported?._task_hash)).toBe(true);
  });

  it('reads Prodigy’s refusals from stdout, and shows them without colour codes, whatever a wrapper does to the colour', async (ctx) => {
    // `env -u` undoes the app's ANSI_COLORS_DISABLED, as a wrapper script might: Prodigy then prints in colour.
    if (PRODIGY_UNDER_TEST.real) return ctx.skip('the wrapper is written for the stand-in’s command line');
    const home = tempDir();
    const broken = path.join(home, 'broken.jsonl');
    fs.writeFileSync(broken, '{"text": "fine"}\n{"text": oops\n');
    const error = await dbIn(cli(home, 'env -u ANSI_COLORS_DISABLED -u NO_COLOR python3 -m prodigy'), 'x', broken).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/^Prodigy could not import into “x” \(exit code 1\): ✘ Invalid JSON on line 2 of /);
    expect(stripVTControlCharacters(error?.message ?? '')).toBe(error?.message);
  });

  it('tells Settings which Prodigy runs, from prodigy stats', async () => {
    const { app: started } = await app();
    const info = await started.call('prodigy.info');
    expect(info).toMatchObject({ command: PRODIGY_UNDER_TEST.command, version: expect.stringMatching(/^\d+\.\d+/), supported: true, minimum: '1.12.0' });
    expect(info.message).toMatch(/: supported \(1\.12\.0 or newer\)\.$/);
  });

  it('measures agreement when two annotators answered the same items, and writes it into the package’s manifest', async () => {
    const { app: started, home } = await app();
    await started.call('sessions.start', { assignmentId: TRIAGE });
    await annotate(await openSession(started, TRIAGE), [{ answer: 'accept', accept: ['billing'] }, { answer: 'accept', accept: ['bug_report'] }, { answer: 'accept', accept: ['other'] }]);
    await until(() => started.call('sessions.list'), (list) => list.find((s) => s.assignmentId === TRIAGE)?.progress?.answered === 3, 10_000);
    // A second annotator's answers to the same tasks, as another laptop's export would bring them (db-in).
    const ben = datasetExamples(home, `${DATASET}-u-ana`).map((example, i) => ({
      ...example,
      accept: i === 1 ? ['feature_request'] : example.accept,
      _session_id: `${DATASET}-u-ben`,
      _annotator_id: `${DATASET}-u-ben`,
    }));
    const file = path.join(tempDir(), 'ben.jsonl');
    fs.writeFileSync(file, ben.map((example) => JSON.stringify(example)).join('\n'));
    expect(await dbIn(cli(home), DATASET, file)).toBe(3);

    const { exported } = await started.call('exports.run', { id: TRIAGE });
    expect(exported).toMatchObject({ annotations: 6, disputes: 1, escalated: { sent: 0, waiting: 1, failed: 0 } });
    const view = await started.call('exports.agreement', { id: TRIAGE });
    expect(view?.agreement).toMatchObject({ kind: 'multiclass', annotators: [`${DATASET}-u-ana`, `${DATASET}-u-ben`], items: 3 });
    expect(view?.agreement.overall.percentAgreement).toBeCloseTo(2 / 3, 6);
    const [worst] = view?.agreement.lowest ?? [];
    expect(worst).toMatchObject({ score: 0, annotators: 2 });
    // One click from the item to its escalation: the link is there.
    const [escalation] = await started.call('escalations.list', { assignmentId: TRIAGE });
    expect(view?.escalations[worst?.key ?? '']).toBe(escalation?.id);

    const zip = path.join(started.dataDir, 'exports', TRIAGE, fs.readdirSync(path.join(started.dataDir, 'exports', TRIAGE)).find((name) => name.endsWith('.zip')) ?? '');
    const manifest = JSON.parse((await zipMembers(zip))['manifest.json']?.text ?? '{}') as Record<string, unknown>;
    expect(manifest).toMatchObject({ format: 2, agreement: view?.agreement, prodigy: { version: (await started.call('prodigy.info')).version } });
  });
});

import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { FixtureAssignment } from '../../sandbox/file360/fixture';
import { sampleFixture } from '../../sandbox/file360';
import { FAST, idle, signedInApp, until } from '../support/file360-app';
import { openSession } from '../support/prodigy';
import { PRODIGY_UNDER_TEST, useProdigyUnderTest } from '../support/prodigy-under-test';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

/**
 * Every recipe the app can run, started by the app against the Prodigy under
 * test (the stand-in in `npm test`, a licensed Prodigy in `npm run test:prodigy`),
 * answered once as Prodigy's page would, and stopped.
 */
const TEXTS = ['Ana Ruiz met Ben Okafor in Berlin.', 'The invoice from Acme arrived late.'];
const textFiles = TEXTS.map((text, i) => ({ id: `fil-text-${i}`, path: `docs/${i}.txt`, text }));
const imageFiles = [0, 1].map((i) => ({ id: `fil-image-${i}`, path: `scans/${i}.png`, size: 256 + i }));

interface Case {
  project: FixtureAssignment['project'] & { model?: string; exclusive?: boolean };
  files: FixtureAssignment['files'];
  viewId: string;
  answer(task: Record<string, unknown>): Record<string, unknown>;
}

const CASES: Record<string, Case> = {
  'textcat.manual': {
    project: { recipe: 'textcat.manual', dataset: 'intents', labels: ['billing', 'other'], exclusive: true },
    files: textFiles,
    viewId: 'choice',
    answer: (task) => ({ ...task, answer: 'accept', accept: ['billing'] }),
  },
  'ner.manual': {
    // No model in the project: the app passes blank:en, where the model goes.
    project: { recipe: 'ner.manual', dataset: 'people', labels: ['PERSON', 'GPE'] },
    files: textFiles,
    viewId: 'ner_manual',
    answer: (task) => ({ ...task, answer: 'accept', spans: [{ start: 0, end: 8, label: 'PERSON', token_start: 0, token_end: 1 }] }),
  },
  'spans.manual': {
    project: { recipe: 'spans.manual', dataset: 'phrases', labels: ['ORG'], model: 'blank:en' },
    files: textFiles,
    viewId: 'spans_manual',
    answer: (task) => ({ ...task, answer: 'accept', spans: [] }),
  },
  'image.manual': {
    project: { recipe: 'image.manual', dataset: 'scans', labels: ['STAMP'] },
    files: [...imageFiles, ...textFiles],
    viewId: 'image_manual',
    answer: (task) => ({ ...task, answer: 'accept', spans: [{ label: 'STAMP', type: 'rect', x: 1, y: 1, width: 2, height: 2, points: [[1, 1], [1, 3], [3, 3], [3, 1]] }] }),
  },
  mark: {
    project: { recipe: 'mark', dataset: 'relevance', labels: ['RELEVANT'], view_id: 'classification' },
    files: textFiles,
    viewId: 'classification',
    answer: (task) => ({ ...task, answer: 'reject' }),
  },
};

function assignment(id: string, c: Case): FixtureAssignment {
  const [template] = sampleFixture().assignments as [FixtureAssignment];
  return { ...template, id, name: `Recipe ${c.project.recipe}`, project: c.project, files: c.files };
}

describe(`each recipe the app supports, started against ${PRODIGY_UNDER_TEST.real ? `a real Prodigy (${PRODIGY_UNDER_TEST.command})` : 'the Prodigy stand-in'}`, () => {
  for (const [recipe, c] of Object.entries(CASES)) {
    it(`${recipe}: starts with its own arguments, shows its interface, saves every answer at once, and stops with Prodigy’s summary`, async () => {
      const sb = await sandbox();
      const id = `asg-recipe-${recipe.replace('.', '-')}`;
      sb.admin.addAssignment(assignment(id, c));
      const app = await signedInApp(sb, `${tempDir()}/data`, { env: PRODIGY_UNDER_TEST.env, tuning: FAST });
      await useProdigyUnderTest(app);
      await idle(app);
      const started = await app.call('sessions.start', { assignmentId: id });
      expect(started).toMatchObject({ state: 'running', recipe });
      // image.manual shows images only; its text files are listed as left out, with why.
      if (recipe === 'image.manual') expect(started.skipped.map((file) => file.path)).toEqual(['docs/0.txt', 'docs/1.txt']);

      const session = await openSession(app, id);
      const project = (await (await session.call('/project')).json()) as Record<string, unknown>;
      expect(project).toMatchObject({ view_id: c.viewId, instant_submit: true });
      const sessionId = `${c.project.dataset}-${new URL(session.url).searchParams.get('session')}`;
      const { tasks } = (await (await session.call('/get_session_questions', { session_id: sessionId })).json()) as { tasks: Array<Record<string, unknown>> };
      expect(tasks.length).toBe(2);
      const given = await session.call('/give_answers', { answers: [c.answer(tasks[0] as Record<string, unknown>)], session_id: sessionId });
      expect(given.status).toBe(200);
      await until(() => app.call('sessions.list'), (list) => list.find((s) => s.assignmentId === id)?.progress?.answered === 1, 10_000);

      const stopped = await app.call('sessions.stop', { assignmentId: id });
      expect(stopped.state).toBe('stopped');
      const [entry] = (await app.call('audit.list', { type: 'session.stopped' })).entries;
      expect(entry?.details).toMatchObject({ saved: 1, exitCode: 0 });
      const log = (await app.call('sessions.log', { assignmentId: id })).lines.map((line) => line.text);
      expect(log.join('\n')).toContain('Saved 1 annotations');
      // Nothing shown to the user carries a terminal's colour codes.
      expect(log.every((line) => stripVTControlCharacters(line) === line)).toBe(true);
    });
  }

  it('refuses a recipe it cannot run before starting anything, naming it', async () => {
    const sb = await sandbox();
    sb.admin.addAssignment(assignment('asg-recipe-teach', { ...CASES['textcat.manual'], project: { recipe: 'textcat.teach', dataset: 'teach', labels: ['x'] } } as Case));
    const app = await signedInApp(sb, `${tempDir()}/data`, { env: PRODIGY_UNDER_TEST.env, tuning: FAST });
    await useProdigyUnderTest(app);
    await idle(app);
    const view = (await app.call('sessions.list')).find((s) => s.assignmentId === 'asg-recipe-teach');
    expect(view).toMatchObject({ startable: false, whyNot: expect.stringContaining('Prodigy’s “textcat.teach” recipe, which Annotator Companion cannot run') });
    const refused = await app.raw('sessions.start', { assignmentId: 'asg-recipe-teach' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'SESSION_NOT_RUNNING', message: expect.stringContaining('textcat.teach') } });
  });
});

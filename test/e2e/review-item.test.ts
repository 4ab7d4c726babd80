import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { File360Sandbox } from '../../sandbox/file360';
import type { Started } from '../support/companion';
import { screenshot, useChromium } from '../support/chromium';
import { FAST, idle, signedInApp, until } from '../support/file360-app';
import { PRODIGY_ENV, annotate, openSession } from '../support/prodigy';
import { reviewerPage } from '../support/review-page';
import { disagreement } from '../support/reviews';
import { sandbox } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

const chromium = useChromium();

const TRIAGE = 'asg-support-triage';
const NER = 'asg-support-ner';
const tuning = { ...FAST, outbox: { backoff: { initialMs: 20, maxMs: 200, maxOfflineMs: 200 } } };
const QUESTION = 'Is a feature request about invoices billing or feature_request?';

/**
 * Ana flags one item and stops; the export sends it to File 360 as an escalation.
 * She also answers a second item and asks the reviewers a question about it.
 */
async function annotatorWithEscalation(sb: File360Sandbox) {
  const dataDir = path.join(tempDir(), 'ana');
  const ana = await signedInApp(sb, dataDir, { env: PRODIGY_ENV, tuning });
  await idle(ana);
  await ana.call('sessions.start', { assignmentId: TRIAGE });
  await annotate(await openSession(ana, TRIAGE), [
    { answer: 'accept', accept: ['account_access'], flagged: true },
    { answer: 'accept', accept: ['feature_request'] },
  ]);
  await ana.call('sessions.stop', { assignmentId: TRIAGE });
  await until(() => ana.call('escalations.list', {}), (list) => list[0]?.state === 'open', 15_000);
  const [candidate] = (await ana.call('escalations.candidates', { assignmentId: TRIAGE, query: '' })).filter((found) => found.summary.includes('feature_request'));
  await ana.call('escalations.ask', { assignmentId: TRIAGE, key: candidate?.key ?? '', question: QUESTION });
  await until(() => ana.call('escalations.list', {}), (list) => list.length === 2 && list.every((escalation) => escalation.state === 'open'), 15_000);
  return { ana, dataDir };
}

/** Drags the mouse over `words` in the element, as a person selects text. */
async function selectWords(page: Page, testId: string, words: string): Promise<void> {
  const box = await page.getByTestId(testId).evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = (node.textContent ?? '').indexOf(wanted);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const rect = range.getBoundingClientRect();
      return { x: rect.left, y: rect.top, width: rect.width, height: rect.height };
    }
    return null;
  }, words);
  if (!box) throw new Error(`“${words}” is not in ${testId}`);
  // From inside the first letter to inside the last one: the app grows it to whole words.
  await page.mouse.move(box.x + 3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x + box.width - 3, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
}

const backgroundOf = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

describe('SME review in the app: the list, one item, and a decision that reaches File 360', () => {
  it('finds the flagged item, opens it (claiming it), sees the annotator’s version, corrects it to billing with a comment, and File 360 gets the correction', { timeout: 60_000 }, async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox();
    await annotatorWithEscalation(sb);
    const flagged = sb.admin.escalations().find((escalation) => escalation.reason === 'flagged');
    const question = sb.admin.escalations().find((escalation) => escalation.reason === 'question');
    expect(flagged && question).toBeTruthy();
    const disputed = await disagreement(sb, flagged?.item.task as Record<string, unknown>);
    const { page, errors, close } = await reviewerPage(sb, browser);
    try {
      // The list: every item, each with its reason, priority, who raised it and when it is due.
      const rows = page.getByTestId('review-row');
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3);
      await expect.poll(() => page.getByTestId('reviews-refreshed').textContent()).toMatch(/3 items · Last refreshed (now|\d+ seconds? ago)/);
      const flaggedRow = rows.filter({ hasText: 'Flagged' });
      expect(await flaggedRow.textContent()).toMatch(/FlaggedHigh(In|Tomorrow).*Ana RuizNobody yetOpen/);
      expect(await rows.filter({ hasText: 'Question' }).textContent()).toContain('Normal');
      expect(await rows.filter({ hasText: 'Annotators disagree' }).count()).toBe(1);
      await screenshot(page, 'reviews-list');

      // Filters narrow the list, and say so when nothing matches.
      await page.getByLabel('Reason').selectOption('question');
      await expect.poll(() => rows.count()).toBe(1);
      await page.getByLabel('Priority').selectOption('high');
      await page.getByRole('heading', { name: 'No items match these filters' }).waitFor();
      await page.getByLabel('Reason').selectOption('flagged');
      await expect.poll(() => rows.count()).toBe(1);
      await page.getByRole('button', { name: 'Clear filters' }).first().click();
      await expect.poll(() => rows.count()).toBe(3);

      // Two versions side by side: the reviewer compares them and picks one.
      await rows.filter({ hasText: 'Annotators disagree' }).click();
      await page.waitForURL(new RegExp(`#/reviews/${disputed}$`));
      await page.getByRole('heading', { name: 'Annotators disagree', level: 1 }).waitFor();
      const versions = page.getByTestId('version');
      await expect.poll(() => versions.count()).toBe(2);
      expect(await versions.nth(0).textContent()).toMatch(/Version 1 ana.*feature_request/);
      expect(await versions.nth(1).textContent()).toMatch(/Version 2 lee.*billing.*bug_report/);
      const [left, right] = [await versions.nth(0).boundingBox(), await versions.nth(1).boundingBox()];
      expect(right && left && right.x > left.x + left.width && Math.abs(right.y - left.y) < 2).toBe(true);
      // Nothing is approved until the reviewer picks a version.
      expect(await page.getByRole('button', { name: 'Approve', exact: true }).isDisabled()).toBe(true);
      await versions.nth(1).getByRole('radio').check();
      await page.getByRole('button', { name: 'Approve version 2' }).waitFor();
      await screenshot(page, 'review-item');

      // Dark mode: the same page on dark surfaces.
      const light = await backgroundOf(page);
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect.poll(() => backgroundOf(page)).not.toBe(light);
      // Let the sidebar's colour transitions finish before the picture.
      await page.waitForTimeout(300);
      await screenshot(page, 'review-item-dark');
      await page.emulateMedia({ colorScheme: 'light' });
      await page.getByRole('link', { name: '← All reviews' }).click();

      // Opening the flagged item claims it in File 360.
      await flaggedRow.getByRole('link').click();
      await page.waitForURL(new RegExp(`#/reviews/${flagged?.id}$`));
      await page.getByRole('heading', { name: 'Flagged item' }).waitFor();
      await expect.poll(() => page.getByTestId('claimed-by').textContent()).toBe('You');
      expect(sb.admin.escalations().find((escalation) => escalation.id === flagged?.id)).toMatchObject({ state: 'claimed', assignee: 'u-sam' });
      expect(await page.getByTestId('review-note').textContent()).toBe('Flagged by the annotator.');
      expect(await page.getByTestId('item-text').textContent()).toBe(String(flagged?.item.task && (flagged.item.task as { text: string }).text));
      // Where the item came from, small: its file.
      expect(await page.getByLabel('About this item').textContent()).toMatch(/^File(tasks|tickets)\//);
      await expect.poll(() => versions.count()).toBe(1);
      expect(await versions.first().textContent()).toMatch(/Version 1.*u-ana.*Accepted.*Flagged.*account_access/);
      expect(await versions.first().getByRole('radio').isChecked()).toBe(true);
      await screenshot(page, 'review-flagged');

      // Correct: billing instead of account_access, with a comment.
      await page.getByRole('radio', { name: 'Correct' }).check();
      const options = page.getByRole('group', { name: 'Options' });
      expect(await options.getByRole('button', { name: 'account_access' }).getAttribute('aria-pressed')).toBe('true');
      await options.getByRole('button', { name: 'account_access' }).click();
      await options.getByRole('button', { name: 'billing' }).click();
      expect(await options.getByRole('button', { name: 'billing' }).getAttribute('aria-pressed')).toBe('true');
      expect(await options.getByRole('button', { name: 'account_access' }).getAttribute('aria-pressed')).toBe('false');
      await page.getByLabel('Comment for the annotator').fill('A renewal after cancelling is billing.');
      await screenshot(page, 'review-correct');
      await page.getByRole('button', { name: 'Send correction' }).click();

      await page.getByRole('heading', { name: 'You corrected this item' }).waitFor();
      await expect.poll(() => page.getByTestId('review-outcome-state').textContent(), { timeout: 10_000 }).toMatch(/^Sent to File 360/);
      await until(() => Promise.resolve(sb.admin.escalations().find((escalation) => escalation.id === flagged?.id)), (escalation) => escalation?.state === 'completed', 10_000);
      const remote = sb.admin.escalations().find((escalation) => escalation.id === flagged?.id);
      expect(remote?.decision).toMatchObject({ outcome: 'corrected', actor: 'u-sam', comment: 'A renewal after cancelling is billing.' });
      expect(remote?.decision?.corrected_task?.accept).toEqual(['billing']);
      await screenshot(page, 'review-decided');

      // Back in the list, the decided item has left "To do"; "Decided" shows it with its outcome.
      await page.getByRole('button', { name: 'Back to reviews' }).click();
      await expect.poll(() => rows.count()).toBe(2);
      await page.getByRole('combobox', { name: /^Show/ }).selectOption('completed');
      await expect.poll(() => rows.first().getByTestId('review-decision').textContent()).toBe('Corrected');
      expect(await rows.first().textContent()).toContain('by you');
      await page.getByRole('combobox', { name: /^Show/ }).selectOption('open');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('corrects the spans of a named-entity item: relabels one, removes one, and marks new words by selecting them', { timeout: 60_000 }, async (ctx) => {
    const browser = chromium(ctx);
    const sb = await sandbox();
    const now = Date.now();
    const inDays = (days: number) => new Date(now + days * 86_400_000).toISOString();
    const text = 'Maria Chen from Acme Corp says the Export Wizard crashes on Windows 11 every time.';
    sb.admin.addAssignment({
      id: NER,
      name: 'Support tickets: names and products',
      role: 'annotator',
      permissions: ['view', 'download', 'upload', 'escalate'],
      sharer: { id: 'u-maria', display_name: 'Maria Chen' },
      sharing_date: inDays(-1),
      due_date: inDays(3),
      expiration: inDays(20),
      project: { recipe: 'ner.manual', dataset: 'support_ner', labels: ['PERSON', 'ORG', 'PRODUCT'] },
      reviewer_groups: ['support-sme'],
      user_ids: ['u-ana'],
      files: [{ id: 'fil-ner-1', path: 'tickets/ner-001.txt', text: `${text}\n` }],
    });

    // Ana marks three spans, two of them with the wrong label, and flags the item.
    const ana = await signedInApp(sb, path.join(tempDir(), 'ana'), { env: PRODIGY_ENV, tuning });
    await idle(ana);
    await ana.call('sessions.start', { assignmentId: NER });
    await annotateSpans(ana, [
      ['Maria Chen', 'PERSON'],
      ['Acme Corp', 'PRODUCT'],
      ['Export Wizard', 'ORG'],
    ]);
    await ana.call('sessions.stop', { assignmentId: NER });
    await until(() => ana.call('escalations.list', { assignmentId: NER }), (list) => list[0]?.state === 'open', 15_000);
    const escalation = sb.admin.escalations().find((candidate) => candidate.assignment_id === NER);

    const { page, errors, close } = await reviewerPage(sb, browser);
    try {
      await page.getByTestId('review-row').filter({ hasText: 'Maria Chen from Acme Corp' }).getByRole('link').click();
      await page.waitForURL(new RegExp(`#/reviews/${escalation?.id}$`));
      const version = page.getByTestId('version').first();
      await version.getByText('3 spans').waitFor();
      expect(await version.locator('mark').allTextContents()).toEqual(['Maria Chen', 'Acme Corp', 'Export Wizard']);

      await page.getByRole('radio', { name: 'Correct' }).check();
      const editor = page.getByTestId('correction-text');
      await editor.waitFor();
      // Relabel one…
      await page.getByLabel('Label for “Acme Corp”').selectOption('ORG');
      // …remove one and mark it again by selecting it…
      await page.getByRole('button', { name: 'Remove “Export Wizard”' }).click();
      expect(await editor.locator('mark').allTextContents()).toEqual(['Maria Chen', 'Acme Corp']);
      await selectWords(page, 'correction-text', 'Export Wizard');
      await page.getByText('Selected “Export Wizard”: pick a label').waitFor();
      await page.getByRole('group', { name: 'Label for the selected words' }).getByRole('button', { name: 'PRODUCT' }).click();
      // …and mark new words: a selection inside two words grows to both.
      await selectWords(page, 'correction-text', 'Windows 11');
      await page.getByText('Selected “Windows 11”: pick a label').waitFor();
      await page.getByRole('group', { name: 'Label for the selected words' }).getByRole('button', { name: 'PRODUCT' }).click();
      expect(await editor.locator('mark').allTextContents()).toEqual(['Maria Chen', 'Acme Corp', 'Export Wizard', 'Windows 11']);
      await page.getByLabel('Comment for the annotator').fill('Acme Corp is the customer; Export Wizard and Windows 11 are products.');
      await screenshot(page, 'review-spans');
      await page.getByRole('button', { name: 'Send correction' }).click();
      await page.getByRole('heading', { name: 'You corrected this item' }).waitFor();

      await until(() => Promise.resolve(sb.admin.escalations().find((candidate) => candidate.id === escalation?.id)), (found) => found?.state === 'completed', 10_000);
      const decided = sb.admin.escalations().find((candidate) => candidate.id === escalation?.id)?.decision;
      expect(decided?.outcome).toBe('corrected');
      const spans = (decided?.corrected_task?.spans as Array<Record<string, unknown>>).map(({ start, end, label, text: words }) => ({ start, end, label, text: words }));
      const at = (words: string, label: string) => ({ start: text.indexOf(words), end: text.indexOf(words) + words.length, label, text: words });
      expect(spans).toEqual([at('Maria Chen', 'PERSON'), at('Acme Corp', 'ORG'), at('Export Wizard', 'PRODUCT'), at('Windows 11', 'PRODUCT')]);
      // Prodigy's token ids come along, so the annotator's Prodigy shows the spans on its tokens.
      expect(decided?.corrected_task?.spans).toEqual(expect.arrayContaining([expect.objectContaining({ text: 'Windows 11', token_start: expect.any(Number), token_end: expect.any(Number) })]));
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

/** Answers the first task of the session with these spans, flagged, as Prodigy's page would. */
async function annotateSpans(app: Started, marks: Array<[words: string, label: string]>): Promise<void> {
  const session = await openSession(app, NER);
  const sessionName = new URL(session.url).searchParams.get('session') ?? '';
  const project = (await (await session.call('/project')).json()) as { dataset: string };
  const sessionId = `${project.dataset}-${sessionName}`;
  const batch = (await (await session.call('/get_session_questions', { session_id: sessionId })).json()) as { tasks: Array<Record<string, unknown> & { text: string; tokens: Array<{ start: number; end: number; id: number }> }> };
  const [task] = batch.tasks;
  if (!task) throw new Error('no task to annotate');
  const spans = marks.map(([words, label]) => {
    const start = task.text.indexOf(words);
    const end = start + words.length;
    const first = task.tokens.find((token) => token.start === start);
    const last = task.tokens.find((token) => token.end === end);
    return { start, end, label, token_start: first?.id, token_end: last?.id };
  });
  const answer = { ...task, spans, answer: 'accept', flagged: true, _timestamp: Math.floor(Date.now() / 1000) };
  const response = await session.call('/give_answers', { answers: [answer], session_id: sessionId });
  if (!response.ok) throw new Error(`give_answers: ${response.status} ${await response.text()}`);
}

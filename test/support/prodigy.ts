import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Started } from './companion';
import type { ViewerTarget } from './ports';

/** What the app's Prodigy inherits in tests: this machine's environment, with the stand-in importable as `prodigy`. */
export const PRODIGY_ENV: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: path.resolve('sandbox') };

/** The session the app opened, with the credentials it handed to the viewer. */
export async function openSession(app: Started, assignmentId: string): Promise<ViewerTarget & { call(route: string, body?: unknown): Promise<Response> }> {
  await app.call('sessions.open', { assignmentId });
  const viewer = app.ports.viewer as unknown as { opened: ViewerTarget[] };
  const target = viewer.opened.filter((opened) => opened.assignmentId === assignmentId).at(-1);
  if (!target) throw new Error('the app opened nothing');
  const origin = new URL(target.url).origin;
  const authorization = `Basic ${Buffer.from(`${target.user}:${target.pass}`).toString('base64')}`;
  return {
    ...target,
    call: (route, body) =>
      fetch(`${origin}${route}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}

/** Answers tasks the way Prodigy's page does: fetch a batch for the session, post answers back. */
export async function annotate(
  session: Awaited<ReturnType<typeof openSession>>,
  answers: Array<{ answer: 'accept' | 'reject' | 'ignore'; flagged?: boolean; accept?: string[] }>,
): Promise<void> {
  const sessionName = new URL(session.url).searchParams.get('session') ?? '';
  const project = (await (await session.call('/project')).json()) as { dataset: string };
  const sessionId = `${project.dataset}-${sessionName}`;
  const batch = (await (await session.call('/get_session_questions', { session_id: sessionId })).json()) as { tasks: Array<Record<string, unknown>> };
  const given = answers.map((answer, index) => ({ ...batch.tasks[index], ...answer, _timestamp: Math.floor(Date.now() / 1000) }));
  const response = await session.call('/give_answers', { answers: given, session_id: sessionId });
  if (!response.ok) throw new Error(`give_answers: ${response.status} ${await response.text()}`);
}

/** Pids of the Prodigy runs the app's database says are live. */
export function livePids(dataDir: string): number[] {
  const db = new Database(path.join(dataDir, 'companion.db'), { readonly: true });
  try {
    return db.prepare<[], { pid: number }>("SELECT pid FROM prodigy_sessions WHERE state IN ('starting', 'running') AND pid IS NOT NULL ORDER BY id").all().map((row) => row.pid);
  } finally {
    db.close();
  }
}

/** Three accepted answers (billing, bug_report, other) through Prodigy's API, in a session already started. */
export async function threeTriageAnswers(app: Started, assignmentId: string): Promise<void> {
  await annotate(await openSession(app, assignmentId), [
    { answer: 'accept', accept: ['billing'] },
    { answer: 'accept', accept: ['bug_report'] },
    { answer: 'accept', accept: ['other'] },
  ]);
}

/**
 * Picks one option per task in Prodigy's page and accepts it, as a person does: each task is
 * answered once it is on screen, and the next one is waited for before going on.
 */
export async function acceptChoices(page: Page, labels: string[]): Promise<void> {
  const text = page.getByTestId('task-text');
  for (const label of labels) {
    // Until the first task is drawn the text is hidden and empty; reading it then made "the next
    // task is shown" true at once, and the following click landed on the task still being sent.
    await text.waitFor();
    const shown = await text.textContent();
    const option = page.getByRole('group', { name: 'Options' }).getByRole('button', { name: label, exact: true });
    await option.click();
    await expect.poll(() => option.getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    await expect.poll(() => text.textContent()).not.toBe(shown);
  }
}

import path from 'node:path';
import { sampleFixture, type File360Sandbox } from '../../sandbox/file360';
import type { Started } from './companion';
import { FAST, idle, signedInApp, until } from './file360-app';
import { PRODIGY_ENV, annotate, openSession } from './prodigy';
import { api, signIn } from './sandbox-file360';
import { tempDir } from './tmp';

export const TRIAGE = 'asg-support-triage';
export const REVIEW_TUNING = { ...FAST, outbox: { backoff: { initialMs: 20, maxMs: 200, maxOfflineMs: 200 } } };

/**
 * Ana answers the first tasks of the triage assignment in Prodigy, flagging
 * each, and stops; the export sends every flagged one to File 360 as an
 * escalation. Resolves when File 360 has them all open.
 */
export async function flaggedByAna(sb: File360Sandbox, labels: string[]): Promise<{ ana: Started; dataDir: string }> {
  const dataDir = path.join(tempDir(), 'ana');
  const ana = await signedInApp(sb, dataDir, { env: PRODIGY_ENV, tuning: REVIEW_TUNING });
  await idle(ana);
  await ana.call('sessions.start', { assignmentId: TRIAGE });
  await annotate(
    await openSession(ana, TRIAGE),
    labels.map((label) => ({ answer: 'accept', accept: [label], flagged: true })),
  );
  await ana.call('sessions.stop', { assignmentId: TRIAGE });
  await until(() => ana.call('escalations.list', {}), (list) => list.length === labels.length && list.every((escalation) => escalation.state === 'open'), 20_000);
  return { ana, dataDir };
}

/** The sample fixture with Lee Park, a second reviewer in Sam's group; a copy, as the sample's user list is shared. */
export function withLee() {
  const fixture = sampleFixture();
  return { ...fixture, users: [...fixture.users, { id: 'u-lee', username: 'lee', password: 'lee-password', display_name: 'Lee Park', email: 'lee.park@acme.example', roles: ['reviewer' as const], groups: ['support-sme'] }] };
}

/** A reviewer's app; reviewers need no files on their computer to decide. */
export function reviewerApp(sb: File360Sandbox, name = 'sam', options: Parameters<typeof signedInApp>[2] = {}): Promise<Started> {
  return signedInApp(sb, path.join(tempDir(), name), { env: PRODIGY_ENV, tuning: REVIEW_TUNING, username: name, ...options });
}

/**
 * Two annotators who answered the same ticket differently, as another app of
 * the team would report it; `task` is a triage task to borrow the shape of.
 */
export async function disagreement(sb: File360Sandbox, task: Record<string, unknown>): Promise<string> {
  const { access_token: token } = await signIn(sb, 'ana');
  const { _input_hash: _i, _task_hash: _t, accept: _a, text: _text, meta: _meta, ...rest } = task;
  const text = 'Please send invoices by email every month; the PDF download on the billing page is broken.';
  const { status, body } = await api<{ id: string }>(sb, token, '/file360/v1/escalations', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'e2e-disagreement' },
    body: JSON.stringify({
      assignment_id: TRIAGE,
      reason: 'disagreement',
      note: 'Annotators disagree: feature_request (1) vs billing, bug_report (1).',
      priority: 'normal',
      item: {
        input_hash: 1234,
        task_hash: 5678,
        task: { ...rest, text, meta: { path: 'tickets/ticket-013.txt', file_id: 'fil-ticket-13' }, _input_hash: 1234, _task_hash: 5678 },
        versions: [
          { answer: 'accept', accept: ['feature_request'], session_id: 'support_intents_batch7-u-ana' },
          { answer: 'accept', accept: ['billing', 'bug_report'], session_id: 'support_intents_batch7-u-lee' },
        ],
        file_ids: [],
      },
    }),
  });
  if (status !== 201) throw new Error(`escalation not created: ${status} ${JSON.stringify(body)}`);
  return body.id;
}

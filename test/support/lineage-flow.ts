import path from 'node:path';
import { systemClock } from '../../electron/core/kernel/ports';
import type { File360Sandbox } from '../../sandbox/file360';
import { FAST, idle, signedInApp, until } from './file360-app';
import { PRODIGY_ENV, annotate, openSession } from './prodigy';
import { tempDir } from './tmp';

export const TRIAGE = 'asg-support-triage';
const tuning = { ...FAST, outbox: { backoff: { initialMs: 20, maxMs: 200, maxOfflineMs: 200 } } };

/**
 * Ana annotates three items of the triage assignment (billing, a flagged rejection, a skip) and
 * stops: the export is uploaded and its two disputes are open escalations.
 */
export async function annotatedAndExported(sb: File360Sandbox) {
  const ana = await signedInApp(sb, path.join(tempDir(), 'ana'), { env: PRODIGY_ENV, tuning, ports: { clock: systemClock } });
  await idle(ana);
  await ana.call('sessions.start', { assignmentId: TRIAGE });
  await annotate(await openSession(ana, TRIAGE), [{ answer: 'accept', accept: ['billing'] }, { answer: 'reject', flagged: true }, { answer: 'ignore' }]);
  await ana.call('sessions.stop', { assignmentId: TRIAGE });
  await until(() => ana.call('exports.list', { id: TRIAGE }), (list) => list[0]?.upload.state === 'sent', 15_000);
  await until(() => ana.call('escalations.list', {}), (list) => list.length === 2 && list.every((e) => e.state === 'open'), 15_000);
  return ana;
}

/**
 * The whole F6 chain on the sandbox, through the app's API: Ana answers three
 * items (one flagged, one skipped) and stops, so a package uploads and both
 * items are escalated; Sam corrects the flagged one; Ana's next sync puts the
 * correction into Prodigy. Real clocks, so times read as they would.
 */
export async function exportedAndReviewed(sb: File360Sandbox) {
  const ana = await annotatedAndExported(sb);

  const sam = await signedInApp(sb, path.join(tempDir(), 'sam'), { env: PRODIGY_ENV, tuning, username: 'sam', ports: { clock: systemClock } });
  const flagged = (await sam.call('reviews.refresh', {})).items.find((item) => item.reason === 'flagged');
  if (!flagged) throw new Error('the flagged item did not reach the reviewer');
  await sam.call('reviews.open', { id: flagged.id });
  await sam.call('reviews.decide', { id: flagged.id, outcome: 'corrected', correctedTask: { accept: ['bug_report'] }, comment: 'A blank screen after an upload is a bug.' });
  await until(() => Promise.resolve(sb.admin.escalations().find((e) => e.id === flagged.id)?.state), (state) => state === 'completed', 10_000);

  await ana.call('sync.start', {});
  await until(() => ana.call('escalations.list', {}), (list) => list.some((e) => e.appliedAt !== null), 15_000);
  return { ana, sam, decidedId: flagged.id };
}

import path from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_NAME } from '../../electron/core/companion';
import type { File360Sandbox } from '../../sandbox/file360';
import type { Started, StartOptions } from './companion';
import { idle, signedInApp, until } from './file360-app';
import { PRODIGY_ENV, annotate, openSession } from './prodigy';
import { sandbox } from './sandbox-file360';
import { tempDir } from './tmp';

const TRIAGE = 'asg-support-triage';

/**
 * A signed-in app whose whole log File 360 has acknowledged. Batches are queued
 * when File 360 answers the assignment list, before the downloads, so a second
 * sync is what sends those. The database is open beside the app, for tests to read or tamper with.
 */
export async function acknowledgedLog(): Promise<{ sb: File360Sandbox; app: Started; dataDir: string; db: Database.Database; acked: number }> {
  const sb = await sandbox();
  const dataDir = path.join(tempDir(), 'data');
  const app = await signedInApp(sb, dataDir);
  await idle(app);
  await app.call('sync.start', {});
  const [newest] = (await app.call('audit.list', { limit: 1 })).entries;
  const db = new Database(path.join(dataDir, DATABASE_NAME));
  const ackedThrough = () => Promise.resolve(db.prepare<[], { id: number | null }>('SELECT MAX(last_id) AS id FROM audit_acks').get()?.id ?? 0);
  const acked = await until(ackedThrough, (id) => id >= (newest?.id ?? Infinity));
  return { sb, app, dataDir, db, acked };
}

/**
 * The review loop on the triage assignment: Ana flags an item and stops, the
 * package and the escalation reach File 360, Sam corrects the item, Push brings
 * Ana the decision, which goes into Prodigy, and her Audit view fetches File 360's history of it.
 */
export async function reviewLoop(sb: File360Sandbox, ana: Started, samOptions: StartOptions): Promise<Started> {
  await ana.call('sessions.start', { assignmentId: TRIAGE });
  await annotate(await openSession(ana, TRIAGE), [{ answer: 'accept', accept: ['account_access'], flagged: true }]);
  await ana.call('sessions.stop', { assignmentId: TRIAGE });
  await until(() => ana.call('escalations.list', {}), (list) => list[0]?.state === 'open', 15_000);
  await until(() => ana.call('exports.list', { id: TRIAGE }), (list) => list[0]?.upload.state === 'sent', 15_000);

  const sam = await signedInApp(sb, path.join(tempDir(), 'sam'), { env: PRODIGY_ENV, username: 'sam', ...samOptions });
  await idle(sam);
  const [item] = (await sam.call('reviews.refresh', {})).items;
  await sam.call('reviews.open', { id: item?.id ?? '' });
  await sam.call('reviews.decide', { id: item?.id ?? '', outcome: 'corrected', correctedTask: { accept: ['billing'] }, comment: 'A renewal after cancelling is billing.' });
  await until(() => Promise.resolve(sb.admin.escalations()[0]?.state), (state) => state === 'completed', 10_000);

  await until(() => ana.call('escalations.list', {}), (list) => list[0]?.appliedAt !== null, 15_000);
  await ana.call('audit.fetchHistory');
  const history = await ana.call('audit.timeline', { source: 'file360', limit: 500 });
  if (!history.entries.some((e) => e.type === 'escalation_decided')) throw new Error('File 360’s history of the decision did not arrive');
  return sam;
}

import fs from 'node:fs';
import path from 'node:path';
import type { Ports } from '../../electron/core/kernel/ports';
import { createFileSink, createLogger } from '../../electron/core/kernel/platform/logger';
import { sampleFixture, type Fixture, type File360Sandbox } from '../../sandbox/file360';
import { startCompanion, type Started } from './companion';
import { idle, signedInApp, syncedThenClosed, until, FAST } from './file360-app';
import { ManualClock } from './ports';
import { sandbox } from './sandbox-file360';
import { PRODIGY_ENV, annotate, openSession } from './prodigy';

/**
 * An assignment whose task texts carry a marker no other text in the app
 * has: wherever the marker is found on disk, something of the assignment's
 * content is still there.
 */
export const MARKER = 'Zephyrine4417Kestrel';
export const MARKED = 'asg-marked-intake';
export const MARKED_NAME = 'Intake notes: urgency triage';
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Ana signed in and synced, the app closed, File 360 gone, and the app started `days` later with her sign-in in the keychain. */
export async function startedOfflineAfter(days: number): Promise<{ dataDir: string; again: Started }> {
  const sb = await sandbox();
  const { dataDir, secrets } = await syncedThenClosed(sb);
  await sb.close();
  const later = new ManualClock(new Date(Date.now() + days * DAY).toISOString());
  const again = await startCompanion(dataDir, { argv: ['--server', sb.url, '--tenant', sb.tenant], ports: { clock: later, secrets }, tuning: FAST });
  return { dataDir, again };
}

/** Lee annotates the marked assignment and is also one of its reviewers (support-sme): both sides of its data on one laptop. */
export function markedFixture(now: Date, expiresInMs: number): Fixture {
  const fixture = sampleFixture(now);
  // A copy: the sample's user list is shared by every fixture made in this process.
  fixture.users = [...fixture.users, { id: 'u-lee', username: 'lee', password: 'lee-password', display_name: 'Lee Park', email: 'lee.park@vendor.example', roles: ['annotator', 'reviewer'], groups: ['support-sme'] }];
  fixture.assignments.push({
    id: MARKED,
    name: MARKED_NAME,
    role: 'annotator',
    permissions: ['view', 'download', 'upload', 'escalate'],
    sharer: { id: 'u-maria', display_name: 'Maria Chen' },
    sharing_date: now.toISOString(),
    due_date: new Date(now.getTime() + expiresInMs / 2).toISOString(),
    expiration: new Date(now.getTime() + expiresInMs).toISOString(),
    project: { recipe: 'textcat.manual', dataset: 'intake_urgency', labels: ['urgent', 'routine'], view_id: 'choice' },
    reviewer_groups: ['support-sme'],
    user_ids: ['u-lee'],
    files: ['fever since Monday', 'a broken wrist', 'a prescription refill', 'chest pain at night', 'a rash after hiking'].map((what, index) => ({
      id: `fil-intake-${index + 1}`,
      path: `notes/intake-${index + 1}.txt`,
      text: `${MARKER} patient ${index + 1} reports ${what}.\n`,
    })),
  });
  return fixture;
}

/** Every file under `dir` (the database, its WAL, logs, settings: everything) whose bytes contain `text`, relative to it. */
export function filesContaining(dir: string, text: string): string[] {
  const needle = Buffer.from(text, 'utf8');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => fs.readFileSync(file).includes(needle))
    .map((file) => path.relative(dir, file))
    .sort();
}

/** A logger writing the app's real log file in its data folder, as the shells do: the file is part of what a wipe must leave clean. */
export function fileLogger(dataDir: string) {
  const file = createFileSink(path.join(dataDir, 'logs'));
  return { logger: createLogger({ sinks: [file.sink] }), close: file.close };
}

/**
 * Lee's laptop with everything the marked assignment leaves behind: synced
 * files, three answers in Prodigy, one flagged, exported and sent with its
 * escalation; the escalation again in the review list and in a Push
 * notification that quotes it; then a fourth answer given after the export,
 * in a session still running. Automatic exports are off, so that last answer
 * is still unexported when access ends.
 */
export async function workedOnMarked(sb: File360Sandbox, dataDir: string, ports: Partial<Ports>): Promise<Started> {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ autoExport: false }));
  const app = await signedInApp(sb, dataDir, { username: 'lee', env: PRODIGY_ENV, ports, tuning: { ...FAST, outbox: { backoff: { initialMs: 20, maxMs: 200, maxOfflineMs: 200 } }, wipeLastCallMs: 5000 } });
  await idle(app);
  await app.call('sessions.start', { assignmentId: MARKED });
  await annotate(await openSession(app, MARKED), [
    { answer: 'accept', accept: ['urgent'], flagged: true },
    { answer: 'accept', accept: ['routine'] },
    { answer: 'reject' },
  ]);
  await app.call('sessions.stop', { assignmentId: MARKED });
  const exported = await app.call('exports.run', { id: MARKED });
  if (!exported.exported) throw new Error(`nothing exported: ${exported.message}`);
  await until(() => app.call('exports.list', { id: MARKED }), (list) => list[0]?.upload.state === 'sent', 15_000);
  await until(() => app.call('escalations.list', {}), (list) => list[0]?.state === 'open', 15_000);
  await until(() => app.call('reviews.refresh', {}), (page) => page.items.some((item) => item.assignmentId === MARKED), 15_000);
  // File 360's announcement of the escalation: it names the assignment, not the item, so its text stays off the notification list.
  await until(() => app.call('notifications.list', {}), (page) => page.items.some((item) => item.type === 'review.requested' && item.title.includes(MARKED_NAME)), 15_000);
  // A minute later by the app's clock: packages are named by the time they are made.
  if (ports.clock instanceof ManualClock) ports.clock.advance(MINUTE);
  await app.call('sessions.start', { assignmentId: MARKED });
  await annotate(await openSession(app, MARKED), [{ answer: 'accept', accept: ['urgent'] }]);
  return app;
}

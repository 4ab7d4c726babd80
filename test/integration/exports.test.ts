import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAST, idle, signedInApp, until } from '../support/file360-app';
import { PRODIGY_ENV, annotate, openSession } from '../support/prodigy';
import { sandbox, signIn } from '../support/sandbox-file360';
import { catchUp } from '../support/sandbox-push';
import { tempDir } from '../support/tmp';
import { zipMembers } from '../support/zip';

const TRIAGE = 'asg-support-triage';
const TRIAGE_NAME = 'Support tickets: intent triage (batch 7)';

async function annotatedApp(answers: Parameters<typeof annotate>[1]) {
  const sb = await sandbox();
  const dataDir = path.join(tempDir(), 'data');
  const app = await signedInApp(sb, dataDir, { env: PRODIGY_ENV, tuning: { ...FAST, outbox: { backoff: { initialMs: 20, maxMs: 200, maxOfflineMs: 200 } } } });
  await idle(app);
  await app.call('sessions.start', { assignmentId: TRIAGE });
  await annotate(await openSession(app, TRIAGE), answers);
  return { sb, app };
}

describe('exporting answers: a package and escalations, queued together and sent once', () => {
  it('exports when the session stops, uploads the package with its manifest, and escalates the flagged and skipped items', async () => {
    const { sb, app } = await annotatedApp([{ answer: 'accept', accept: ['billing'] }, { answer: 'reject', flagged: true }, { answer: 'ignore' }]);
    await app.call('sessions.stop', { assignmentId: TRIAGE });

    const [exported] = await until(() => app.call('exports.list', { id: TRIAGE }), (list) => list[0]?.upload.state === 'sent' && list[0].escalated.waiting === 0, 15_000);
    expect(exported).toMatchObject({
      trigger: 'session-stopped',
      annotations: 3,
      counts: { accept: 1, reject: 1, ignore: 1, flagged: 1 },
      disputes: 2,
      escalated: { sent: 2, waiting: 0, failed: 0 },
      sessions: ['support_intents_batch7-u-ana'],
    });

    // File 360 has the package, committed once, and it is what the manifest says.
    const uploads = sb.admin.uploads();
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ kind: 'package', status: 'committed', sha256: exported?.packageSha256, size: exported?.packageSize });
    const tokens = await signIn(sb, 'ana');
    const content = await fetch(`${sb.url}/file360/v1/files/${uploads[0]?.file_id}/content`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const zip = path.join(tempDir(), 'package.zip');
    await fs.promises.writeFile(zip, Buffer.from(await content.arrayBuffer()));
    const members = await zipMembers(zip);
    expect(Object.keys(members).sort()).toEqual(['annotations.jsonl', 'instructions/guidelines.md', 'manifest.json']);
    const manifest = JSON.parse(members['manifest.json']?.text ?? '{}') as Record<string, unknown> & { members: Array<{ path: string; sha256: string }> };
    expect(manifest).toMatchObject({
      format: 2,
      assignment_id: TRIAGE,
      dataset: 'support_intents_batch7',
      counts: { total: 3, accept: 1, reject: 1, ignore: 1, flagged: 1 },
      sessions: ['support_intents_batch7-u-ana'],
      app: { version: '0.1.0-test' },
      instructions: 'instructions/guidelines.md',
      sources_included: false,
      manifest_version: expect.any(String),
    });
    for (const member of manifest.members.filter((m) => m.path !== 'manifest.json')) expect(members[member.path]?.sha256, member.path).toBe(member.sha256);
    const lines = (members['annotations.jsonl']?.text ?? '').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.answer).sort()).toEqual(['accept', 'ignore', 'reject']);

    // The two disputed items reached File 360 as escalations, the flagged one first in priority.
    const escalations = await until(() => Promise.resolve(sb.admin.escalations()), (list) => list.length === 2, 10_000);
    expect(escalations.map((e) => [e.reason, e.priority]).sort()).toEqual([
      ['flagged', 'high'],
      ['ignored', 'normal'],
    ]);
    const flagged = escalations.find((e) => e.reason === 'flagged');
    expect(flagged?.item.versions).toEqual([expect.objectContaining({ answer: 'reject', session_id: 'support_intents_batch7-u-ana', flagged: true })]);
    expect(flagged?.item.file_ids).toHaveLength(1);
    expect(flagged?.note).toContain('Flagged by the annotator.');

    // Push told the reviewers about each escalation once: File 360 announces what it recorded, and the app does not publish it again;
    // the manager who shared the assignment heard that the package arrived. Nothing is left to send.
    await until(() => app.call('outbox.list', { show: 'pending' }), (page) => page.items.length === 0, 10_000);
    const reviewer = (await catchUp(sb, (await signIn(sb, 'sam')).access_token, 0, 100)).items;
    const requested = reviewer.filter((n) => n.type === 'review.requested');
    expect(requested.map((n) => n.data.escalation_id).sort()).toEqual(escalations.map((e) => e.id).sort());
    expect((await app.call('outbox.list', { show: 'all' })).items.filter((item) => item.kind === 'push').map((item) => item.label)).not.toContainEqual(expect.stringContaining('Review'));
    const manager = (await catchUp(sb, (await signIn(sb, 'maria')).access_token, 0, 100)).items;
    expect(manager.filter((n) => n.type === 'annotation.completed')).toEqual([
      expect.objectContaining({ title: expect.stringMatching(/^Annotations uploaded for “.+”$/), summary: '3 answers in support_intents_batch7.', data: expect.objectContaining({ assignment_id: TRIAGE, file_id: uploads[0]?.file_id }) }),
    ]);
    const audit = (await app.call('audit.list', { type: 'export.created' })).entries;
    expect(audit[0]?.details).toMatchObject({ annotations: 3, escalated: 2, trigger: 'session-stopped' });
    // The Outbox names the manager as File 360 named her when sharing the assignment, not by her id.
    const labels = (await app.call('outbox.list', { show: 'all' })).items.filter((item) => item.kind === 'push').map((item) => item.label);
    expect(labels).toContain(`Notify Maria Chen: Annotations uploaded for “${TRIAGE_NAME}”`);
    expect(labels.filter((label) => label.includes('u-maria'))).toEqual([]);
  });

  it('does not package the same answers twice, and escalates an item once however often it is exported', async () => {
    const { sb, app } = await annotatedApp([{ answer: 'reject', flagged: true }]);
    const first = await app.call('exports.run', { id: TRIAGE });
    // Just queued: waiting to be sent, not yet sent for review.
    expect(first.exported).toMatchObject({ trigger: 'manual', annotations: 1, escalated: { sent: 0, waiting: 1, failed: 0 } });
    expect(first.message).toMatch(/^Exported 1 answer; 1 disputed item to send for review\./);
    const again = await app.call('exports.run', { id: TRIAGE });
    expect(again).toMatchObject({ exported: null, message: expect.stringContaining('Nothing new since the last export') });

    await annotate(await openSession(app, TRIAGE), [{ answer: 'accept', accept: ['other'] }]);
    const second = await app.call('exports.run', { id: TRIAGE });
    expect(second.exported).toMatchObject({ annotations: 2, disputes: 1, escalated: { sent: 0, waiting: 0, failed: 0 } });
    await until(() => app.call('exports.list', { id: TRIAGE }), (list) => list.every((e) => e.upload.state === 'sent'), 15_000);
    expect(sb.admin.uploads()).toHaveLength(2);
    expect(sb.admin.escalations()).toHaveLength(1);
  });

  it('says there is nothing to export before anything was annotated', async () => {
    const sb = await sandbox();
    const app = await signedInApp(sb, path.join(tempDir(), 'data'), { env: PRODIGY_ENV });
    await idle(app);
    expect(await app.call('exports.run', { id: TRIAGE })).toEqual({ exported: null, message: expect.stringContaining('Nothing annotated yet') });
  });
});

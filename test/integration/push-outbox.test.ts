import { describe, expect, it } from 'vitest';
import { createFile360Client } from '../../electron/core/remote/file360/client';
import { Outbox } from '../../electron/core/services/outbox/outbox';
import { queuePublish, type Publish } from '../../electron/core/services/outbox/publish';
import { pushSender } from '../../electron/core/services/outbox/push-sender';
import { systemClock } from '../../electron/core/kernel/ports';
import type { File360Sandbox } from '../../sandbox/file360';
import { pushHarness, waitFor, type PushHarness } from '../support/push-harness';
import { allPages, sandbox, signIn } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

function outboxFor(ana: PushHarness) {
  const connection = { client: createFile360Client(ana.session, ana.http), owner: ana.owner() };
  const outbox = new Outbox({ data: ana.data, clock: systemClock, logger: ana.logger, dataDir: tempDir(), connection: () => connection, reachable: () => undefined, changed: () => undefined });
  outbox.register('push', pushSender(ana.client));
  outbox.start();
  const queue = (publish: Omit<Publish, 'owner' | 'assignmentId'>) => ana.data.transaction(() => queuePublish(outbox, { owner: ana.owner(), assignmentId: null, ...publish }) ?? 0);
  const settled = async (id: number) => {
    await waitFor(() => ['sent', 'failed'].includes(outbox.store.get(id)?.state ?? ''), `outbox row ${id} settled`);
    const row = outbox.store.get(id);
    if (!row) throw new Error(`no outbox row ${id}`);
    return row;
  };
  return { outbox, connection, queue, settled };
}

async function samsNotifications(sb: File360Sandbox) {
  const { access_token } = await signIn(sb, 'sam');
  return (await allPages<{ seq: number; title: string; data: Record<string, unknown> }>(sb, access_token, '/push/v1/notifications?after_seq=0&limit=100')).items;
}

describe('publishing through the outbox', () => {
  it('reaches Push once, even when the same row is sent twice', async () => {
    const sb = await sandbox();
    const ana = await pushHarness(sb, tempDir());
    const { outbox, connection, queue, settled } = outboxFor(ana);
    const id = queue({ type: 'pipeline.failed', title: 'Import failed', summary: 'A source file could not be read', groups: ['support-sme'], data: { escalation_id: 'esc-1' } });
    const row = await settled(id);
    expect(row.state).toBe('sent');
    const remote = JSON.parse(row.remote ?? 'null') as { job_id: string; seq_assigned: { min: number; max: number } };
    expect(remote).toMatchObject({ job_id: expect.any(String), seq_assigned: { min: 1, max: 1 } });

    // As after a crash between the send and its record: the same key, so the same job and no second notification.
    const again = await pushSender(ana.client).send(row, { client: connection.client, me: connection.owner, dataDir: '', predecessor: null });
    expect(again).toEqual(remote);
    expect(sb.push.bounds().current_max_seq).toBe(1);
    expect(await samsNotifications(sb)).toEqual([expect.objectContaining({ seq: 1, title: 'Import failed', data: { escalation_id: 'esc-1' } })]);
    await outbox.close();
  });

  it('fails for good, in Push’s words, when Push will not take it', async () => {
    const sb = await sandbox();
    const ana = await pushHarness(sb, tempDir());
    const { outbox, queue, settled } = outboxFor(ana);
    const row = await settled(queue({ type: 'annotation.completed', title: 'Uploaded', summary: '3 answers', users: ['u-nobody'], data: {} }));
    expect(row).toMatchObject({ state: 'failed', attempts: 1, last_error_code: 'INVALID_REQUEST', last_error: expect.stringContaining('Unknown user in users: u-nobody') });
    expect(sb.push.bounds().current_max_seq).toBe(0);
    await outbox.close();
  });
});

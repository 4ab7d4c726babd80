import { describe, expect, it } from 'vitest';
import { runtimeOf } from '../../electron/core/remote/push/device';
import { sandbox } from '../support/sandbox-file360';
import { pushHarness, reaches, waitFor } from '../support/push-harness';
import { tempDir } from '../support/tmp';

const PUT = 'PUT /push/v1/devices/:id/topics/:topic';
const DELETE = 'DELETE /push/v1/devices/:id/topics/:topic';

describe('the Push device', () => {
  it('is registered once per installation: a restart finds it again', async () => {
    const sb = await sandbox();
    const dataDir = tempDir();
    const first = await pushHarness(sb, dataDir);
    await first.client.start();
    const devices = sb.push.devices(first.userId);
    expect(devices).toEqual([expect.objectContaining({ installation_id: first.data.require().installationId, runtime: runtimeOf(process.platform) })]);
    await first.close();

    const second = await pushHarness(sb, dataDir);
    await second.client.start();
    expect(sb.push.devices(first.userId)).toEqual(devices);
    expect(sb.stats().requests['POST /push/v1/devices']).toBe(1);
  });

  it('follows the user’s assignments and groups: new ones subscribed, ended ones dropped, unchanged ones left alone', async () => {
    const sb = await sandbox({ push: { retryMs: 5 } });
    const ana = await pushHarness(sb, tempDir());
    await ana.client.start();
    await reaches(ana, 'live');
    const topics = () => sb.push.devices(ana.userId)[0]?.topics;
    const stored = () => JSON.parse(ana.db().prepare<[], { topics: string }>('SELECT topics FROM push_devices').get()?.topics ?? 'null') as string[];

    await ana.client.syncTopics([{ id: 'asg-a', status: 'active' }, { id: 'asg-b', status: 'active' }], ['support-sme'], ana.userId);
    expect(topics()).toEqual(['assignment.asg-a', 'assignment.asg-b', 'escalations.support-sme', 'user.u-ana']);

    await ana.client.syncTopics([{ id: 'asg-a', status: 'expired' }, { id: 'asg-b', status: 'active' }, { id: 'asg-c', status: 'active' }], [], ana.userId);
    expect(topics()).toEqual(['assignment.asg-b', 'assignment.asg-c', 'user.u-ana']);
    expect(stored()).toEqual(topics());
    expect([sb.stats().requests[PUT], sb.stats().requests[DELETE]]).toEqual([5, 2]);

    await ana.client.syncTopics([{ id: 'asg-b', status: 'active' }, { id: 'asg-c', status: 'active' }], [], ana.userId);
    expect([sb.stats().requests[PUT], sb.stats().requests[DELETE]]).toEqual([5, 2]);

    // What Push sends to a followed topic reaches the stream; a dropped one has nobody to go to.
    const followed = sb.push.publish({ topic: 'assignment.asg-c', type: 'batch.assigned', title: 'New batch', summary: '40 new items' });
    await waitFor(() => ana.storedSeqs().includes(followed.seq_assigned.min), 'the topic notification');
    const dropped = sb.push.publish({ topic: 'assignment.asg-a', type: 'batch.assigned', title: 'Old batch', summary: '' });
    expect(dropped.seq_assigned.max).toBeLessThan(dropped.seq_assigned.min);
  });
});

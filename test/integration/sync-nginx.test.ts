import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { assignmentLayout, partialName } from '../../electron/core/services/assignments/layout';
import { addAssignment, idle, onDisk, signedInApp } from '../support/file360-app';
import { nginxAvailable, startNginx } from '../support/nginx';
import { sandbox, signIn } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

/**
 * The real thing where it exists: Debian's nginx as the object storage behind
 * File 360's pre-signed redirects (secure_link), not only the sandbox's own
 * storage listener. nginx refuses a request that carries an Authorization
 * header, so an app that forwarded its token could not sync here.
 */
const ID = 'asg-nginx';

describe('syncing from nginx as the object storage behind File 360', () => {
  it('downloads every file from nginx without the token, asks again for an expired link, and resumes a partial with nginx’s own ETag', async ({ skip }) => {
    if (!nginxAvailable()) skip('nginx is not installed (Debian: apt-get install nginx; .ci/run installs it)');
    const dir = tempDir();
    const sb = await sandbox();
    addAssignment(sb, ID, [
      { id: 'fil-large', path: 'data/large.bin', size: 2 * 1024 * 1024 },
      ...Array.from({ length: 20 }, (_, i) => ({ id: `fil-n${i}`, path: `texts/${i}.txt`, text: `text number ${i}\n`.repeat(i + 1) })),
    ]);
    const root = path.join(dir, 'root');
    await sb.storage.exportObjects(root, [ID, 'asg-support-triage', 'asg-release-notes']);
    const nginx = await startNginx({ dir: path.join(dir, 'nginx'), root, secret: sb.storage.secret, accessLog: path.join(dir, 'nginx', 'access.log') });
    onTestFinished(() => nginx.close());
    // The first two links arrive already expired: nginx says 403, and the app asks File 360 again.
    sb.storage.set({ redirect: 302, base: nginx.url, expireNext: 2 });

    const dataDir = path.join(dir, 'data');
    const app = await signedInApp(sb, dataDir);
    const list = await idle(app);
    expect(list.map((a) => [a.id, a.sync.state])).toEqual(expect.arrayContaining([[ID, 'synced']]));
    for (const { item, sha256 } of onDisk(sb, dataDir, ID)) expect(sha256, item.path).toBe(item.sha256);
    const first = nginx.requests();
    expect(first.filter((line) => line.startsWith('403 '))).toHaveLength(2);
    expect(first.filter((line) => line.startsWith('200 ')).length).toBeGreaterThanOrEqual(21);
    expect(first.filter((line) => !line.endsWith('"-"'))).toEqual([]);

    // A new version, half downloaded by an earlier run that kept nginx's ETag beside the partial.
    const changed = sb.admin.updateFile('fil-large', { size: 3 * 1024 * 1024 });
    await sb.storage.exportObjects(root, [ID]);
    const { access_token } = await signIn(sb);
    const link = (await fetch(`${sb.url}/file360/v1/files/fil-large/content`, { headers: { Authorization: `Bearer ${access_token}` }, redirect: 'manual' })).headers.get('location') ?? '';
    const head = await fetch(link, { method: 'HEAD' });
    const etag = head.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    const object = fs.readFileSync(path.join(root, 'objects', 'fil-large', String(changed.version_number)));
    const partial = path.join(assignmentLayout(dataDir, ID).partial, partialName('fil-large', changed.version_number, changed.sha256));
    fs.writeFileSync(partial, object.subarray(0, 1024 * 1024));
    fs.writeFileSync(`${partial}.source`, JSON.stringify({ origin: nginx.url, etag }));

    await app.call('sync.start', { id: ID });
    await idle(app);
    const resumed = nginx.requests().slice(first.length + 1);
    // nginx writes a quote inside a logged header as \x22.
    expect(resumed).toEqual([`206 /objects/fil-large/${changed.version_number} "bytes=1048576-" "${etag.replaceAll('"', '\\x22')}" "-"`]);
    const large = onDisk(sb, dataDir, ID).find((file) => file.item.id === 'fil-large');
    expect(large?.sha256).toBe(changed.sha256);
    expect(fs.existsSync(`${partial}.source`)).toBe(false);
  });
});

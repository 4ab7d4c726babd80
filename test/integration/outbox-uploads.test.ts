import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { File360Sandbox } from '../../sandbox/file360';
import { openLocalData } from '../../electron/core/kernel/db/local-data';
import { Outbox } from '../../electron/core/services/outbox/outbox';
import { packageSender } from '../../electron/core/exports/package-sender';
import { systemClock } from '../../electron/core/kernel/ports';
import { fixedTokenClient } from '../support/fixed-token';
import { recordingLogger } from '../support/ports';
import { sandbox, signIn } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

const TRIAGE = 'asg-support-triage';

/**
 * CONTRACTS §A.7 step 5 from the app's side: a package of one chunk or less
 * leaves in one request, under its row's key; a server without step 5 (415)
 * gets the steps, and is not asked the new way again in that run.
 */
async function sendPackages(sb: File360Sandbox, sizes: number[]) {
  const dataDir = tempDir();
  const logger = recordingLogger();
  const data = openLocalData(path.join(dataDir, 'companion.db'), systemClock, () => 'user:u-ana', logger);
  const { client, http } = fixedTokenClient(sb.url, (await signIn(sb, 'ana')).access_token);
  const owner = { server: sb.url, tenant: sb.tenant, userId: 'u-ana' };
  const outbox = new Outbox({ data, clock: systemClock, logger, dataDir, connection: () => ({ client, owner }), reachable: () => undefined, changed: () => undefined, backoff: { initialMs: 10, maxMs: 50, maxOfflineMs: 50 } });
  outbox.register('package', packageSender);
  fs.mkdirSync(path.join(dataDir, 'exports'));
  const sent = sizes.map((size, i) => {
    const bytes = randomBytes(size);
    const file = path.join('exports', `p-${i}.zip`);
    fs.writeFileSync(path.join(dataDir, file), bytes);
    return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), file };
  });
  data.transaction(() => {
    sent.forEach(({ bytes, sha256, file }, i) =>
      outbox.enqueue({ kind: 'package', owner, assignmentId: TRIAGE, label: `p-${i}`, payload: { assignment_id: TRIAGE, name: `p-${i}.zip`, size: bytes.length, sha256, mime_type: 'application/zip', metadata: { i } }, file, size: bytes.length }),
    );
  });
  outbox.start();
  for (let tries = 0; outbox.store.pending().queued + outbox.store.pending().sending > 0 && tries < 500; tries += 1) {
    await outbox.idle();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const rows = outbox.store.list({ states: ['sent', 'failed', 'queued'], limit: 100 });
  await outbox.close();
  data.close();
  await http.close();
  return { sent, rows };
}

const routes = (sb: File360Sandbox) => sb.stats().requests;

describe('small uploads in one round trip', () => {
  it('sends a package of one chunk or less in one request, and a larger one in chunks', async () => {
    const sb = await sandbox({ uploadChunkSize: 64 * 1024 });
    const { sent, rows } = await sendPackages(sb, [4096]);
    expect(rows.map((row) => row.state)).toEqual(['sent']);
    expect(routes(sb)).toMatchObject({ 'POST /file360/v1/assignments/:id/uploads': 1 });
    expect(routes(sb)['PUT /file360/v1/uploads/:id']).toBeUndefined();
    expect(routes(sb)['POST /file360/v1/uploads/:id/commit']).toBeUndefined();
    expect(sb.admin.uploads()).toMatchObject([{ status: 'committed', sha256: sent[0]?.sha256 }]);

    // Larger than the chunk_size: File 360 says 413 to the one request, and the steps follow.
    const big = await sendPackages(sb, [150 * 1024]);
    expect(big.rows.map((row) => row.state)).toEqual(['sent']);
    expect(routes(sb)['PUT /file360/v1/uploads/:id']).toBe(3);
    expect(sb.admin.uploads().map((upload) => upload.sha256)).toEqual([sent[0]?.sha256, big.sent[0]?.sha256]);
  });

  it('sends the same upload again after its answer was lost, and File 360 keeps one', async () => {
    const sb = await sandbox();
    // The first answer to an upload never arrives: the connection is reset before its first byte.
    sb.faults.set({ resetAfterBytes: { bytes: 0, pathPrefix: `/file360/v1/assignments/${TRIAGE}/uploads`, times: 1 } });
    const { sent, rows } = await sendPackages(sb, [2048]);
    expect(rows).toMatchObject([{ state: 'sent', attempts: 2 }]);
    expect(routes(sb)['POST /file360/v1/assignments/:id/uploads']).toBe(2);
    expect(sb.admin.uploads()).toMatchObject([{ status: 'committed', sha256: sent[0]?.sha256 }]);
    expect(sb.admin.audit().filter((event) => event.event_type === 'upload')).toHaveLength(1);
  });

  it('falls back to the steps on a server without step 5 (415), and asks it the new way no more in that run', async () => {
    const sb = await sandbox({ singleRequestUploads: false });
    const { sent, rows } = await sendPackages(sb, [1000, 2000, 3000]);
    expect(rows.map((row) => row.state)).toEqual(['sent', 'sent', 'sent']);
    // Up to one refused one-request upload per send already under way, then a JSON create, a chunk and a commit each.
    const creates = routes(sb)['POST /file360/v1/assignments/:id/uploads'] ?? 0;
    expect(creates).toBeGreaterThanOrEqual(4);
    expect(creates).toBeLessThanOrEqual(6);
    expect(routes(sb)).toMatchObject({ 'PUT /file360/v1/uploads/:id': 3, 'POST /file360/v1/uploads/:id/commit': 3 });
    expect(sb.admin.uploads().map((upload) => upload.sha256).sort()).toEqual(sent.map((item) => item.sha256).sort());

    const later = await sendPackages(sb, [500, 600]);
    expect(later.rows.map((row) => row.state)).toEqual(['sent', 'sent']);
    expect(routes(sb)['POST /file360/v1/assignments/:id/uploads']).toBe(creates + 2);
  });
});

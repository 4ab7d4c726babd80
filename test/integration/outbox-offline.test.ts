import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openLocalData } from '../../electron/core/kernel/db/local-data';
import { Outbox } from '../../electron/core/services/outbox/outbox';
import { queuePublish } from '../../electron/core/services/outbox/publish';
import { decisionSender } from '../../electron/core/reviews/decision-sender';
import { escalationSender } from '../../electron/core/escalations/escalation-sender';
import { packageSender } from '../../electron/core/exports/package-sender';
import { systemClock } from '../../electron/core/kernel/ports';
import { sampleFixture, startFile360Sandbox } from '../../sandbox/file360';
import { until } from '../support/file360-app';
import { fixedTokenClient } from '../support/fixed-token';
import { recordingLogger } from '../support/ports';
import { signIn } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

const TRIAGE = 'asg-support-triage';
const ITEMS = 8;

describe('the outbox offline, then online', () => {
  it('keeps everything while File 360 cannot be reached, then sends it all, each decision after its escalation', async () => {
    // Lee annotates the triage assignment and also reviews it (support-sme): both sides of an escalation on one laptop.
    const fixture = sampleFixture();
    fixture.users.push({ id: 'u-lee', username: 'lee', password: 'lee-password', display_name: 'Lee Park', email: 'lee.park@acme.example', roles: ['annotator', 'reviewer'], groups: ['support-sme'] });
    fixture.assignments.find((a) => a.id === TRIAGE)?.user_ids.push('u-lee');
    const sbDir = tempDir();
    let sb = await startFile360Sandbox({ fixture, dataDir: sbDir });
    const port = Number(new URL(sb.url).port);
    const token = (await signIn(sb, 'lee')).access_token;
    const owner = { server: sb.url, tenant: sb.tenant, userId: 'u-lee' };
    await sb.close();

    const dataDir = tempDir();
    const logger = recordingLogger();
    const data = openLocalData(path.join(dataDir, 'companion.db'), systemClock, () => 'user:u-lee', logger);
    const { client, http } = fixedTokenClient(sb.url, token, { connectTimeoutMs: 500 });
    const reachability: boolean[] = [];
    const outbox = new Outbox({
      data,
      clock: systemClock,
      logger,
      dataDir,
      connection: () => ({ client, owner }),
      reachable: (ok) => reachability.push(ok),
      changed: () => undefined,
      backoff: { initialMs: 30, maxMs: 300, maxOfflineMs: 150 },
    });
    outbox.register('package', packageSender);
    outbox.register('escalation', escalationSender);
    outbox.register('decision', decisionSender);
    onTestFinished(async () => {
      await outbox.close();
      data.close();
      await http.close();
      await sb.close();
    });

    // Offline: an export, escalations, a decision on each (waiting for its escalation), and a notification after each decision.
    const bytes = randomBytes(300_000);
    fs.mkdirSync(path.join(dataDir, 'exports'));
    fs.writeFileSync(path.join(dataDir, 'exports', 'p.zip'), bytes);
    const decisions: number[] = [];
    data.transaction(() => {
      outbox.enqueue({
        kind: 'package',
        owner,
        assignmentId: TRIAGE,
        label: 'export',
        payload: { assignment_id: TRIAGE, name: 'p.zip', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), mime_type: 'application/zip', metadata: {} },
        file: path.join('exports', 'p.zip'),
        size: bytes.length,
      });
      for (let i = 0; i < ITEMS; i += 1) {
        const escalation = outbox.enqueue({
          kind: 'escalation',
          owner,
          assignmentId: TRIAGE,
          label: `escalation ${i}`,
          payload: { assignment_id: TRIAGE, reason: 'question', note: `item ${i}`, priority: 'normal', item: { input_hash: i, task: { text: `item ${i}` }, versions: [], file_ids: [] } },
        });
        const decision = outbox.enqueue({
          kind: 'decision',
          owner,
          assignmentId: TRIAGE,
          label: `decision ${i}`,
          payload: { escalation_id: null, outcome: i % 2 ? 'approved' : 'rejected', comment: `decided ${i}` },
          afterId: escalation,
        });
        decisions.push(decision);
        queuePublish(outbox, { owner, assignmentId: TRIAGE, type: 'pipeline.failed', title: 'decided', summary: `item ${i}`, users: ['u-ana'], data: {}, afterId: decision });
      }
    });
    outbox.start();

    const waiting = await until(
      () => Promise.resolve(outbox.store.list({ states: ['queued', 'sending', 'failed', 'sent'], limit: 100 })),
      (rows) => rows.filter((row) => row.kind === 'package' || row.kind === 'escalation').every((row) => row.attempts >= 2),
      10_000,
    );
    expect(waiting.filter((row) => row.state === 'sent' || row.state === 'failed')).toEqual([]);
    expect(waiting.find((row) => row.kind === 'escalation')?.last_error_code).toBe('network');
    // In words, not as the system's error code.
    expect(waiting.find((row) => row.kind === 'escalation')?.last_error).toBe('File 360 could not be reached: nothing answered at its address.');
    // A decision is not even tried while its escalation has not reached File 360.
    expect(waiting.filter((row) => row.kind === 'decision').every((row) => row.attempts === 0)).toBe(true);
    expect(reachability.at(-1)).toBe(false);

    // Back online (same address, same server state).
    sb = await startFile360Sandbox({ dataDir: sbDir, port });
    outbox.online();
    await until(() => Promise.resolve(outbox.store.pending()), (pending) => pending.queued === 2 * ITEMS - ITEMS && pending.sending === 0, 15_000);
    expect(reachability.at(-1)).toBe(true);

    const rows = outbox.store.list({ states: ['queued', 'sending', 'failed', 'sent'], limit: 100 });
    expect(rows.filter((row) => row.state === 'sent').map((row) => row.kind).sort()).toEqual(['package', ...Array(ITEMS).fill('decision'), ...Array(ITEMS).fill('escalation')].sort());
    // Notifications wait for the Push client; nothing else does.
    expect(rows.filter((row) => row.state !== 'sent').every((row) => row.kind === 'push')).toBe(true);

    const escalations = sb.admin.escalations();
    expect(escalations).toHaveLength(ITEMS);
    for (const escalation of escalations) {
      const i = Number(escalation.note.split(' ')[1]);
      expect(escalation.state).toBe('completed');
      expect(escalation.decision).toMatchObject({ outcome: i % 2 ? 'approved' : 'rejected', comment: `decided ${i}`, actor: 'u-lee' });
      expect(Date.parse(escalation.decision?.time ?? '')).toBeGreaterThanOrEqual(Date.parse(escalation.created));
    }
    expect(sb.admin.uploads()).toEqual([expect.objectContaining({ status: 'committed', size: bytes.length })]);
  });
});

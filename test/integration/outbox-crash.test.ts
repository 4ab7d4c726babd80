import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openLocalData } from '../../electron/core/kernel/db/local-data';
import { queueAuditBatches } from '../../electron/core/audit/audit-batches';
import { Outbox } from '../../electron/core/services/outbox/outbox';
import { systemClock } from '../../electron/core/kernel/ports';
import { recordingLogger } from '../support/ports';
import { sandbox, signIn } from '../support/sandbox-file360';
import { tempDir } from '../support/tmp';

const TRIAGE = 'asg-support-triage';
const KILLS = 24;
const PACKAGES = 12;
const ESCALATIONS = 40;
const AUDIT_ENTRIES = 1200;

/**
 * Fills an outbox the way the app does, in one transaction: packages on disk,
 * escalations, audit batches. Called again whenever the uploader got through
 * everything before the test had killed it often enough.
 */
function prepare(dataDir: string, owner: { server: string; tenant: string; userId: string }, round: number) {
  const logger = recordingLogger();
  const data = openLocalData(path.join(dataDir, 'companion.db'), systemClock, () => `user:${owner.userId}`, logger);
  const outbox = new Outbox({ data, clock: systemClock, logger, dataDir, connection: () => null, reachable: () => undefined, changed: () => undefined });
  const packages: Array<{ sha256: string; size: number }> = [];
  fs.mkdirSync(path.join(dataDir, 'exports'), { recursive: true });
  data.transaction(({ audit }) => {
    for (let i = 0; i < PACKAGES; i += 1) {
      // Odd ones: many chunks each (the sandbox takes 16 KiB per chunk here), so a kill can land in the middle of one.
      // Even ones: one chunk or less, created, sent and committed in one request (CONTRACTS §A.7 step 5).
      const bytes = randomBytes(i % 2 === 1 ? 64 * 1024 + ((i * 37_123) % (192 * 1024)) : 512 + ((i * 7919) % (15 * 1024)));
      const file = path.join('exports', `package-${round}-${i}.zip`);
      fs.writeFileSync(path.join(dataDir, file), bytes);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      packages.push({ sha256, size: bytes.length });
      outbox.enqueue({
        kind: 'package',
        owner,
        assignmentId: TRIAGE,
        label: `package ${round}-${i}`,
        payload: { assignment_id: TRIAGE, name: `package-${round}-${i}.zip`, size: bytes.length, sha256, mime_type: 'application/zip', metadata: { round, i } },
        file,
        size: bytes.length,
      });
    }
    for (let i = 0; i < ESCALATIONS; i += 1) {
      outbox.enqueue({
        kind: 'escalation',
        owner,
        assignmentId: TRIAGE,
        label: `escalation ${round}-${i}`,
        payload: { assignment_id: TRIAGE, reason: 'question', note: `question ${round}-${i}`, priority: 'normal', item: { input_hash: round * 1000 + i, task: { text: `item ${i}` }, versions: [], file_ids: [] } },
      });
    }
    for (let i = 0; i < AUDIT_ENTRIES; i += 1) audit.append({ type: 'settings.changed', details: { i } });
  });
  expect(queueAuditBatches(data, outbox, owner)).toBe(2);
  return outbox.close().then(() => {
    data.close();
    return packages;
  });
}

interface Trial {
  killed: boolean;
  /** Rows the killed process left half sent. */
  leftSending: number;
}

/** Starts the uploader; kills it after `killAfterMs` unless it finished first. */
async function runUploader(args: object, killAfterMs: number | null): Promise<{ finished: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/outbox-child.ts', JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = readline.createInterface({ input: child.stdout });
  let finished = false;
  lines.on('line', (line) => {
    if (line === 'done') finished = true;
  });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  if (killAfterMs !== null) {
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, killAfterMs))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  const code = await exited;
  if (killAfterMs === null) expect(code).toBe(0);
  return { finished };
}

function states(dataDir: string): Record<string, number> {
  const db = new Database(path.join(dataDir, 'companion.db'), { readonly: true });
  try {
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    return Object.fromEntries(db.prepare<[], { state: string; n: number }>('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state').all().map((row) => [row.state, row.n]));
  } finally {
    db.close();
  }
}

function keys(dataDir: string, kind: string): string[] {
  const db = new Database(path.join(dataDir, 'companion.db'), { readonly: true });
  try {
    return db.prepare<[string], { idempotency_key: string }>('SELECT idempotency_key FROM outbox WHERE kind = ? ORDER BY id').all(kind).map((row) => row.idempotency_key);
  } finally {
    db.close();
  }
}

describe('the uploader killed with SIGKILL at random moments', () => {
  it(`loses nothing and sends each idempotency key's payload exactly once (${KILLS} kills)`, { timeout: 180_000 }, async () => {
    const sb = await sandbox({ uploadChunkSize: 16 * 1024 });
    const dataDir = tempDir();
    const owner = { server: sb.url, tenant: sb.tenant, userId: 'u-ana' };
    const packages = await prepare(dataDir, owner, 0);
    let rounds = 1;
    const token = (await signIn(sb, 'ana')).access_token;
    const args = { dataDir, server: sb.url, tenant: sb.tenant, userId: 'u-ana', token };

    const trials: Trial[] = [];
    // A seeded sequence of kill times: the same moments on every run, from "at once" to "well into the work".
    let seed = 20261122;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    while (trials.filter((trial) => trial.killed).length < KILLS) {
      const { finished } = await runUploader(args, Math.floor(next() * 200));
      const after = states(dataDir);
      trials.push({ killed: !finished, leftSending: after.sending ?? 0 });
      if (finished) packages.push(...(await prepare(dataDir, owner, rounds++)));
    }
    await runUploader(args, null);

    const killed = trials.filter((trial) => trial.killed).length;
    const midSend = trials.filter((trial) => trial.leftSending > 0).length;
    process.stdout.write(`outbox crash test: ${killed} kills in ${trials.length} runs over ${rounds} rounds of work, ${midSend} of them with rows half sent\n`);
    expect(midSend).toBeGreaterThan(KILLS / 2);

    // Nothing lost: every row was sent, none failed.
    expect(states(dataDir)).toEqual({ sent: rounds * (PACKAGES + ESCALATIONS + 2) });

    // Exactly once: each key made one thing on the server, and the server made nothing without a key of ours.
    const taken = sb.admin.idempotency();
    const byScope = (scope: string) => taken.filter((record) => record.scope === scope);
    expect(byScope(`uploads:${TRIAGE}`).map((record) => record.key).sort()).toEqual(keys(dataDir, 'package').sort());
    expect(byScope('escalations').map((record) => record.key).sort()).toEqual(keys(dataDir, 'escalation').sort());
    expect(byScope('audit').map((record) => record.key).sort()).toEqual(keys(dataDir, 'audit').sort());

    const uploads = sb.admin.uploads();
    expect(uploads).toHaveLength(rounds * PACKAGES);
    // Both ways of uploading were exercised: half of the packages went in one request each.
    const sentIn = sb.admin.audit().filter((event) => event.event_type === 'upload').map((event) => event.details.sent_in);
    expect(sentIn.filter((how) => how === 'one request')).toHaveLength((rounds * PACKAGES) / 2);
    expect(sentIn.filter((how) => how === 'chunks')).toHaveLength((rounds * PACKAGES) / 2);
    expect(uploads.every((upload) => upload.status === 'committed' && upload.received === upload.size)).toBe(true);
    expect(uploads.map((upload) => upload.sha256).sort()).toEqual(packages.map((p) => p.sha256).sort());
    const escalations = sb.admin.escalations();
    expect(escalations).toHaveLength(rounds * ESCALATIONS);
    expect(new Set(escalations.map((e) => e.note)).size).toBe(rounds * ESCALATIONS);
    const events = sb.admin.audit().filter((event) => event.source === 'client');
    expect(events).toHaveLength(rounds * AUDIT_ENTRIES);
  });
});

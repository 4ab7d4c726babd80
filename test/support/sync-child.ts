/**
 * A whole app in its own process, for tests that must kill it or starve its
 * disk: it signs in through the approve page, syncs, prints every progress
 * event as a JSON line, and at the end prints what is on disk and whether each
 * file's bytes match File 360's checksum.
 *   tsx test/support/sync-child.ts '{"dataDir":…,"server":…,"tenant":…,"username":…,"password":…,"assignmentId":…}'
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCompanion } from '../../electron/core/companion';
import { resolveConfig } from '../../electron/core/kernel/config/config';
import { createLogger } from '../../electron/core/kernel/platform/logger';
import { systemClock } from '../../electron/core/kernel/ports';
import { assignmentLayout } from '../../electron/core/services/assignments/layout';
import type { FilePage } from '../../shared/api/schemas/assignments';
import { testPorts } from './ports';
import { approvingOpener } from './sandbox-oauth';

interface Options {
  dataDir: string;
  server: string;
  tenant: string;
  username: string;
  password: string;
  assignmentId: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const say = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);

const companion = await createCompanion(
  resolveConfig({ argv: ['--data-dir', options.dataDir, '--server', options.server, '--tenant', options.tenant], env: {}, platform: process.platform, homedir: os.homedir(), version: 'child', shell: 'browser' }),
  testPorts({ clock: systemClock, logger: createLogger({ sinks: [] }), opener: approvingOpener(options) }),
  { http: { initialDelayMs: 5, maxDelayMs: 50 }, syncRetry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 50 } },
);

const finished = new Promise<void>((resolve) => {
  companion.events.subscribe((event, payload) => {
    if (event !== 'sync.progress') return;
    const progress = payload as { assignmentId: string; state: string };
    say({ event, payload });
    if (progress.assignmentId === options.assignmentId && progress.state !== 'syncing') resolve();
  });
});
await companion.router.call('auth.signIn', {});
await finished;

const files = (await companion.router.call('assignments.files', { id: options.assignmentId, limit: 2000 })) as { ok: true; value: FilePage };
const list = (await companion.router.call('assignments.list', {})) as { ok: true; value: Array<{ id: string; sync: unknown }> };
const root = assignmentLayout(options.dataDir, options.assignmentId).files;
const onDisk = fs.existsSync(root)
  ? fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { path: path.relative(root, file), sha256: createHash('sha256').update(fs.readFileSync(file)).digest('hex') };
    })
  : [];
say({
  event: 'report',
  sync: list.value.find((a) => a.id === options.assignmentId)?.sync,
  rows: files.value.rows.map((row) => ({ path: row.path, state: row.state })),
  onDisk,
});
await companion.close();
process.exit(0);

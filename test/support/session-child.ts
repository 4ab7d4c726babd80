/**
 * An app in its own process that starts a Prodigy session and then just runs,
 * so a test can kill it with SIGKILL and leave that Prodigy behind.
 *   node --import tsx test/support/session-child.ts '{"dataDir":…,"server":…,"tenant":…,"assignmentId":…}'
 */
import os from 'node:os';
import path from 'node:path';
import { createCompanion } from '../../electron/core/companion';
import { resolveConfig } from '../../electron/core/config/config';
import { createLogger } from '../../electron/core/platform/logger';
import { systemClock } from '../../electron/core/ports';
import { testPorts } from './ports';

const { dataDir, server, tenant, assignmentId } = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const companion = await createCompanion(
  resolveConfig({
    argv: ['--data-dir', dataDir ?? '', '--server', server ?? '', '--tenant', tenant ?? ''],
    env: { ...process.env, PYTHONPATH: path.resolve('sandbox') },
    platform: process.platform,
    homedir: os.homedir(),
    version: 'child',
    shell: 'browser',
  }),
  testPorts({ clock: systemClock, logger: createLogger({ sinks: [] }) }),
);
const result = await companion.router.call('sessions.start', { assignmentId });
process.stdout.write(`${JSON.stringify(result)}\n`);
// Keep running until killed.
setInterval(() => undefined, 60_000);

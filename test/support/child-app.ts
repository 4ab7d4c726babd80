import os from 'node:os';
import path from 'node:path';
import { createCompanion } from '../../electron/core/companion';
import { resolveConfig } from '../../electron/core/kernel/config/config';
import { createLogger } from '../../electron/core/kernel/platform/logger';
import { systemClock } from '../../electron/core/kernel/ports';
import { testPorts } from './ports';

/** The app in a test's child process, on a data folder a test synced, with real time and the Prodigy stand-in. */
export async function childApp({ dataDir, server, tenant }: Record<string, string | undefined>) {
  const ports = testPorts({ clock: systemClock, logger: createLogger({ sinks: [] }) });
  const companion = await createCompanion(
    resolveConfig({
      argv: ['--data-dir', dataDir ?? '', '--server', server ?? '', '--tenant', tenant ?? ''],
      env: { ...process.env, PYTHONPATH: path.resolve('sandbox') },
      platform: process.platform,
      homedir: os.homedir(),
      version: 'child',
      shell: 'browser',
    }),
    ports,
  );
  return { companion, ports };
}

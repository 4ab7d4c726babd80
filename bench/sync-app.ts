/**
 * The app's side of the sync benchmark, in its own process so its peak RSS is
 * its own: signs in, times the cold sync that follows, then a no-change
 * resync, and prints one JSON line with the numbers.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createCompanion } from '../electron/core/companion';
import { resolveConfig } from '../electron/core/kernel/config/config';
import { createLogger } from '../electron/core/kernel/platform/logger';
import { systemClock } from '../electron/core/kernel/ports';
import { testPorts } from '../test/support/ports';
import { approvingOpener } from '../test/support/sandbox-oauth';

const { dataDir, server, tenant, assignmentId } = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;

const companion = await createCompanion(
  resolveConfig({ argv: ['--data-dir', dataDir ?? '', '--server', server ?? '', '--tenant', tenant ?? ''], env: {}, platform: process.platform, homedir: os.homedir(), version: 'bench', shell: 'browser' }),
  testPorts({ clock: systemClock, logger: createLogger({ sinks: [] }), opener: approvingOpener({ username: 'ana', password: 'ana-password' }) }),
);

function settled(): Promise<{ state: string; filesDone: number; message: string | null }> {
  return new Promise((resolve) => {
    const stop = companion.events.subscribe((event, payload) => {
      const progress = payload as { assignmentId: string; state: string; filesDone: number; message: string | null };
      if (event === 'sync.progress' && progress.assignmentId === assignmentId && progress.state !== 'syncing') {
        stop();
        resolve(progress);
      }
    });
  });
}

// Signing in starts the first (cold) sync on its own, as for a user.
const signedIn = new Promise<number>((resolve) =>
  companion.events.subscribe((event, payload) => {
    if (event === 'auth.changed' && (payload as { state: string }).state === 'signed-in') resolve(performance.now());
  }),
);
const cold = settled();
await companion.router.call('auth.signIn', {});
const coldStart = await signedIn;
const coldResult = await cold;
const coldSeconds = (performance.now() - coldStart) / 1000;
const coldRss = process.resourceUsage().maxRSS * 1024;

const warm = settled();
const warmStart = performance.now();
await companion.router.call('sync.start', { id: assignmentId });
await warm;
const resyncSeconds = (performance.now() - warmStart) / 1000;

process.stdout.write(`${JSON.stringify({ coldSeconds, resyncSeconds, peakRssBytes: coldRss, cold: coldResult })}\n`);
await companion.close();
process.exit(0);

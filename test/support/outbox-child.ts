/**
 * The uploader in a process of its own, so a test can kill it with SIGKILL at
 * any moment: the app's outbox on a real data folder, sending to a real File
 * 360 stand-in, until nothing is left; then it prints "done" and exits.
 *   node --import tsx test/support/outbox-child.ts '{"dataDir":…,"server":…,"tenant":…,"userId":…,"token":…}'
 * Sign-in is not what is under test: the access token comes from the parent,
 * as a signed-in session would hand it to the client.
 */
import { openLocalData } from '../../electron/core/kernel/db/local-data';
import { Outbox } from '../../electron/core/services/outbox/outbox';
import { auditSender } from '../../electron/core/audit/audit-sender';
import { decisionSender } from '../../electron/core/reviews/decision-sender';
import { escalationSender } from '../../electron/core/escalations/escalation-sender';
import { packageSender } from '../../electron/core/exports/package-sender';
import { createLogger } from '../../electron/core/kernel/platform/logger';
import { systemClock } from '../../electron/core/kernel/ports';
import { fixedTokenClient } from './fixed-token';

const { dataDir, server, tenant, userId, token } = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const logger = createLogger({ sinks: [] });
const data = openLocalData(`${dataDir}/companion.db`, systemClock, () => `user:${userId}`, logger);
const { client } = fixedTokenClient(server ?? '', token ?? '');
const owner = { server: server ?? '', tenant: tenant ?? '', userId: userId ?? '' };

let finish: () => void = () => undefined;
const finished = new Promise<void>((resolve) => (finish = resolve));
const checkDone = () => {
  const pending = outbox.store.pending();
  if (pending.queued + pending.sending === 0) finish();
};
const outbox = new Outbox({
  data,
  clock: systemClock,
  logger,
  dataDir: dataDir ?? '',
  connection: () => ({ client, owner }),
  reachable: () => undefined,
  changed: checkDone,
  concurrency: 4,
  backoff: { initialMs: 20, maxMs: 200, maxOfflineMs: 200 },
});
outbox.register('package', packageSender);
outbox.register('escalation', escalationSender);
outbox.register('decision', decisionSender);
outbox.register('audit', auditSender(() => data.require().db));
process.stdout.write('started\n');
outbox.start();
checkDone();
await finished;
await outbox.close();
data.close();
process.stdout.write('done\n');
process.exit(0);

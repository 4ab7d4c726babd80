/**
 * An app in its own process with a Prodigy session running and the shells'
 * process-level last line installed, which then meets an error nobody handles:
 *   node --import tsx test/support/last-line-child.ts '{"dataDir":…,"server":…,"tenant":…,"assignmentId":…,"fault":"throw"|"reject"}'
 */
import { installLastLine } from '../../electron/core/kernel/platform/last-line';
import { childApp } from './child-app';

const { dataDir, server, tenant, assignmentId, fault } = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const { companion, ports } = await childApp({ dataDir, server, tenant });
installLastLine({
  process,
  logger: ports.logger,
  record: (error, origin, fatal) => companion.recordUnexpected(error, origin, fatal),
  tellFatal: (words) => process.stderr.write(`${words}\n`),
  stop: () => companion.close(),
  exit: (code) => process.exit(code),
  reportDir: process.env.COMPANION_LAST_LINE_DIR,
});
const result = await companion.router.call('sessions.start', { assignmentId });
process.stdout.write(`${JSON.stringify(result)}\n`);
if (fault === 'throw') {
  setTimeout(() => {
    throw new Error('an error no handler knew about');
  }, 50);
} else {
  void Promise.reject(new Error('a rejection nobody awaited'));
  setTimeout(async () => {
    const status = await companion.router.call('app.status', {});
    process.stdout.write(`${JSON.stringify({ still: status.ok, notified: ports.notifier.shown.map((n) => n.title) })}\n`);
  }, 300);
}
setInterval(() => undefined, 60_000);

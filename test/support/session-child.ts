/**
 * An app in its own process that starts a Prodigy session and then just runs,
 * so a test can kill it with SIGKILL and leave that Prodigy behind.
 *   node --import tsx test/support/session-child.ts '{"dataDir":…,"server":…,"tenant":…,"assignmentId":…}'
 */
import { childApp } from './child-app';

const { dataDir, server, tenant, assignmentId } = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const { companion } = await childApp({ dataDir, server, tenant });
const result = await companion.router.call('sessions.start', { assignmentId });
process.stdout.write(`${JSON.stringify(result)}\n`);
// Keep running until killed.
setInterval(() => undefined, 60_000);

/**
 * Run in a child process (whose environment the test controls) to see which
 * secret store the app would choose there. Prints the store's status as JSON.
 */
import { openSecretStore } from '../../electron/core/kernel/credentials/open-secret-store';
import { recordingLogger } from './ports';

const store = await openSecretStore(recordingLogger(), `annotator-companion-probe-${process.pid}`);
await store.set('server|user', process.argv[2] ?? 'secret');
const roundTrip = await store.get('server|user');
process.stdout.write(JSON.stringify({ status: store.status, roundTrip }));

/**
 * The app's side of the outbox benchmark, in its own process (the sandbox runs
 * in the parent). Prints one JSON line.
 *   enqueue  : 100 000 outbox rows in one transaction, against plain inserts of the same rows
 *   flush    : 10 000 small packages through the outbox, each in one request (A.7 step 5)
 *   baseline : the same 10 000 single requests from a bare loop: no database, no files, no retries, no bookkeeping
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { openLocalData } from '../electron/core/kernel/db/local-data';
import { Outbox } from '../electron/core/services/outbox/outbox';
import { uuidv7 } from '../electron/core/services/outbox/store';
import { packageSender } from '../electron/core/exports/package-sender';
import { createLogger } from '../electron/core/kernel/platform/logger';
import { systemClock } from '../electron/core/kernel/ports';
import { fixedTokenClient } from '../test/support/fixed-token';

const args = JSON.parse(process.argv[2] ?? '{}') as { mode: string; dataDir: string; server: string; tenant: string; token: string; assignmentId: string; count: number; concurrency: number };
const logger = createLogger({ sinks: [] });
const owner = { server: args.server, tenant: args.tenant, userId: 'u-ana' };
const print = (result: object) => process.stdout.write(`${JSON.stringify(result)}\n`);

function item(i: number) {
  return { assignment_id: args.assignmentId, name: `p-${i}.zip`, size: 1024, sha256: createHash('sha256').update(String(i)).digest('hex'), mime_type: 'application/zip', metadata: { i } };
}

if (args.mode === 'enqueue') {
  const data = openLocalData(path.join(args.dataDir, 'app', 'companion.db'), systemClock, () => 'local', logger);
  const outbox = new Outbox({ data, clock: systemClock, logger, dataDir: args.dataDir, connection: () => null, reachable: () => undefined, changed: () => undefined });
  // What the rows say is made first for both sides: only storing them is timed.
  const items = Array.from({ length: args.count }, (_, i) => item(i));
  const started = performance.now();
  data.transaction(() => {
    for (let i = 0; i < args.count; i += 1) outbox.enqueue({ kind: 'package', owner, assignmentId: args.assignmentId, label: `Export ${i}`, payload: items[i], file: `exports/p-${i}.zip`, size: 1024 });
  });
  const appMs = performance.now() - started;

  // The same rows through one prepared INSERT, on a database opened the same way (WAL, synchronous=FULL).
  fs.mkdirSync(path.join(args.dataDir, 'plain'), { recursive: true });
  const plain = new Database(path.join(args.dataDir, 'plain', 'plain.db'));
  plain.pragma('journal_mode = WAL');
  plain.pragma('synchronous = FULL');
  plain.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, kind TEXT, key TEXT UNIQUE, server TEXT, tenant TEXT, user_id TEXT, assignment_id TEXT, label TEXT, payload TEXT, file TEXT, size INTEGER, created_at TEXT)');
  const insert = plain.prepare('INSERT INTO rows (kind, key, server, tenant, user_id, assignment_id, label, payload, file, size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const plainStarted = performance.now();
  plain.transaction(() => {
    for (let i = 0; i < args.count; i += 1) {
      insert.run('package', randomUUID(), owner.server, owner.tenant, owner.userId, args.assignmentId, `Export ${i}`, JSON.stringify(items[i]), `exports/p-${i}.zip`, 1024, new Date().toISOString());
    }
  })();
  print({ appMs, baselineMs: performance.now() - plainStarted });
  await outbox.close();
  data.close();
  process.exit(0);
}

const { client, http } = fixedTokenClient(args.server, args.token);
const bytes = randomBytes(1024);
const sha256 = createHash('sha256').update(bytes).digest('hex');
const upload = (i: number) => ({ assignment_id: args.assignmentId, name: `p-${i}.zip`, size: bytes.length, sha256, mime_type: 'application/zip', metadata: { i } });

if (args.mode === 'baseline') {
  let next = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: args.concurrency }, async () => {
      for (let i = next++; i < args.count; i = next++) {
        const { assignment_id, ...body } = upload(i);
        // A fresh key per request, of the kind each outbox row has.
        await client.uploadAtOnce(assignment_id, uuidv7(), { kind: 'package', ...body }, bytes);
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  print({ ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 });
  await http.close();
  process.exit(0);
}

// flush: the rows and their files are made first (not timed), then the outbox sends them all.
const data = openLocalData(path.join(args.dataDir, 'companion.db'), systemClock, () => 'local', logger);
fs.mkdirSync(path.join(args.dataDir, 'exports'), { recursive: true });
let finish: () => void = () => undefined;
const finished = new Promise<void>((resolve) => (finish = resolve));
// Rows that ended, counted where the outbox records them: in the transaction that commits them, so `finished` resolves after it.
let ended = 0;
const end = () => {
  ended += 1;
  if (ended === args.count) finish();
};
const outbox = new Outbox({
  data,
  clock: systemClock,
  logger,
  dataDir: args.dataDir,
  connection: () => ({ client, owner }),
  reachable: () => undefined,
  changed: () => undefined,
  concurrency: args.concurrency,
});
outbox.register('package', { send: packageSender.send, sent: end, ended: end });
data.transaction(() => {
  for (let i = 0; i < args.count; i += 1) {
    fs.writeFileSync(path.join(args.dataDir, 'exports', `p-${i}.zip`), bytes);
    outbox.enqueue({ kind: 'package', owner, assignmentId: args.assignmentId, label: `Export ${i}`, payload: upload(i), file: `exports/p-${i}.zip`, size: bytes.length });
  }
});
await new Promise((resolve) => setImmediate(resolve));
const started = performance.now();
const cpuBefore = process.cpuUsage();
outbox.start();
await finished;
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const pending = outbox.store.pending();
print({ ms, cpuMs: (cpu.user + cpu.system) / 1000, failed: pending.failed, sent: outbox.store.list({ states: ['sent'], limit: args.count }).length });
await outbox.close();
data.close();
await http.close();
process.exit(0);

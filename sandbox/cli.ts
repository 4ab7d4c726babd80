/**
 * `npm run sandbox [-- <service>] [options]`: starts the local stand-ins and
 * says how to use them. Each service is one entry in SERVICES; `all` (the
 * default) starts every one of them. `publish` talks to one already running.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generatedFixture, sampleFixture, startFile360Sandbox } from './file360';
import { publishCommand } from './push/cli-publish';

interface Options {
  port: number | undefined;
  dataDir: string;
  fresh: boolean;
  fixture: 'sample' | 'generated';
  files: number;
  bytes: number;
  storageRedirect: 302 | 307 | null;
}

interface Running {
  /** Plain sentences for the terminal. */
  describe(): string[];
  close(): Promise<void>;
}

interface Service {
  summary: string;
  start(options: Options): Promise<Running>;
}

const HELP = `Usage: npm run sandbox [-- <service>] [options]

Services:
  all        every stand-in below (the default)
  file360    the File 360 server (OAuth sign-in, assignments, files, uploads, escalations, audit),
             with Push (devices, topics, the SSE stream, catch-up, publishing) under /push/v1

Commands:
  publish    send a Push notification through a running sandbox (publish --help says how)

Options:
  --port N            port of the File 360 sandbox (default 4360; 0 picks a free one)
  --data-dir DIR      where state is kept between runs (default ${path.join(os.tmpdir(), 'annotator-companion-sandbox')})
  --fresh             delete that state first and seed again
  --fixture KIND      sample (default) or generated
  --files N           generated: number of files (default 1000)
  --bytes B           generated: total size, e.g. 104857600, 100MiB or 1GiB (default 100MiB)
  --object-storage S  answer content with a 302 or 307 to a pre-signed link on the sandbox's own
                      storage origin (CONTRACTS A.6), instead of the bytes
  --help              this text`;

const UNITS: Record<string, number> = { '': 1, b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3 };

function parseBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = UNITS[(match?.[2] ?? '').toLowerCase()];
  if (!match || unit === undefined) throw new Error(`--bytes ${text}: give a number of bytes, optionally with KiB, MiB or GiB.`);
  return Math.round(Number(match[1]) * unit);
}

function parseCount(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new Error(`--${name} ${text}: give a whole number.`);
  return Number(text);
}

const file360: Service = {
  summary: 'File 360',
  async start(options) {
    const dataDir = path.join(options.dataDir, 'file360');
    if (options.fresh) fs.rmSync(dataDir, { recursive: true, force: true });
    const existing = fs.existsSync(path.join(dataDir, 'file360.db'));
    const fixture = options.fixture === 'generated' ? generatedFixture({ fileCount: options.files, totalBytes: options.bytes }) : sampleFixture();
    if (!existing && options.fixture === 'generated') console.log(`Generating ${options.files} files (${options.bytes} bytes) and hashing them once…`);
    const sb = await startFile360Sandbox({ dataDir, fixture, port: options.port ?? 4360, storage: { redirect: options.storageRedirect } });
    return {
      close: () => sb.close(),
      describe: () => [
        'File 360 sandbox is running.',
        `  Base URL:   ${sb.url}`,
        `  Tenant:     ${sb.tenant}`,
        `  Client id:  ${sb.clientId} (a public OAuth client: sign-in uses PKCE and a loopback redirect)`,
        `  Data:       ${dataDir}`,
        existing ? '              (state from an earlier run; --fresh starts over)' : '              (seeded now; kept for the next run)',
        '  Test users (username / password):',
        ...sb.users.map((user) => `    ${user.username} / ${user.password}   ${user.display_name}, ${user.roles.join(', ')}; groups: ${user.groups.join(', ') || 'none'}`),
        `  Push:       ${sb.url}/push/v1 (same sign-in, scope push; seq ${sb.push.bounds().current_max_seq} so far)`,
        ...(options.storageRedirect ? [`  Storage:    content answers ${options.storageRedirect} to pre-signed links on ${sb.storage.url}`] : []),
        `  Controls:   POST ${sb.url}/__sandbox/faults, POST ${sb.url}/__sandbox/storage, POST ${sb.url}/__sandbox/clock, GET ${sb.url}/__sandbox/state, GET ${sb.url}/__sandbox/push`,
        '  Publish:    npm run sandbox -- publish --type review.requested --user sam --title "…" --summary "…"',
        '',
        'Point the app at it:',
        `  npm start -- --server ${sb.url} --tenant ${sb.tenant}`,
      ],
    };
  },
};

const SERVICES: Record<string, Service> = { file360 };

function readOptions(argv: string[]): { command: string; options: Options } | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      fresh: { type: 'boolean', default: false },
      fixture: { type: 'string', default: 'sample' },
      files: { type: 'string' },
      bytes: { type: 'string' },
      'object-storage': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals[0] === 'help') return 'help';
  const command = positionals[0] ?? 'all';
  if (command !== 'all' && !(command in SERVICES)) throw new Error(`Unknown service "${command}". Try: all, ${Object.keys(SERVICES).join(', ')}.`);
  if (values.fixture !== 'sample' && values.fixture !== 'generated') throw new Error(`--fixture ${values.fixture}: use sample or generated.`);
  const storage = values['object-storage'];
  if (storage !== undefined && storage !== '302' && storage !== '307') throw new Error(`--object-storage ${storage}: use 302 or 307.`);
  return {
    command,
    options: {
      port: values.port === undefined ? undefined : parseCount('port', values.port, 0),
      dataDir: path.resolve(values['data-dir'] ?? path.join(os.tmpdir(), 'annotator-companion-sandbox')),
      fresh: values.fresh,
      fixture: values.fixture,
      files: parseCount('files', values.files, 1000),
      bytes: values.bytes === undefined ? 100 * 1024 ** 2 : parseBytes(values.bytes),
      storageRedirect: storage === undefined ? null : (Number(storage) as 302 | 307),
    },
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'publish') return publishCommand(argv.slice(1));
  const parsed = readOptions(argv);
  if (parsed === 'help') {
    console.log(HELP);
    return;
  }
  const chosen = parsed.command === 'all' ? Object.values(SERVICES) : [SERVICES[parsed.command] as Service];
  const running: Running[] = [];
  for (const service of chosen) running.push(await service.start(parsed.options));

  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log('\nStopping the sandbox…');
    await Promise.all(running.map((service) => service.close()));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // Only now: whoever waits for this line may stop us at once.
  console.log(running.flatMap((service) => [...service.describe(), '']).join('\n') + 'Press Ctrl+C to stop.');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

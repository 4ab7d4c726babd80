import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AssignmentSummary } from '../../shared/api/schemas/assignments';
import type { EventName, EventPayload } from '../../shared/api/contract';
import type { CompanionTuning } from '../../electron/core/companion';
import { MemorySecretStore } from '../../electron/core/kernel/credentials/memory-store';
import type { Opener } from '../../electron/core/kernel/ports';
import type { File360Sandbox } from '../../sandbox/file360';
import { assignmentLayout } from '../../electron/core/services/assignments/layout';
import { startCompanion, type StartOptions, type Started } from './companion';
import { approvingOpener as approveAs } from './sandbox-oauth';
import { tempDir } from './tmp';

/** Fast retries, so fault storms converge in test time rather than in minutes. */
export const FAST: CompanionTuning = {
  http: { initialDelayMs: 5, maxDelayMs: 50, maxAttempts: 8, bodyTimeoutMs: 2000, headersTimeoutMs: 5000 },
  syncRetry: { maxAttempts: 8, initialDelayMs: 5, maxDelayMs: 50 },
};

/** The approve-page opener for one of the sandbox's users. */
export function approvingOpener(sb: File360Sandbox, username = 'ana', action: 'allow' | 'deny' = 'allow'): Opener & { opened: string[] } {
  const user = sb.users.find((candidate) => candidate.username === username);
  return approveAs({ username, password: user?.password ?? '' }, action);
}

export function nextEvent<E extends EventName>(app: Started, event: E, accept: (payload: EventPayload<E>) => boolean = () => true, timeoutMs = 15_000): Promise<EventPayload<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (stop(), reject(new Error(`no ${event} event within ${timeoutMs} ms`))), timeoutMs);
    const stop = app.companion.events.subscribe((name, payload) => {
      if (name === event && accept(payload as EventPayload<E>)) {
        clearTimeout(timer);
        stop();
        resolve(payload as EventPayload<E>);
      }
    });
  });
}

/** Polls the app's own API until `accept` holds. */
export async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** States a sync ends in; `never` and `changed` mean work is still to come. */
const SETTLED = new Set(['synced', 'problem', 'paused', 'wiped']);

/** Waits until every assignment has settled (synced, failed, paused or wiped) and returns the list. */
export function idle(app: Started, timeoutMs?: number): Promise<AssignmentSummary[]> {
  return until(() => app.call('assignments.list'), (list) => list.length > 0 && list.every((a) => SETTLED.has(a.sync.state)), timeoutMs);
}

/** A real app, pointed at the sandbox and signed in through the browser flow. */
export async function signedInApp(sb: File360Sandbox, dataDir: string, options: StartOptions & { username?: string } = {}): Promise<Started> {
  const app = await startCompanion(dataDir, {
    ...options,
    argv: ['--server', sb.url, '--tenant', sb.tenant, ...(options.argv ?? [])],
    ports: { opener: approvingOpener(sb, options.username), ...options.ports },
    tuning: options.tuning ?? FAST,
  });
  if (!app.companion.status().user) {
    // A database the app refused at start makes sign-in fail with a misleading NO_SERVER; say the real cause.
    const { startupProblem } = await app.call('app.info');
    if (startupProblem) throw new Error(`the app refused its database: ${startupProblem.code} ${startupProblem.message}`);
    const signedIn = nextEvent(app, 'auth.changed', (state) => state.state !== 'waiting');
    await app.call('auth.signIn');
    const state = await signedIn;
    if (state.state !== 'signed-in') throw new Error(`sign-in failed: ${state.message}`);
  }
  return app;
}

/** Ana signed in and synced with her sign-in in a keychain, then the app closed: what a restart finds. */
export async function syncedThenClosed(sb: File360Sandbox): Promise<{ dataDir: string; secrets: MemorySecretStore }> {
  const dataDir = path.join(tempDir(), 'data');
  const secrets = new MemorySecretStore({ kind: 'keychain', detail: 'test keychain' });
  const app = await signedInApp(sb, dataDir, { ports: { secrets } });
  await idle(app);
  await app.companion.close();
  return { dataDir, secrets };
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Every file of the assignment as File 360 lists it, with what is on disk under its name. */
export function onDisk(sb: File360Sandbox, dataDir: string, assignmentId: string) {
  const root = assignmentLayout(dataDir, assignmentId).files;
  return sb.admin.files(assignmentId).map((item) => {
    const file = path.join(root, ...item.path.split('/'));
    return { item, file, exists: fs.existsSync(file), sha256: fs.existsSync(file) ? sha256File(file) : null };
  });
}

/** Every regular file under a folder, relative to it. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** An extra assignment shared with Ana, on top of the sample workspace. */
export function addAssignment(
  sb: File360Sandbox,
  id: string,
  files: Array<{ id?: string; path: string; size?: number; text?: string }>,
  options: { expiresInDays?: number | null; permissions?: Array<'view' | 'download' | 'upload' | 'escalate' | 'decide'> } = {},
): void {
  const now = sb.clock.now().getTime();
  const inDays = (days: number) => new Date(now + days * 86_400_000).toISOString();
  sb.admin.addAssignment({
    id,
    name: `Test assignment ${id}`,
    role: 'annotator',
    permissions: options.permissions ?? ['view', 'download'],
    sharer: { id: 'u-maria', display_name: 'Maria Chen' },
    sharing_date: inDays(0),
    due_date: inDays(5),
    expiration: options.expiresInDays === null ? null : inDays(options.expiresInDays ?? 10),
    project: { recipe: 'textcat.manual', dataset: `ds_${id.replace(/\W/g, '_')}`, labels: ['A', 'B'] },
    reviewer_groups: [],
    user_ids: ['u-ana'],
    files: files.map((file) => (file.text !== undefined ? { id: file.id, path: file.path, text: file.text } : { id: file.id, path: file.path, size: file.size ?? 0 })),
  });
}

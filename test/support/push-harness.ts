/**
 * A signed-in File 360 session (the approve page, no browser), a real SQLite
 * file, the notification center as the sink, and a Push client on top: the
 * parts of the app the Push tests need, without the rest of it.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { onTestFinished } from 'vitest';
import { MemorySecretStore } from '../../electron/core/kernel/credentials/memory-store';
import { openLocalData } from '../../electron/core/kernel/db/local-data';
import { createAccountStore } from '../../electron/core/remote/file360/accounts';
import { createHttp } from '../../electron/core/kernel/http/http';
import { createAuthSupport } from '../../electron/core/remote/file360/revocations';
import { File360Session } from '../../electron/core/remote/file360/session';
import { NotificationCenter } from '../../electron/core/notifications/center';
import { DEFAULT_NOTIFICATION_RULES } from '../../electron/core/notifications/rules';
import { systemClock } from '../../electron/core/kernel/ports';
import { PushClient, type PushClientDeps } from '../../electron/core/remote/push/client';
import type { PushGap, PushState } from '../../electron/core/remote/push/types';
import type { File360Sandbox } from '../../sandbox/file360';
import { recordingLogger, recordingNotifier } from './ports';
import { approvingOpener } from './sandbox-oauth';

export type PushHarness = Awaited<ReturnType<typeof pushHarness>>;

export async function pushHarness(sb: File360Sandbox, dataDir: string, options: { username?: string } & Partial<Pick<PushClientDeps, 'keepaliveTimeoutMs' | 'reconnect'>> = {}) {
  const username = options.username ?? 'ana';
  const user = sb.users.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`No sandbox user ${username}`);
  const logger = recordingLogger();
  const data = openLocalData(path.join(dataDir, 'companion.db'), systemClock, () => `user:${user.id}`, logger);
  const db = (): Database.Database => data.require().db;
  const http = createHttp({ userAgent: 'push-test', initialDelayMs: 5, maxDelayMs: 50 });
  const secrets = new MemorySecretStore({ kind: 'memory', detail: 'push test' });
  const session = new File360Session(
    {
      http,
      secrets,
      ...createAuthSupport(http, { secrets, clock: systemClock, logger }),
      accounts: createAccountStore(db),
      record: (fn) => data.transaction(({ audit }) => fn(audit)),
      clock: systemClock,
      logger,
      opener: approvingOpener({ username, password: user.password }),
      changed: () => undefined,
    },
    sb.url,
    sb.tenant,
  );
  await (await session.beginSignIn()).done;
  const owner = () => {
    const account = session.account();
    return account && { server: account.server, tenant: account.tenant, userId: account.userId };
  };
  const notifier = recordingNotifier();
  const center = new NotificationCenter({ db, owner, clock: systemClock, notifier, rules: () => DEFAULT_NOTIFICATION_RULES, onChange: () => undefined });
  const states: PushState[] = [];
  const gaps: PushGap[] = [];
  const client = new PushClient({
    session,
    http,
    db,
    owner,
    clock: systemClock,
    logger,
    installationId: () => data.require().installationId,
    appVersion: '0.1.0-test',
    sink: (batch) => center.receive(batch),
    onState: (state) => states.push(state),
    onGap: (gap) => gaps.push(gap),
    keepaliveTimeoutMs: options.keepaliveTimeoutMs,
    reconnect: { baseMs: 10, maxMs: 200, healthyMs: 500, ...options.reconnect },
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await client.stop();
    await http.close();
    data.close();
  };
  onTestFinished(close);

  return {
    client,
    session,
    http,
    data,
    owner: () => {
      const current = owner();
      if (!current) throw new Error('signed out');
      return current;
    },
    logger,
    states,
    gaps,
    userId: user.id,
    db,
    close,
    /** The Push notifications stored for this account, in the order they were stored. */
    storedSeqs: (): number[] =>
      db()
        .prepare<[string], { seq: number }>("SELECT seq FROM notifications WHERE user_id = ? AND source = 'push' ORDER BY id")
        .all(user.id)
        .map((row) => row.seq),
    cursor: (): number | null =>
      db().prepare<[string], { last_seq: number }>('SELECT last_seq FROM push_cursor WHERE user_id = ?').get(user.id)?.last_seq ?? null,
  };
}

/** Waits until the client's state is `state` (now or later). */
export function reaches(harness: PushHarness, state: PushState, timeoutMs = 15_000): Promise<void> {
  return waitFor(() => harness.client.state() === state, `push state ${state}`, timeoutMs);
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { SignInState } from '../../shared/api/schemas/assignments';
import { MAX_FRAME_BYTES } from '../../electron/host/server';
import { fuzz, fuzzRuns } from '../support/fuzz';
import { startFile360Sandbox } from '../../sandbox/file360';
import type { sandbox } from '../support/sandbox-file360';
import { approvingOpener } from '../support/file360-app';
import { isAlive, runningProdigyPid } from '../support/processes';
import { closeCodeIn, rawExchange, startShell, statusOnce, upgradeRequest, wsFrame, type ShellProcess } from '../support/shell-process';

/**
 * The three servers the app runs on 127.0.0.1, attacked as any local program
 * could: the browser shell (page and WebSocket), the Prodigy proxy and the
 * sign-in loopback listener. The app runs as `npm start` runs it, in its own
 * process with a live Prodigy session, so a crash is a dead process here, not
 * an error the test runner happens to catch. After every case: the app
 * answers app.status, its page loads, and the Prodigy child is still its own.
 */

const BAD_TARGET = (port: number, extra = '') => `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${extra}\r\n`;
const UPGRADE_HEADERS = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';


async function pageLoads(shell: ShellProcess): Promise<boolean> {
  const response = await fetch(`${shell.origin}/`);
  await response.arrayBuffer();
  return response.status === 200;
}

/** Raw requests a local program can send: known-bad targets, then whatever fast-check makes of methods, targets and headers. */
function rawRequests(port: number): fc.Arbitrary<Buffer> {
  const token = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}$/);
  const target = fc.oneof(
    fc.constantFrom('http://[', 'http://[::1', '//', '/%', '/%zz%', '*', '/\\\\evil', 'http://evil.example/', '/%00', '/api?%', '/launch/', '/launch/x', '/__companion/enter?token=', '/callback?state=%'),
    fc.string({ maxLength: 60 }).map((text) => `/${encodeURI(text)}`),
    fc.stringMatching(/^[\x21-\x7e]{1,60}$/),
  );
  const header = fc.tuple(token, fc.stringMatching(/^[\x20-\x7e]{0,40}$/)).map(([name, value]) => `${name}: ${value}\r\n`);
  const request = fc
    .record({
      method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'CONNECT', 'TRACE', 'BREW'),
      target,
      host: fc.constantFrom(`127.0.0.1:${port}`, `localhost:${port}`, 'evil.example', ''),
      upgrade: fc.boolean(),
      headers: fc.array(header, { maxLength: 4 }),
      body: fc.string({ maxLength: 40 }),
    })
    .map(({ method, target: path, host, upgrade, headers, body }) =>
      Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n${upgrade ? UPGRADE_HEADERS : ''}${headers.join('')}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`),
    );
  return fc.oneof({ weight: 4, arbitrary: request }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) });
}

interface World {
  shell: ShellProcess;
  dataDir: string;
  pid: number;
  proxyPort: number;
  prodigyAnswers(): Promise<boolean>;
}

describe('the app’s local servers under attack from another local program', () => {
  let sb: Awaited<ReturnType<typeof sandbox>>;
  let shell: ShellProcess;
  let dataDir = '';
  let root = '';
  let world: Promise<World> | null = null;

  const start = async () => {
    if (shell) return shell;
    sb = await startFile360Sandbox();
    // Lives for the whole file (tempDir would go at the end of the first test).
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'companion-fuzz-'));
    dataDir = path.join(root, 'data');
    shell = await startShell(['--data-dir', dataDir, '--server', sb.url, '--tenant', sb.tenant]);
    return shell;
  };
  afterAll(async () => {
    await shell?.stop();
    await sb?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  const alive = async () => {
    expect(shell.child.exitCode, shell.output.join('\n')).toBeNull();
    expect(await statusOnce(shell.origin, shell.token)).toMatchObject({ ok: true });
    expect(await pageLoads(shell)).toBe(true);
  };

  const beginSignIn = async () => {
    const waiting = (await (await start()).call('auth.signIn')) as { ok: true; value: SignInState };
    return new URL(waiting.value.authorizeUrl ?? '');
  };
  const finishSignIn = async (authorizeUrl: URL) => {
    const signedIn = shell.event('auth.changed', (state) => (state as SignInState).state === 'signed-in');
    await approvingOpener(sb).openExternal(authorizeUrl.href);
    await signedIn;
  };

  /** Signed in, synced, with a Prodigy session running and opened in a tab through the proxy. */
  const ready = () =>
    (world ??= (async () => {
      await start();
      if (!((await shell.call('app.status')) as { ok: true; value: { user: unknown } }).value.user) await finishSignIn(await beginSignIn());
      const listed = async () => ((await shell.call('assignments.list')) as { ok: true; value: Array<{ sync: { state: string } }> }).value;
      await expect.poll(async () => (await listed()).filter((a) => a.sync.state === 'synced').length, { timeout: 20_000 }).toBe(2);
      const startedSession = await shell.call('sessions.start', { assignmentId: 'asg-support-triage' });
      expect(startedSession, JSON.stringify(startedSession)).toMatchObject({ ok: true, value: { state: 'running' } });
      const pid = runningProdigyPid(dataDir);
      expect(isAlive(pid)).toBe(true);
      const opened = (await shell.call('sessions.open', { assignmentId: 'asg-support-triage' })) as { ok: true; value: { url: string | null } };
      const entry = await fetch(opened.value.url ?? '', { redirect: 'manual' });
      const cookie = (entry.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const proxy = new URL(opened.value.url ?? '');
      const prodigyAnswers = async () => (await fetch(`${proxy.origin}/project`, { headers: { cookie } })).status === 200;
      expect(await prodigyAnswers()).toBe(true);
      return { shell, dataDir, pid, proxyPort: Number(proxy.port), prodigyAnswers };
    })());

  it('the sign-in loopback listener answers 400 to `GET http://[` and fuzzed requests, then still takes the real answer', { timeout: 30_000 + fuzzRuns(40) * 1000 }, async () => {
    const authorizeUrl = await beginSignIn();
    const loopbackPort = Number(new URL(authorizeUrl.searchParams.get('redirect_uri') ?? '').port);
    expect((await rawExchange(loopbackPort, BAD_TARGET(loopbackPort))).reply.toString()).toMatch(/^HTTP\/1\.1 400/);
    await alive();
    await fuzz('loopback-listener-http', rawRequests(loopbackPort), async (bytes) => {
      await rawExchange(loopbackPort, bytes, 100);
      return (await statusOnce(shell.origin, shell.token)).ok;
    }, 40);
    await finishSignIn(authorizeUrl);
  });

  it('the browser shell answers 400 to `GET http://[`, on the page and on the upgrade path before any check', async () => {
    const { prodigyAnswers } = await ready();
    for (const bytes of [BAD_TARGET(shell.port), BAD_TARGET(shell.port, UPGRADE_HEADERS)]) {
      expect((await rawExchange(shell.port, bytes)).reply.toString()).toMatch(/^HTTP\/1\.1 400/);
      await alive();
      expect(await prodigyAnswers()).toBe(true);
    }
  });

  it('the Prodigy proxy answers `GET http://[` with 400 (and an upgrade with 501)', async () => {
    const { proxyPort, prodigyAnswers } = await ready();
    expect((await rawExchange(proxyPort, BAD_TARGET(proxyPort))).reply.toString()).toMatch(/^HTTP\/1\.1 400/);
    expect((await rawExchange(proxyPort, BAD_TARGET(proxyPort, UPGRADE_HEADERS))).reply.toString()).toMatch(/^HTTP\/1\.1 (400|501)/);
    await alive();
    expect(await prodigyAnswers()).toBe(true);
  });

  // WebSocket protocol errors on a signed-in socket: each closes that socket with its code, and only it.
  const text = (payload: Buffer) => wsFrame({ opcode: 1, payload });
  const cases: Array<[string, () => Buffer, number]> = [
    ['a text frame over 1 MiB', () => text(Buffer.alloc(MAX_FRAME_BYTES + 1, 0x61)), 1009],
    ['invalid UTF-8', () => text(Buffer.from([0x22, 0xff, 0xfe, 0x22])), 1007],
    ['RSV bits set', () => wsFrame({ opcode: 1, payload: Buffer.from('{}'), rsv: 4 }), 1002],
    ['an unmasked frame', () => wsFrame({ opcode: 1, payload: Buffer.from('{}'), masked: false }), 1002],
    ['opcode 3', () => wsFrame({ opcode: 3, payload: Buffer.from('x') }), 1002],
    ['a 200-byte ping', () => wsFrame({ opcode: 9, payload: Buffer.alloc(200, 1) }), 1002],
  ];
  for (const [what, frame, code] of cases) {
    it(`a signed-in socket that sends ${what} is closed with ${code}; the app goes on`, async () => {
      const { prodigyAnswers } = await ready();
      const { reply } = await rawExchange(shell.port, Buffer.concat([Buffer.from(upgradeRequest(shell.port, shell.token)), frame()]), 3000);
      expect(closeCodeIn(reply)).toBe(code);
      await alive();
      expect(await prodigyAnswers()).toBe(true);
    });
  }

  it('fuzzed requests to the shell and the proxy, and fuzzed frames on a signed-in socket, leave every server answering', { timeout: 60_000 + fuzzRuns(40) * 3 * 1000 }, async () => {
    const { proxyPort, prodigyAnswers } = await ready();
    const check = async () => shell.child.exitCode === null && (await statusOnce(shell.origin, shell.token)).ok && (await pageLoads(shell)) && (await prodigyAnswers());
    await fuzz('browser-shell-http', rawRequests(shell.port), async (bytes) => (await rawExchange(shell.port, bytes, 100), check()), 40);
    await fuzz('prodigy-proxy-http', rawRequests(proxyPort), async (bytes) => (await rawExchange(proxyPort, bytes, 100), check()), 40);
    const frame = fc
      .record({ opcode: fc.integer({ min: 0, max: 15 }), rsv: fc.integer({ min: 0, max: 7 }), masked: fc.boolean(), fin: fc.boolean(), payload: fc.uint8Array({ maxLength: 300 }) })
      .map(({ payload, ...rest }) => wsFrame({ ...rest, payload: Buffer.from(payload) }));
    await fuzz('browser-shell-websocket', fc.array(frame, { minLength: 1, maxLength: 4 }), async (frames) => {
      await rawExchange(shell.port, Buffer.concat([Buffer.from(upgradeRequest(shell.port, shell.token)), ...frames]), 150);
      return check();
    }, 40);
  });

  it('after all of it, Prodigy is still the app’s own child and stops with it: nothing is orphaned', async () => {
    const { pid } = await ready();
    expect(runningProdigyPid(dataDir)).toBe(pid);
    expect(isAlive(pid)).toBe(true);
    expect(await shell.stop()).toBe(0);
    await expect.poll(() => isAlive(pid), { timeout: 15_000 }).toBe(false);
  });
});

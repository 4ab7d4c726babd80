import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import WebSocket from 'ws';
import type { CallResult, ServerFrame } from '../../shared/api/wire';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../shared/api/wire';
import { PRODIGY_ENV } from './prodigy';

/** The browser shell as `npm start` runs it (the built bundle, its own process), and a page's socket to it. */
export interface ShellProcess {
  child: ChildProcess;
  url: string;
  origin: string;
  port: number;
  token: string;
  /** Everything it printed on stdout and stderr. */
  output: string[];
  call(method: string, input?: unknown): Promise<CallResult>;
  /** The next event of that name on the shell's socket. */
  event(name: string, accept?: (payload: unknown) => boolean, timeoutMs?: number): Promise<unknown>;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export async function startShell(args: string[], env: NodeJS.ProcessEnv = {}, options: { open?: boolean } = {}): Promise<ShellProcess> {
  const child = spawn(process.execPath, [path.resolve('dist/host/main.mjs'), ...(options.open ? [] : ['--no-open']), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...PRODIGY_ENV, BROWSER: 'true', ...env },
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  readline.createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => output.push(line));
  const url = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      output.push(line);
      const match = /running at (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`the browser shell exited (${code}): ${output.join('\n')}`)));
  });
  const parsed = new URL(url);
  const token = /token=([^&]+)/.exec(parsed.hash)?.[1] ?? '';
  const ws = await openSocket(parsed.origin, token);
  let nextId = 1;
  const pending = new Map<number, (result: CallResult) => void>();
  const listeners = new Set<(frame: ServerFrame) => void>();
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as ServerFrame;
    if (frame.type === 'result') pending.get(frame.id)?.(frame.result);
    for (const listener of listeners) listener(frame);
  });
  return {
    child,
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token,
    output,
    exited,
    call(method, input = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ type: 'call', id, method, input }), (error) => error && reject(error));
      });
    },
    event(name, accept = () => true, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => (listeners.delete(listener), reject(new Error(`no ${name} event within ${timeoutMs} ms`))), timeoutMs);
        const listener = (frame: ServerFrame) => {
          if (frame.type === 'event' && frame.event === name && accept(frame.payload)) {
            clearTimeout(timer);
            listeners.delete(listener);
            resolve(frame.payload);
          }
        };
        listeners.add(listener);
      });
    },
    async stop() {
      ws.terminate();
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A page's authenticated socket: the right Origin, Host and token. */
export function openSocket(origin: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/api`, [WS_PROTOCOL, WS_TOKEN_PREFIX + token], { origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** A fresh socket asks `app.status` and closes: the question every fuzz case ends with. */
export async function statusOnce(origin: string, token: string): Promise<CallResult> {
  const ws = await openSocket(origin, token);
  try {
    return await new Promise<CallResult>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer to app.status within 5 s')), 5000);
      // Events (status, sync progress) may come first; only this call's result counts.
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as ServerFrame;
        if (frame.type !== 'result' || frame.id !== 1) return;
        clearTimeout(timer);
        resolve(frame.result);
      });
      ws.send(JSON.stringify({ type: 'call', id: 1, method: 'app.status', input: {} }));
    });
  } finally {
    ws.terminate();
  }
}

/**
 * Sends bytes on a fresh TCP connection and collects what comes back until
 * the server closes it or `waitMs` passes; never fails on a reset.
 */
export function rawExchange(port: number, bytes: Buffer | string, waitMs = 1500): Promise<{ reply: Buffer; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1');
    let closedByServer = false;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ reply: Buffer.concat(chunks), closedByServer });
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => ((closedByServer = true), done()));
    socket.on('end', () => ((closedByServer = true), done()));
    socket.on('connect', () => socket.write(bytes));
  });
}

/** One WebSocket frame as a client (or, unmasked, a broken client) writes it: RFC 6455 §5.2. */
export function wsFrame(options: { opcode: number; payload: Buffer; fin?: boolean; rsv?: number; masked?: boolean }): Buffer {
  const { opcode, payload, fin = true, rsv = 0, masked = true } = options;
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  if (payload.length < 126) head.push(maskBit | payload.length);
  else if (payload.length < 65536) head.push(maskBit | 126, payload.length >> 8, payload.length & 0xff);
  else {
    head.push(maskBit | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(payload.length));
    head.push(...big);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([Buffer.from(head), mask, body]);
}

/** The upgrade request of a page with the right Origin, Host and token. */
export function upgradeRequest(port: number, token: string): string {
  return [
    'GET /api HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    `Origin: http://127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Protocol: ${WS_PROTOCOL}, ${WS_TOKEN_PREFIX}${token}`,
    '',
    '',
  ].join('\r\n');
}

/** The close code in the first close frame the server sent after the 101, if any. */
export function closeCodeIn(reply: Buffer): number | null {
  const end = reply.indexOf('\r\n\r\n');
  if (end < 0 || !reply.subarray(0, 12).toString().includes('101')) return null;
  let at = end + 4;
  while (at + 2 <= reply.length) {
    const opcode = (reply[at] ?? 0) & 0x0f;
    let length = (reply[at + 1] ?? 0) & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      length = reply.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      length = Number(reply.readBigUInt64BE(offset));
      offset += 8;
    }
    if (opcode === 8) return length >= 2 ? reply.readUInt16BE(offset) : 1005;
    at = offset + length;
  }
  return null;
}

import fs from 'node:fs';
import type { Socket } from 'node:net';
import os from 'node:os';

/** /proc/net/tcp's form of an IPv4 address and port: the address as a 32-bit word in host byte order, both in hex. */
function procAddress(ip: string, port: number): string | null {
  const octets = ip.replace(/^::ffff:/, '').split('.').map(Number);
  if (octets.length !== 4 || octets.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return null;
  const ordered = os.endianness() === 'LE' ? [...octets].reverse() : octets;
  const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');
  return `${ordered.map((n) => hex(n, 2)).join('')}:${hex(port, 4)}`;
}

/**
 * Which user owns the other end of a loopback TCP connection, read from
 * /proc/net/tcp as identd does (Linux): the client's socket is the line whose
 * local address is our remote one. `undefined` where the system does not say
 * (no /proc/net/tcp: macOS, Windows), `null` when no line matched.
 */
export async function loopbackPeerUid(socket: Socket, table = '/proc/net/tcp'): Promise<number | null | undefined> {
  let text: string;
  try {
    text = await fs.promises.readFile(table, 'utf8');
  } catch {
    return undefined;
  }
  const theirs = procAddress(socket.remoteAddress ?? '', socket.remotePort ?? -1);
  const ours = procAddress(socket.localAddress ?? '', socket.localPort ?? -1);
  if (!theirs || !ours) return null;
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === theirs && fields[2] === ours) {
      const uid = Number(fields[7]);
      return Number.isInteger(uid) ? uid : null;
    }
  }
  return null;
}

/** False only when the system says the connection belongs to another user of this computer. */
export async function isSameUser(socket: Socket): Promise<boolean> {
  const uid = await loopbackPeerUid(socket);
  const mine = process.getuid?.();
  return uid === undefined || uid === null || mine === undefined || uid === mine;
}

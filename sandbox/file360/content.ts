import { createCipheriv, createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

/** Where the bytes of one file version come from. */
export type ContentSource =
  | { source: 'generated'; fileId: string; version: number; size: number }
  | { source: 'inline'; bytes: Buffer }
  | { source: 'blob'; blobPath: string };

const CHUNK = 64 * 1024;
const ZEROS = Buffer.alloc(CHUNK);

/**
 * Generated files are an AES-256-CTR keystream keyed by the fixture seed, with
 * a nonce per (file id, version): any byte range can be produced on demand, so
 * a 1 GiB workspace costs no disk and a Range request costs no skipping.
 */
function cipherAt(seed: number, fileId: string, version: number, offset: number) {
  const key = createHash('sha256').update(`file360-sandbox:${seed}`).digest();
  const iv = Buffer.alloc(16);
  createHash('sha256').update(`${fileId}\0${version}`).digest().copy(iv, 0, 0, 8);
  iv.writeBigUInt64BE(BigInt(Math.floor(offset / 16)), 8);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  cipher.update(ZEROS.subarray(0, offset % 16));
  return cipher;
}

/** Bytes [start, end] (inclusive) of a generated file, streamed in 64 KiB chunks. */
function generatedRange(seed: number, fileId: string, version: number, start: number, end: number): Readable {
  const cipher = cipherAt(seed, fileId, version, start);
  let left = end - start + 1;
  return new Readable({
    read() {
      const length = Math.min(CHUNK, left);
      left -= length;
      this.push(length > 0 ? cipher.update(ZEROS.subarray(0, length)) : null);
    },
  });
}

/** Hashes a generated file without keeping it; done once, when the file is created. */
export function hashGenerated(seed: number, fileId: string, version: number, size: number): string {
  const cipher = cipherAt(seed, fileId, version, 0);
  const hash = createHash('sha256');
  const block = Buffer.alloc(1024 * 1024);
  for (let left = size; left > 0; left -= block.length) hash.update(cipher.update(left >= block.length ? block : block.subarray(0, left)));
  return hash.digest('hex');
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function hashFile(file: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  if (size > 0) for await (const chunk of fs.createReadStream(file, { start: 0, end: size - 1 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A stream of bytes [start, end] of one file version; `blobDir` holds uploaded and admin-written files. */
export function openContent(content: ContentSource, seed: number, blobDir: string, start: number, end: number): Readable {
  switch (content.source) {
    case 'generated':
      return generatedRange(seed, content.fileId, content.version, start, end);
    case 'inline':
      return Readable.from([content.bytes.subarray(start, end + 1)]);
    case 'blob':
      return fs.createReadStream(path.join(blobDir, content.blobPath), { start, end, highWaterMark: CHUNK });
  }
}

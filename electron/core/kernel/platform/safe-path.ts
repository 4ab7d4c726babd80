import path from 'node:path';

/**
 * File 360 paths are untrusted: a server (or whoever controls it) chooses them,
 * and they become file names on a laptop. A path is accepted only if it is a
 * plain relative `a/b/c` that means the same thing on Linux, macOS and Windows.
 */

const MAX_SEGMENT_BYTES = 255;
const MAX_PATH_BYTES = 1024;
const MAX_DEPTH = 32;
/** Windows device names, also with an extension ("CON.txt" opens the console). */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Characters Windows forbids in names; ':' would also open an NTFS alternate data stream. */
const WINDOWS_FORBIDDEN = /[<>:"|?*\\]/;

export type PathCheck = { ok: true; segments: string[] } | { ok: false; reason: string };

export function checkRemotePath(raw: string): PathCheck {
  const fail = (reason: string): PathCheck => ({ ok: false, reason });
  if (raw.length === 0) return fail('The path is empty.');
  if (CONTROL.test(raw)) return fail('The path contains a NUL or control character.');
  if (Buffer.byteLength(raw) > MAX_PATH_BYTES) return fail(`The path is longer than ${MAX_PATH_BYTES} bytes.`);
  if (raw.startsWith('/') || raw.startsWith('\\')) return fail('The path is absolute.');
  if (/^[A-Za-z]:/.test(raw)) return fail('The path starts with a drive letter.');
  if (raw !== raw.normalize('NFC')) return fail('The path is not in normalised (NFC) Unicode form, so it could name two different files.');
  const segments = raw.split('/');
  if (segments.length > MAX_DEPTH) return fail(`The path is more than ${MAX_DEPTH} folders deep.`);
  for (const segment of segments) {
    if (segment === '') return fail('The path has an empty part (a doubled or trailing "/").');
    if (segment === '.' || segment === '..') return fail('The path contains "." or "..".');
    if (WINDOWS_FORBIDDEN.test(segment)) return fail(`"${segment}" contains a character that is not allowed in file names (< > : " | ? * \\).`);
    if (/[. ]$/.test(segment)) return fail(`"${segment}" ends with a dot or a space, which Windows drops.`);
    if (RESERVED.test(segment)) return fail(`"${segment}" is a reserved device name on Windows.`);
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return fail(`A part of the path is longer than ${MAX_SEGMENT_BYTES} bytes.`);
  }
  return { ok: true, segments };
}

/** Where a checked path lives under `root`, asserting it stayed there. */
export function resolveInside(root: string, segments: readonly string[]): string {
  const base = path.resolve(root);
  const target = path.resolve(base, ...segments);
  if (!target.startsWith(base + path.sep)) throw new Error(`refused to resolve a path outside ${base}`);
  return target;
}

/**
 * Two manifest entries that would be the same file on a case-insensitive disk
 * (macOS, Windows). The key is what such a disk compares.
 */
export function collisionKey(relativePath: string): string {
  return relativePath.normalize('NFC').toLowerCase();
}

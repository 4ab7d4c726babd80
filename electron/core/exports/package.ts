import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import yazl from 'yazl';

export interface PackageMember {
  /** Its path inside the archive, `/`-separated. */
  name: string;
  /** Read from this file, or … */
  file?: string;
  /** … this text (UTF-8). */
  text?: string;
}

export interface MemberInfo {
  path: string;
  size: number;
  sha256: string;
}

export interface BuiltPackage {
  file: string;
  size: number;
  sha256: string;
  members: MemberInfo[];
}

async function describe(member: PackageMember): Promise<MemberInfo> {
  const hash = createHash('sha256');
  let size = 0;
  if (member.text !== undefined) {
    const bytes = Buffer.from(member.text, 'utf8');
    hash.update(bytes);
    size = bytes.length;
  } else {
    for await (const chunk of fs.createReadStream(member.file ?? '')) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  }
  return { path: member.name, size, sha256: hash.digest('hex') };
}

/**
 * Writes a zip (yazl: streaming, ZIP64 when needed) holding the members and a
 * `manifest.json` built from their checksums. The archive appears under its
 * name only once complete and on disk (temp file, fsync, rename), so a crash
 * or a full disk leaves no half package for the outbox to send.
 */
export async function writePackage(outFile: string, members: PackageMember[], manifest: (members: MemberInfo[]) => unknown, mtime: Date): Promise<BuiltPackage> {
  const infos: MemberInfo[] = [];
  for (const member of members) infos.push(await describe(member));
  const manifestText = `${JSON.stringify(manifest(infos), null, 2)}\n`;

  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(manifestText, 'utf8'), 'manifest.json', { mtime, mode: 0o100644 });
  for (const member of members) {
    if (member.text !== undefined) zip.addBuffer(Buffer.from(member.text, 'utf8'), member.name, { mtime, mode: 0o100644 });
    else zip.addFile(member.file ?? '', member.name, { mtime, mode: 0o100644 });
  }
  zip.end();

  const temp = `${outFile}.${randomBytes(4).toString('hex')}.partial`;
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  fs.mkdirSync(path.dirname(outFile), { recursive: true, mode: 0o700 });
  try {
    await pipeline(zip.outputStream, tap, fs.createWriteStream(temp, { mode: 0o600 }));
    // fsync through a second descriptor: the data is the file's, whichever descriptor wrote it.
    const handle = await fs.promises.open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temp, outFile);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
  return { file: outFile, size, sha256: hash.digest('hex'), members: [{ path: 'manifest.json', size: Buffer.byteLength(manifestText), sha256: createHash('sha256').update(manifestText).digest('hex') }, ...infos] };
}

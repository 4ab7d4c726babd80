import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { BodyWriter } from './body-writer';
import type { SandboxClock } from './clock';
import { openContent } from './content';
import type { FaultState } from './faults';
import type { Files } from './state/files';
import { createExchange } from './exchange';
import { answerRange } from './ranges';

/** What the storage origin reads of the sandbox: its files and how their bytes are made (the context holds a storage, so this names only what it needs). */
type StorageContext = { files: Files; seed: number; blobDir: string; faults: FaultState };
import { createSend } from './respond';

/**
 * Object storage behind File 360 (CONTRACTS §A.6, revised): with the switch
 * on, a content request is answered 302 or 307 with a pre-signed URL on
 * another origin, and this second listener serves the bytes there, by the
 * rules S3-compatible stores and nginx's secure_link follow (sandbox README,
 * "Object storage"). The same links work against nginx with secure_link, which
 * is how the sync benchmark takes this process out of the byte path.
 */
export const StorageSettingsSchema = z.strictObject({
  /** Answer content with this redirect instead of the bytes; null serves them from File 360 itself. */
  redirect: z.union([z.literal(302), z.literal(307)]).nullable().optional(),
  /** How long a link stays valid. */
  ttlSeconds: z.int().min(0).optional(),
  /** Another server holding the objects at `/objects/<file id>/<version>` (nginx); null for this sandbox's own. */
  base: z.url().nullable().optional(),
  /** The next N links File 360 hands out have already expired when they arrive (a slow client, a skewed clock). */
  expireNext: z.int().min(0).optional(),
  /** The storage ignores Range and always sends the whole object (200), as RFC 9110 §14.2 allows. */
  ignoreRange: z.boolean().optional(),
});
export type StorageSettings = z.input<typeof StorageSettingsSchema>;

/** One request the storage listener saw: enough to check the app never sent its token here. */
export interface StorageRequest {
  path: string;
  status: number;
  authorization: boolean;
  range: string | null;
  ifRange: string | null;
  /** The object's ETag, when it was found. */
  etag: string | null;
}

/** nginx's secure_link_md5 "$secure_link_expires$uri <secret>": base64url MD5, no padding. */
function signature(expires: number, uri: string, secret: string): string {
  return createHash('md5').update(`${expires}${uri} ${secret}`).digest('base64url');
}

/** An object's own validator, opaque as S3's are (RFC 9110 §8.8.3): not File 360's `sha256:` tag. */
const objectEtag = (fileId: string, version: number, sha256: string) => `"${createHash('md5').update(`${fileId}:${version}:${sha256}`).digest('hex')}"`;

/** S3's error body (Amazon S3 API Reference, "Error responses"). */
function s3Error(res: http.ServerResponse, status: number, code: string, message: string, requestId: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body), 'x-amz-request-id': requestId });
  res.end(body);
}

export class ObjectStorage {
  /** Shared with nginx in the benchmark (its secure_link_md5 line). */
  readonly secret: string;
  private settings: Required<{ [K in keyof StorageSettings]: Exclude<StorageSettings[K], undefined> }>;
  private ownBase = '';
  readonly seen: StorageRequest[] = [];

  constructor(
    private readonly clock: SandboxClock,
    initial: StorageSettings = {},
    secret?: string,
  ) {
    this.secret = secret ?? randomBytes(16).toString('hex');
    this.settings = { redirect: null, ttlSeconds: 300, base: null, expireNext: 0, ignoreRange: false };
    this.set(initial);
  }

  set(input: StorageSettings): void {
    const parsed = StorageSettingsSchema.parse(input);
    for (const [key, value] of Object.entries(parsed)) if (value !== undefined) (this.settings as Record<string, unknown>)[key] = value;
  }

  current(): { redirect: 302 | 307 | null; ttlSeconds: number; base: string; expireNext: number; ignoreRange: boolean } {
    return { ...this.settings, base: this.settings.base ?? this.ownBase };
  }

  /** Where File 360 sends a content request now, or null to serve it itself. */
  redirectFor(fileId: string, version: number): { status: 302 | 307; location: string } | null {
    const { redirect } = this.settings;
    if (redirect === null) return null;
    const uri = `/objects/${encodeURIComponent(fileId)}/${version}`;
    const now = Math.floor(this.clock.now().getTime() / 1000);
    let expires = now + this.settings.ttlSeconds;
    if (this.settings.expireNext > 0) {
      this.settings.expireNext -= 1;
      expires = now - 1;
    }
    return { status: redirect, location: `${this.settings.base ?? this.ownBase}${uri}?md5=${signature(expires, uri, this.secret)}&expires=${expires}` };
  }

  /**
   * Writes the current version of every listed file of these assignments as
   * `<dir>/objects/<file id>/<version>`: the tree another server (nginx)
   * serves the same links from. Returns how many objects were written.
   */
  async exportObjects(ctx: StorageContext, dir: string, assignmentIds: readonly string[]): Promise<number> {
    let written = 0;
    for (const assignmentId of assignmentIds) {
      for (let offset = 0; ; offset += 1000) {
        const page = ctx.files.manifest(assignmentId, offset, 1000);
        for (const item of page) {
          const folder = path.join(dir, 'objects', item.id);
          fs.mkdirSync(folder, { recursive: true });
          const { content } = ctx.files.version(item.id, item.version_number);
          const target = path.join(folder, String(item.version_number));
          if (item.size === 0) fs.writeFileSync(target, '');
          else await pipeline(openContent(content, ctx.seed, ctx.blobDir, 0, item.size - 1), fs.createWriteStream(target));
          written += 1;
        }
        if (page.length < 1000) break;
      }
    }
    return written;
  }

  /** The sandbox's own storage origin: another port, so another origin, on the same loopback address. */
  async listen(ctx: StorageContext, writer: BodyWriter, host: string): Promise<http.Server> {
    const send = createSend(writer);
    const server = http.createServer((req, res) => {
      this.serve(ctx, req, res, send).catch(() => res.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    this.ownBase = `http://${host.includes(':') ? `[${host}]` : host}:${(server.address() as AddressInfo).port}`;
    return server;
  }

  private async serve(ctx: StorageContext, req: http.IncomingMessage, res: http.ServerResponse, send: ReturnType<typeof createSend>): Promise<void> {
    req.resume();
    const url = new URL(req.url?.startsWith('/') ? req.url : '/', 'http://storage.invalid');
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const header = (name: string) => {
      const value = req.headers[name];
      return (Array.isArray(value) ? value[0] : value) ?? null;
    };
    const record: StorageRequest = { path: url.pathname, status: 0, authorization: header('authorization') !== null, range: header('range'), ifRange: header('if-range'), etag: null };
    this.seen.push(record);
    const fail = (status: number, code: string, message: string) => {
      record.status = status;
      s3Error(res, status, code, message, requestId);
    };

    const match = /^\/objects\/([^/]+)\/([1-9]\d{0,8})$/.exec(url.pathname);
    if (!match || (req.method !== 'GET' && req.method !== 'HEAD')) return fail(match ? 405 : 404, match ? 'MethodNotAllowed' : 'NoSuchKey', 'The specified key does not exist.');
    // A pre-signed request carries its credential in the query; a second one in a header is refused.
    if (record.authorization) {
      return fail(400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified');
    }
    const expires = Number(url.searchParams.get('expires'));
    const given = url.searchParams.get('md5') ?? '';
    if (!Number.isInteger(expires) || given !== signature(expires, url.pathname, this.secret)) return fail(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    if (expires < Math.floor(this.clock.now().getTime() / 1000)) return fail(403, 'AccessDenied', 'Request has expired');

    let record360;
    try {
      record360 = ctx.files.version(decodeURIComponent(match[1] ?? ''), Number(match[2]));
    } catch {
      return fail(404, 'NoSuchKey', 'The specified key does not exist.');
    }
    const { item, content } = record360;
    const etag = objectEtag(item.id, item.version_number, item.sha256);
    record.etag = etag;
    let answer;
    try {
      answer = answerRange(item.size, etag, this.settings.ignoreRange ? undefined : (record.range ?? undefined), record.ifRange ?? undefined, () => new Error('InvalidRange'));
    } catch {
      res.setHeader('Content-Range', `bytes */${item.size}`);
      return fail(416, 'InvalidRange', 'The requested range is not satisfiable');
    }
    record.status = answer.status;
    const headers: http.OutgoingHttpHeaders = {
      ETag: etag,
      'Accept-Ranges': 'bytes',
      'Content-Type': item.mime_type,
      'Content-Length': answer.end - answer.start + 1,
      'x-amz-request-id': requestId,
      ...(answer.contentRange ? { 'Content-Range': answer.contentRange } : {}),
    };
    const ex = createExchange({ req, res, url, requestId, bodyFaults: ctx.faults.bodyFaults(url.pathname), statsFileId: item.id }, send);
    const withBody = req.method === 'GET' && item.size > 0;
    await ex.send(answer.status, headers, withBody ? openContent(content, ctx.seed, ctx.blobDir, answer.start, answer.end) : undefined);
  }
}

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createPushHandle, type PushHandle } from '../push/handle';
import { pushControlRoutes } from '../push/routes/control';
import { deviceRoutes } from '../push/routes/devices';
import { notificationRoutes } from '../push/routes/notifications';
import { streamRoutes } from '../push/routes/stream';
import { PushService, type PushOptions } from '../push/service';
import { createAdmin, createFaultSwitches, type FaultSwitches, type SandboxAdmin } from './admin';
import { BodyWriter } from './body-writer';
import { createClock, type SandboxClock } from './clock';
import type { Context } from './context';
import { ApiError, GatewayError, notFound } from './errors';
import { createExchange } from './exchange';
import { FaultState, type RequestFault } from './faults';
import { FixtureSchema, sampleFixture, type Fixture } from './fixture';
import { announceDeadlines } from './notify';
import { createSend, sendError, sendHtmlError } from './respond';
import { Router } from './router';
import { adminRoutes } from './routes/admin';
import { assignmentRoutes } from './routes/assignments';
import { auditRoutes } from './routes/audit';
import { contentRoutes } from './routes/content';
import { escalationRoutes } from './routes/escalations';
import { oauthRoutes } from './routes/oauth';
import { uploadRoutes } from './routes/uploads';
import { seedFixture, storedIdentity } from './seed';
import { Assignments } from './state/assignments';
import { AuditTrail } from './state/audit';
import { openDb } from './state/db';
import { Escalations } from './state/escalations';
import { Files } from './state/files';
import { Idempotency } from './state/idempotency';
import { Tokens } from './state/tokens';
import { Uploads } from './state/uploads';
import { Users, type SandboxUser } from './state/users';
import { StatsRecorder, type SandboxStats } from './stats';
import { ObjectStorage, type StorageRequest, type StorageSettings } from './storage';

export const CLIENT_ID = 'annotator-companion';

export interface File360SandboxOptions {
  /** State lives here; a restart with the same folder keeps it. Default: a temp folder removed on close. */
  dataDir?: string;
  /** Seed for an empty data folder (default `sampleFixture()`); ignored when the folder holds state. */
  fixture?: Fixture;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A loopback address; default 127.0.0.1. */
  host?: string;
  accessTokenTtlSeconds?: number;
  /** RFC 6749 §6 leaves it to the server: false answers a refresh without a new refresh token (the old one stays). Default true. */
  rotateRefreshTokens?: boolean;
  /** RFC 6749 §5.1 only recommends `expires_in`; false leaves it out. Default true. */
  sendExpiresIn?: boolean;
  /** The chunk_size uploads announce and enforce; default 8 MiB. */
  uploadChunkSize?: number;
  /**
   * Proposed, not in the contract (README "Proposed: finishing an upload begun before the expiry"): seconds after
   * an assignment's expiration in which an upload created before it may still be finished. Default 0: refused.
   */
  uploadGraceSeconds?: number;
  /** CONTRACTS §A.7 step 5; false answers a one-request upload 415, as a server without it would. Default true. */
  singleRequestUploads?: boolean;
  /** The Push stand-in (CONTRACTS §B) on the same server, under /push/v1. */
  push?: PushOptions;
  /** Content from object storage (CONTRACTS §A.6): `{ redirect: 302 }` answers content with pre-signed links. */
  storage?: StorageSettings;
  /** The secret pre-signed links are signed with; default random. Give it to share the links with nginx's secure_link. */
  storageSecret?: string;
}

/** `sb.storage`: content answered with pre-signed links to another origin, and what that origin saw. */
export interface StorageHandle {
  set(settings: StorageSettings): void;
  current(): ReturnType<ObjectStorage['current']>;
  secret: string;
  /** The sandbox's own storage origin (used unless `base` points elsewhere). */
  url: string;
  requests(): StorageRequest[];
  /** Writes these assignments' files as `<dir>/objects/<file id>/<version>`, for another server to serve the same links. */
  exportObjects(dir: string, assignmentIds: readonly string[]): Promise<number>;
}

export interface File360Sandbox {
  /** The contract's {base}, e.g. http://127.0.0.1:43123 */
  url: string;
  tenant: string;
  clientId: string;
  users: SandboxUser[];
  clock: SandboxClock;
  faults: FaultSwitches;
  stats(): SandboxStats;
  admin: SandboxAdmin;
  /** Push at `{url}/push/v1`: publish, inspect, break. */
  push: PushHandle;
  storage: StorageHandle;
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|localhost)$/;

function faultError(fault: RequestFault): ApiError | GatewayError {
  const retryAfter = { 'Retry-After': String(fault.retryAfterSeconds) };
  if (fault.kind === 'rate-limit') return new GatewayError(429, 'policies.ratelimit.QuotaViolation', 'Rate limit quota violation. Quota limit exceeded.', retryAfter);
  return fault.status === 503
    ? new ApiError(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable (sandbox fault).', '', {}, retryAfter)
    : new ApiError(500, 'INTERNAL_ERROR', 'The service failed (sandbox fault).');
}

function prepareDataDir(dataDir: string | undefined): { dir: string; owned: boolean } {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'file360-sandbox-'));
  for (const sub of ['blobs', 'uploads']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  return { dir, owned: dataDir === undefined };
}

/** The sandbox's state and services over its database, seeded with the fixture on its first start. */
function createContext(dir: string, options: File360SandboxOptions): Context {
  const db = openDb(dir);
  const clock = createClock(() => {
    ctx.push.hub.checkTokens();
    announceDeadlines(ctx);
  });
  const stats = new StatsRecorder();
  const stored = storedIdentity(db);
  const fixture = stored ? undefined : FixtureSchema.parse(options.fixture ?? sampleFixture(clock.now()));
  const identity = stored ?? { tenant: fixture?.tenant ?? '', clientId: CLIENT_ID, seed: fixture?.seed ?? 0 };
  const blobDir = path.join(dir, 'blobs');
  const files = new Files(db, clock, identity.seed, blobDir, stats);
  const users = new Users(db);
  const tokens = new Tokens(db, clock, {
    accessTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    rotateRefreshTokens: options.rotateRefreshTokens ?? true,
    sendExpiresIn: options.sendExpiresIn ?? true,
  });
  const idempotency = new Idempotency(db);
  const ctx: Context = {
    ...identity,
    db,
    blobDir,
    uploadChunkSize: options.uploadChunkSize ?? 8 * 1024 * 1024,
    uploadGraceSeconds: options.uploadGraceSeconds ?? 0,
    singleRequestUploads: { enabled: options.singleRequestUploads ?? true },
    clock,
    stats,
    faults: new FaultState(),
    users,
    tokens,
    assignments: new Assignments(db, clock, files),
    files,
    uploads: new Uploads(db, clock, path.join(dir, 'uploads')),
    escalations: new Escalations(db, clock),
    audit: new AuditTrail(db, clock),
    idempotency,
    push: new PushService(db, clock, users, tokens, idempotency, options.push),
    storage: new ObjectStorage(clock, options.storage, options.storageSecret),
  };
  if (fixture) seedFixture(ctx, db, fixture);
  announceDeadlines(ctx);
  return ctx;
}

/**
 * Answers one request from the API routes, or from the controls for loopback
 * callers only, after any fault a test switched on for its path.
 */
function requestHandler(ctx: Context, routers: { api: Router; control: Router }, send: ReturnType<typeof createSend>, base: () => string) {
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const requestId = randomBytes(8).toString('hex');
    res.setHeader('X-Request-Id', requestId);
    const url = new URL(req.url?.startsWith('/') ? req.url : '/', base());
    const isControl = url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/');
    const ex = createExchange({ req, res, url, requestId, bodyFaults: isControl ? {} : ctx.faults.bodyFaults(url.pathname) }, send);
    try {
      if (isControl && !LOOPBACK.test(req.socket.remoteAddress ?? '')) throw new ApiError(403, 'FORBIDDEN', 'Sandbox controls answer loopback callers only.');
      const match = (isControl ? routers.control : routers.api).match(req.method ?? 'GET', url.pathname);
      if (!match) throw notFound(`${url.pathname}`);
      if ('allowed' in match) throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here.`, '', {}, { Allow: match.allowed.join(', ') });
      ctx.stats.request(`${req.method} ${match.route.pattern}`);
      const fault = isControl ? null : ctx.faults.requestFault(url.pathname);
      if (fault) {
        req.resume();
        const error = faultError(fault);
        if (fault.kind === 'error' && fault.body === 'html') return await sendHtmlError(ex, error.status, error.headers);
        throw error;
      }
      ex.params = match.params;
      await match.route.handle(ex);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      await sendError(ex, error instanceof URIError ? new ApiError(400, 'INVALID_REQUEST', 'The path is not valid percent-encoding.') : error);
    }
  };
}

/** Starts a File 360 stand-in implementing CONTRACTS §A on a loopback address. */
export async function startFile360Sandbox(options: File360SandboxOptions = {}): Promise<File360Sandbox> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.test(host)) throw new Error(`The File 360 sandbox only listens on loopback; ${host} is not.`);
  const { dir, owned } = prepareDataDir(options.dataDir);
  const ctx = createContext(dir, options);
  const { db, clock, stats } = ctx;
  const admin = createAdmin(ctx);
  const faults = createFaultSwitches(ctx);
  const push = createPushHandle(ctx.push, ctx.users, ctx.tokens);
  const api = new Router([
    ...oauthRoutes(ctx),
    ...assignmentRoutes(ctx),
    ...contentRoutes(ctx),
    ...uploadRoutes(ctx),
    ...escalationRoutes(ctx),
    ...auditRoutes(ctx),
    ...deviceRoutes(ctx),
    ...streamRoutes(ctx),
    ...notificationRoutes(ctx),
  ]);
  const control = new Router([...adminRoutes(ctx, admin, faults, push), ...pushControlRoutes(ctx, push)]);
  const writer = new BodyWriter(ctx.faults, stats);
  let base = '';
  const handle = requestHandler(ctx, { api, control }, createSend(writer), () => base);
  const inFlight = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;

  const server = http.createServer((req, res) => {
    const running = handle(req, res).catch(() => {
      res.destroy();
    });
    inFlight.add(running);
    void running.finally(() => inFlight.delete(running));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const storageServer = await ctx.storage.listen(ctx, writer, host);

  return {
    url: base,
    tenant: ctx.tenant,
    clientId: ctx.clientId,
    get users() {
      return ctx.users.all();
    },
    clock,
    faults,
    stats: () => stats.snapshot(),
    admin,
    push,
    storage: {
      set: (settings) => ctx.storage.set(settings),
      current: () => ctx.storage.current(),
      secret: ctx.storage.secret,
      url: ctx.storage.current().base,
      requests: () => [...ctx.storage.seen],
      exportObjects: (dir, ids) => ctx.storage.exportObjects(ctx, dir, ids),
    },
    close: () => (closing ??= shutDown()),
  };

  async function shutDown(): Promise<void> {
    const stopped = Promise.all([server, storageServer].map((listener) => new Promise<void>((resolve) => listener.close(() => resolve()))));
    // Stalled and slow responses would hold close() forever; cut every socket now.
    server.closeAllConnections();
    storageServer.closeAllConnections();
    await Promise.allSettled([...inFlight]);
    await stopped;
    db.close();
    if (owned) fs.rmSync(dir, { recursive: true, force: true });
  }
}

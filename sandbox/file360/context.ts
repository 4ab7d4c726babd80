import type { SandboxClock } from './clock';
import type { PushService } from '../push/service';
import type { FaultState } from './faults';
import type { Assignments } from './state/assignments';
import type { AuditTrail } from './state/audit';
import type { Escalations } from './state/escalations';
import type { Files } from './state/files';
import type { Idempotency } from './state/idempotency';
import type { Tokens } from './state/tokens';
import type { Uploads } from './state/uploads';
import type { Users } from './state/users';
import type { Db } from './state/db';
import type { StatsRecorder } from './stats';
import type { ObjectStorage } from './storage';

/** Everything the route handlers share. */
export interface Context {
  tenant: string;
  clientId: string;
  /** For the few handlers that write several tables at once, in one transaction. */
  db: Db;
  /** Seed of generated content. */
  seed: number;
  blobDir: string;
  uploadChunkSize: number;
  /** Seconds after an expiration in which an upload begun before it may be finished (a proposal; 0 = the contract as written). */
  uploadGraceSeconds: number;
  /** Whether uploads of one chunk may be made in one request (CONTRACTS §A.7 step 5); off answers them 415, as an older server would. */
  singleRequestUploads: { enabled: boolean };
  clock: SandboxClock;
  stats: StatsRecorder;
  faults: FaultState;
  users: Users;
  tokens: Tokens;
  assignments: Assignments;
  files: Files;
  uploads: Uploads;
  escalations: Escalations;
  audit: AuditTrail;
  idempotency: Idempotency;
  push: PushService;
  /** Where content is served from when File 360 redirects it (CONTRACTS §A.6). */
  storage: ObjectStorage;
}

import type { Context } from './context';
import { notFound } from './errors';
import type { FaultSettings } from './faults';
import { announceDeadlines, announceNewFile, announceShared } from './notify';
import { FixtureAssignmentSchema, FixtureFileSchema, type FixtureAssignment, type FixtureFile } from './fixture';
import type { Armed } from './faults';
import type { StoredAuditEvent } from './state/audit';
import type { EscalationRecord } from './state/escalations';
import type { FileChange, FileItem } from './state/files';
import type { IdempotencyRecord } from './state/idempotency';
import type { UploadRecord } from './state/uploads';

export type AssignmentView = ReturnType<Context['assignments']['view']>;

/** Changes a test (or the CLI) makes as the people on the server side would. */
export interface SandboxAdmin {
  addAssignment(assignment: FixtureAssignment): AssignmentView;
  /** `null` removes the expiration. */
  setExpiration(assignmentId: string, expiration: string | null): void;
  setRevoked(assignmentId: string, revoked: boolean): void;
  /** Takes the assignment off a user's list altogether. */
  unshare(assignmentId: string, userId: string): void;
  /** Adds a file to the manifest (bumps manifest_version). */
  addFile(assignmentId: string, file: FixtureFile): FileItem;
  /** New content makes a new version_number; any change bumps manifest_version. */
  updateFile(fileId: string, change: FileChange): FileItem;
  removeFile(fileId: string): void;
  /** Every assignment with its status and who it is shared with. */
  assignments(): Array<AssignmentView & { user_ids: string[] }>;
  /** An assignment's whole manifest, ordered by path. */
  files(assignmentId: string): FileItem[];
  uploads(): UploadRecord[];
  escalations(): EscalationRecord[];
  /** Every audit event, the app's (with hash and prev_hash) and the server's own. */
  audit(): StoredAuditEvent[];
  /** Every Idempotency-Key the server has taken, and what it made of it. */
  idempotency(): IdempotencyRecord[];
  resetStats(): void;
  /** Turn CONTRACTS §A.7 step 5 off (answered 415, as a server without it would) or on again. */
  setSingleRequestUploads(enabled: boolean): void;
}

/** Fault switches, plus the one-shot faults that change state rather than traffic. */
export interface FaultSwitches {
  /** Merges these settings into the armed ones (`null` disarms one). */
  set(settings: FaultSettings): void;
  reset(): void;
  armed(): { retryAfterSeconds: number; faults: Armed[] };
  /** Every access token issued so far is expired from now on; refresh tokens still work. */
  expireTokensNow(): void;
  /** Sets the assignment's expiration to the sandbox clock's now. */
  expireAssignment(assignmentId: string): void;
  revokeAssignment(assignmentId: string): void;
}

export function createAdmin(ctx: Context): SandboxAdmin {
  const existing = (id: string) => {
    const assignment = ctx.assignments.get(id);
    if (!assignment) throw notFound(`Assignment ${id}`);
    return assignment;
  };
  return {
    addAssignment(assignment) {
      ctx.assignments.insert(FixtureAssignmentSchema.parse(assignment));
      announceShared(ctx, assignment.id);
      announceDeadlines(ctx);
      return ctx.assignments.view(existing(assignment.id));
    },
    setExpiration(id, expiration) {
      ctx.assignments.setExpiration(id, expiration);
      announceDeadlines(ctx);
    },
    setRevoked(id, revoked) {
      ctx.assignments.setRevoked(id, revoked);
      announceDeadlines(ctx);
    },
    unshare: (id, userId) => ctx.assignments.unshare(id, userId),
    addFile(id, file) {
      const added = ctx.files.add(existing(id).id, FixtureFileSchema.parse(file));
      announceNewFile(ctx, id, added);
      return added;
    },
    updateFile: (fileId, change) => ctx.files.update(fileId, change),
    removeFile: (fileId) => ctx.files.remove(fileId),
    assignments: () => ctx.assignments.all().map((assignment) => ({ ...ctx.assignments.view(assignment), user_ids: ctx.assignments.userIds(assignment.id) })),
    files: (id) => ctx.files.manifest(existing(id).id, 0, -1),
    uploads: () => ctx.uploads.all(),
    escalations: () => ctx.escalations.all(),
    audit: () => ctx.audit.all(),
    idempotency: () => ctx.idempotency.all(),
    resetStats: () => ctx.stats.reset(),
    setSingleRequestUploads: (enabled) => {
      ctx.singleRequestUploads.enabled = enabled;
    },
  };
}

export function createFaultSwitches(ctx: Context): FaultSwitches {
  return {
    set: (settings) => ctx.faults.set(settings),
    reset: () => ctx.faults.reset(),
    armed: () => ctx.faults.snapshot(),
    expireTokensNow() {
      ctx.tokens.expireAllAccess();
      ctx.push.hub.checkTokens();
    },
    expireAssignment: (id) => ctx.assignments.setExpiration(id, ctx.clock.now().toISOString()),
    revokeAssignment: (id) => ctx.assignments.setRevoked(id, true),
  };
}

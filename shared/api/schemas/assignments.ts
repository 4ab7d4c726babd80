import { z } from 'zod';
import { AnswerProgress } from './answers';
import { RemoteId } from './common';

/** Dates as File 360 sent them (ISO 8601); shown, compared, never trusted to be one format. */
const When = z.string().max(64).nullable();

export const SyncState = z.enum(['never', 'syncing', 'paused', 'synced', 'changed', 'problem', 'wiped']);
export type SyncState = z.infer<typeof SyncState>;

export const AssignmentSummary = z.strictObject({
  id: RemoteId,
  name: z.string(),
  role: z.enum(['annotator', 'reviewer']),
  status: z.enum(['active', 'expired', 'revoked']),
  permissions: z.array(z.string()),
  dueDate: When,
  expiration: When,
  sharer: z.string().nullable(),
  fileCount: z.int().min(0),
  totalSize: z.int().min(0),
  sync: z.strictObject({
    state: SyncState,
    lastSyncedAt: When,
    /** What went wrong last time, in words. */
    error: z.string().nullable(),
    filesOnDisk: z.int().min(0),
    bytesOnDisk: z.int().min(0),
    /** Files that could not be fetched or were refused. */
    problems: z.int().min(0),
  }),
  /** Set once the files were removed from this computer; `detail` says in words what reached File 360 first, or what was lost. */
  wiped: z.strictObject({ at: z.string(), reason: z.enum(['expired', 'revoked', 'removed']), detail: z.string().nullable() }).nullable(),
  /**
   * For work that can still be sent: when access ends and when the app sends
   * unsent answers ahead of it (ISO). Null without an expiry, or when this
   * user cannot upload to the assignment.
   */
  closing: z.strictObject({ sendAt: z.string(), endsAt: z.string() }).nullable(),
  /** Annotator assignments: how far the answers are; null for reviewers and removed assignments. */
  answers: AnswerProgress.nullable(),
});
export type AssignmentSummary = z.infer<typeof AssignmentSummary>;

export const AssignmentDetail = AssignmentSummary.extend({
  project: z.strictObject({ recipe: z.string(), dataset: z.string(), labels: z.array(z.string()) }),
  reviewerGroups: z.array(z.string()),
  folder: z.string().nullable(),
});
export type AssignmentDetail = z.infer<typeof AssignmentDetail>;

export const FileState = z.enum(['pending', 'done', 'error', 'rejected']);

export const FileRowView = z.strictObject({
  id: z.string(),
  path: z.string(),
  size: z.int().min(0),
  state: FileState,
  error: z.string().nullable(),
});
export type FileRowView = z.infer<typeof FileRowView>;

export const FilePageInput = z.strictObject({
  id: RemoteId,
  offset: z.int().min(0).default(0),
  limit: z.int().min(1).max(2000).default(500),
  problemsOnly: z.boolean().default(false),
});

export const FilePage = z.strictObject({
  total: z.int().min(0),
  offset: z.int().min(0),
  rows: z.array(FileRowView),
});
export type FilePage = z.infer<typeof FilePage>;

export const SyncProgress = z.strictObject({
  assignmentId: RemoteId,
  state: z.enum(['syncing', 'finished', 'paused', 'stopped']),
  filesDone: z.int().min(0),
  filesTotal: z.int().min(0),
  bytesDone: z.int().min(0),
  bytesTotal: z.int().min(0),
  rateBytesPerSecond: z.int().min(0),
  etaSeconds: z.int().min(0).nullable(),
  /** Why a run stopped, in words. */
  message: z.string().nullable(),
});
export type SyncProgress = z.infer<typeof SyncProgress>;

export const AssignmentIdInput = z.strictObject({ id: RemoteId });
export const SyncInput = z.strictObject({ id: RemoteId.optional() });

export const SignInState = z.strictObject({
  state: z.enum(['idle', 'waiting', 'signed-in', 'failed']),
  /** The address opened in the browser, so the user can open it by hand. */
  authorizeUrl: z.string().nullable(),
  /** While waiting: a hint once the browser has been quiet for a while; after failing: what went wrong. */
  message: z.string().nullable(),
  /** After signing out, where File 360 offers it: its own sign-out page, to end the browser's session too. */
  endSessionUrl: z.string().optional(),
});
export type SignInState = z.infer<typeof SignInState>;

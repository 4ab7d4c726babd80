import { z } from 'zod';
import { AUDIT_TYPES } from '../../audit-types';
import { IsoTime, RemoteId, Sha256Hex } from './common';

export const AuditType = z.enum(AUDIT_TYPES);
export type AuditType = z.infer<typeof AuditType>;

/** JSON values only, so an entry hashes the same on every machine. */
export const JsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValue), z.record(z.string(), JsonValue)]),
);

export const AuditEntry = z.strictObject({
  id: z.int().positive(),
  ts: IsoTime,
  type: AuditType,
  actor: z.string().min(1),
  assignmentId: RemoteId.nullable(),
  fileId: RemoteId.nullable(),
  details: z.record(z.string(), JsonValue),
  prevHash: Sha256Hex,
  hash: Sha256Hex,
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditListInput = z.strictObject({
  type: AuditType.optional(),
  assignmentId: RemoteId.optional(),
  from: IsoTime.optional(),
  to: IsoTime.optional(),
  /** Page backwards: only entries older than this id. */
  beforeId: z.int().positive().optional(),
  limit: z.int().min(1).max(500).default(100),
});
export type AuditListInput = z.input<typeof AuditListInput>;

export const AuditPage = z.strictObject({
  entries: z.array(AuditEntry),
  nextBeforeId: z.int().positive().nullable(),
});
export type AuditPage = z.infer<typeof AuditPage>;

/** Where an entry was recorded: on this computer (hash-chained) or by File 360 (its access history). */
export const AuditSource = z.enum(['local', 'file360']);
export type AuditSource = z.infer<typeof AuditSource>;

/**
 * A place in the merged timeline: entries strictly older than it come next.
 * Times here and in entries are plain strings: a log someone tampered with must still be shown.
 */
export const TimelineCursor = z.strictObject({ ts: z.string().max(64), source: AuditSource, key: z.string().min(1).max(200) });
export type TimelineCursor = z.infer<typeof TimelineCursor>;

export const TimelineInput = z.strictObject({
  source: AuditSource.optional(),
  /** One of this app's types, or a File 360 event type such as `download`. */
  type: z.string().min(1).max(128).optional(),
  assignmentId: RemoteId.optional(),
  from: IsoTime.optional(),
  to: IsoTime.optional(),
  before: TimelineCursor.optional(),
  limit: z.int().min(1).max(500).default(100),
});
export type TimelineInput = z.input<typeof TimelineInput>;

export const TimelineEntry = z.strictObject({
  source: AuditSource,
  key: z.string().min(1).max(200),
  /** The local chain's id; null for File 360's entries. */
  id: z.int().positive().nullable(),
  ts: z.string(),
  type: z.string(),
  /** File 360's name for its event (`Fetch`, `Login`); null for local entries, which have words in AUDIT_TYPE_LABELS. */
  name: z.string().nullable(),
  actor: z.string().min(1),
  /** Who `actor` is, by the name File 360 gave this computer; null when no one was signed in or the name is not known here. */
  actorName: z.string().nullable(),
  assignmentId: z.string().nullable(),
  assignmentName: z.string().nullable(),
  fileId: z.string().nullable(),
  /** The file's path in its assignment, when this computer has it. */
  fileName: z.string().nullable(),
  details: z.record(z.string(), JsonValue),
  /** Names for the ids among the details' values (people, assignments, files), by id. */
  names: z.record(z.string(), z.string()),
  hash: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const TimelinePage = z.strictObject({
  entries: z.array(TimelineEntry),
  next: TimelineCursor.nullable(),
});
export type TimelinePage = z.infer<typeof TimelinePage>;

export const AuditFacets = z.strictObject({
  types: z.array(AuditType),
  /** File 360's event types present, with its names for them. */
  remoteTypes: z.array(z.strictObject({ type: z.string(), name: z.string() })),
  /** Every assignment either record mentions, with its name when this computer knows it. */
  assignments: z.array(z.strictObject({ id: z.string(), name: z.string().nullable() })),
});
export type AuditFacets = z.infer<typeof AuditFacets>;

/** What is wrong at the first bad row, in one word. */
export const AuditProblem = z.enum(['edited', 'deleted', 'reordered', 'truncated', 'differs-from-file360']);
export type AuditProblem = z.infer<typeof AuditProblem>;

export const AuditBreak = z.strictObject({
  id: z.int().positive(),
  /** Null when the row is gone, so its time and type are unknown here. */
  ts: z.string().nullable(),
  type: z.string().nullable(),
  problem: AuditProblem,
  reason: z.string(),
});
export type AuditBreak = z.infer<typeof AuditBreak>;

export const AuditVerification = z.strictObject({
  ok: z.boolean(),
  /** Rows whose chain held, up to the first bad one. */
  checked: z.int().min(0),
  /** Of those, rows File 360 acknowledged and that still match what it was sent. */
  acknowledged: z.int().min(0),
  verifiedAt: IsoTime,
  /** Rows up to this one were removed under the retention setting; the chain is checked from its hash on. */
  prunedThrough: z.int().min(0),
  /** The whole chain (on demand and on a schedule), or what came after the last passing check (at start). */
  scope: z.enum(['full', 'since-last-check']),
  /** The entry the check began after: the last one a passing check reached, the retention anchor, or 0. */
  from: z.int().min(0),
  /** When the whole chain was last found intact; null before the first full check. */
  lastFullAt: IsoTime.nullable(),
  firstBad: AuditBreak.nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

/** The log as it stands now: how far checks have found it intact, what was written since, and what File 360 has. */
export const AuditChain = z.strictObject({
  /** Entries in the log (after those removed under the retention setting). */
  entries: z.int().min(0),
  /** Entries up to this one were found intact by the last passing check, at start, on a schedule or on demand; 0 before any. */
  checkedThrough: z.int().min(0),
  /** When that check ran; null before any. */
  checkedAt: IsoTime.nullable(),
  /** When the whole chain was last found intact; null before the first full check. */
  lastFullAt: IsoTime.nullable(),
  /** Rows up to this one were removed under the retention setting. */
  prunedThrough: z.int().min(0),
  /** Entries written after it, which the next check covers. */
  unchecked: z.int().min(0),
  /** Entries File 360 has acknowledged receiving (the most any one File 360 has, when entries go to two). */
  acknowledged: z.int().min(0),
  /** The latest check in this run of the app, with what it found; null until one has finished. */
  lastCheck: AuditVerification.nullable(),
});
export type AuditChain = z.infer<typeof AuditChain>;

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

export const AuditFacets = z.strictObject({
  types: z.array(AuditType),
  assignments: z.array(RemoteId),
});
export type AuditFacets = z.infer<typeof AuditFacets>;

export const AuditVerification = z.strictObject({
  ok: z.boolean(),
  checked: z.int().min(0),
  verifiedAt: IsoTime,
  /** The first row that breaks the chain, and why in words. */
  firstBad: z.strictObject({ id: z.int().positive(), reason: z.string() }).nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

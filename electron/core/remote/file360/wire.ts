/**
 * File 360's responses as this app relies on them (CONTRACTS §A). Everything a
 * server sends is checked here before the app uses it; unknown fields are
 * ignored so a newer server does not break an older app. Fields the contract
 * leaves open are kept, but only as BoundedJson: whatever passes here can be
 * stored and sent on without overflowing the stack.
 */
import { z } from 'zod';
import { REMOTE_ID } from '../../../../shared/ids';
import { BoundedJson } from '../../kernel/platform/bounded-json';

/** The same rule the app's API applies: an id it could not list or link to is refused here, at the boundary. */
const Id = z.string().regex(REMOTE_ID);
const Time = z.string().min(1).max(64);

export const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().int().positive(),
  refresh_token: z.string().min(1),
  scope: z.string().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

export const Me = z.object({
  id: Id,
  display_name: z.string(),
  email: z.string().optional().nullable(),
  roles: z.array(z.string()),
  groups: z.array(z.string()).default([]),
});
export type Me = z.infer<typeof Me>;

export const Assignment = z.object({
  id: Id,
  name: z.string().max(500),
  status: z.enum(['active', 'expired', 'revoked']),
  role: z.enum(['annotator', 'reviewer']),
  permissions: z.array(z.string()),
  sharer: z.object({ id: Id, display_name: z.string() }).nullable().optional(),
  sharing_date: Time.nullable().optional(),
  due_date: Time.nullable().optional(),
  expiration: Time.nullable().optional(),
  manifest_version: z.union([z.string(), z.number()]).transform(String),
  file_count: z.number().int().min(0),
  total_size: z.number().int().min(0),
  project: z
    .object({
      recipe: z.string(),
      dataset: z.string(),
      labels: z.array(z.string()).default([]),
      view_id: z.string().optional(),
      instructions_file_id: z.string().optional(),
      low_confidence_threshold: z.number().optional(),
      annotations_per_task: z.number().optional(),
    })
    .catchall(BoundedJson),
  reviewer_groups: z.array(z.string()).default([]),
});
export type Assignment = z.infer<typeof Assignment>;

export const ManifestItem = z.object({
  id: Id,
  // Untrusted: checked by paths.ts before anything touches the disk.
  path: z.string(),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/i).transform((s) => s.toLowerCase()),
  version_number: z.number().int().min(0),
  mime_type: z.string().optional().nullable(),
  modify_date: Time.optional().nullable(),
  etag: z.string().optional().nullable(),
});
export type ManifestItem = z.infer<typeof ManifestItem>;

/** CONTRACTS §A.7: a staged upload and how much of it the server holds. */
export const UploadState = z.object({
  id: Id,
  status: z.string(),
  chunk_size: z.number().int().positive().optional(),
  received: z.number().int().min(0),
  file_id: Id.optional(),
});
export type UploadState = z.infer<typeof UploadState>;

export const ChunkAnswer = z.object({ received: z.number().int().min(0) });
export const CommitAnswer = z.object({ file: ManifestItem });
/** §A.7 step 5: an upload created, sent and committed in one request. */
export const CommittedUpload = z.object({ id: Id, status: z.literal('committed'), file: ManifestItem });

const ProdigyHash = z.union([z.number().int(), z.string()]);
const PersonObject = z.object({ id: Id, display_name: z.string().optional() });
/** A person as File 360 names them: `{id, display_name}`, or a bare id from a terser server. */
const Person = z.union([PersonObject, Id.transform((id) => ({ id, display_name: undefined }))]);

/** An escalation version: one annotator's answer (CONTRACTS §A.8). */
export const EscalationVersion = z
  .object({
    answer: z.string(),
    label: z.string().optional(),
    spans: z.array(BoundedJson).optional(),
    accept: z.array(BoundedJson).optional(),
    session_id: z.string(),
  })
  .catchall(BoundedJson);

export const EscalationDecision = z
  .object({
    outcome: z.enum(['approved', 'corrected', 'rejected']),
    corrected_task: z.record(z.string(), BoundedJson).optional().nullable(),
    comment: z.string().optional().nullable(),
    actor: Person,
    time: Time,
  })
  .catchall(BoundedJson);

/** CONTRACTS §A.8, shaped like an OpenText Workflow task. */
export const Escalation = z
  .object({
    id: Id,
    state: z.enum(['open', 'claimed', 'completed']),
    assignment_id: Id,
    reason: z.enum(['flagged', 'ignored', 'low_confidence', 'disagreement', 'question']),
    note: z.string().default(''),
    priority: z.enum(['normal', 'high']).default('normal'),
    item: z
      .object({
        input_hash: ProdigyHash,
        task_hash: ProdigyHash.optional().nullable(),
        task: z.record(z.string(), BoundedJson),
        versions: z.array(EscalationVersion).default([]),
        file_ids: z.array(z.string()).default([]),
      })
      .catchall(BoundedJson),
    created: Time,
    updated: Time,
    created_by: Person.optional(),
    assignee: Person.optional().nullable(),
    decision: EscalationDecision.optional().nullable(),
    due_date: Time.optional().nullable(),
  })
  .catchall(BoundedJson);
export type Escalation = z.infer<typeof Escalation>;

export const AuditAccepted = z.object({ accepted: z.number().int().min(0) });

/** CONTRACTS §A.9: one entry of File 360's access history, after Content Server's node audit. */
export const AuditRecord = z
  .object({
    id: Id,
    event_type: z.string().min(1).max(128),
    audit_name: z.string().max(200).optional().nullable(),
    audit_date: z.iso.datetime({ offset: true }),
    user_id: Id.optional().nullable(),
    target_user_id: Id.optional().nullable(),
    agent_id: Id.optional().nullable(),
    assignment_id: Id.optional().nullable(),
    file_id: Id.optional().nullable(),
    details: z.record(z.string(), BoundedJson).default({}),
  })
  .catchall(BoundedJson);
export type AuditRecord = z.infer<typeof AuditRecord>;

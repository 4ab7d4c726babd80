import { z } from 'zod';
import { RemoteId, Sha256Hex } from './common';
import { EscalationReason, EscalationView, Outcome } from './escalations';
import { ExportTrigger } from './exports';
import { OutboxState } from './outbox';

export const LineageInput = z.strictObject({ assignmentId: RemoteId });

const Person = z.strictObject({ id: z.string(), name: z.string().nullable() });

export const AnswerCounts = z.strictObject({
  total: z.int().min(0),
  accept: z.int().min(0),
  reject: z.int().min(0),
  ignore: z.int().min(0),
  flagged: z.int().min(0),
});

export const LineageSource = z.strictObject({
  fileId: z.string(),
  path: z.string(),
  /** File 360's version number; null when the file changed there after these answers were made on it. */
  version: z.int().min(0).nullable(),
  sha256: Sha256Hex,
  answers: z.int().min(0),
});

export const LineageSession = z.strictObject({
  /** Prodigy's session id, `<dataset>-<session name>`. */
  id: z.string(),
  dataset: z.string(),
  annotator: Person.extend({ organisation: z.string().nullable() }),
  counts: AnswerCounts,
  /** The first and last answer's time, from Prodigy's own timestamps. */
  firstAnswerAt: z.string().nullable(),
  lastAnswerAt: z.string().nullable(),
});

export const LineageEscalation = z.strictObject({
  id: z.string(),
  remoteId: z.string().nullable(),
  reason: EscalationReason,
  /** The item as a person reads it: its text (or what it shows), whitespace folded, at most a few lines. */
  text: z.string(),
  /** Prodigy's `_input_hash` of the item. */
  inputHash: z.string(),
  createdAt: z.string(),
  state: EscalationView.shape.state,
  decision: z.strictObject({ outcome: Outcome, reviewer: Person, time: z.string(), comment: z.string().nullable() }).nullable(),
  reviewed: z.strictObject({ dataset: z.string(), appliedAt: z.string() }).nullable(),
});
export type LineageEscalation = z.infer<typeof LineageEscalation>;

export const LineagePackage = z.strictObject({
  exportId: z.int().positive(),
  createdAt: z.string(),
  trigger: ExportTrigger,
  sources: z.array(LineageSource),
  sessions: z.array(LineageSession),
  package: z.strictObject({
    name: z.string(),
    sha256: Sha256Hex,
    size: z.int().min(0),
    upload: z.strictObject({ state: OutboxState, fileId: z.string().nullable(), at: z.string().nullable() }),
  }),
  escalations: z.array(LineageEscalation),
});
export type LineagePackage = z.infer<typeof LineagePackage>;

/** Source files → sessions → packages → escalations → decisions → reviewed dataset, for one assignment. */
export const LineageView = z.strictObject({
  assignmentId: RemoteId,
  assignmentName: z.string(),
  /** The File 360 tenant the assignment belongs to, and who shared it there. */
  tenant: z.string(),
  sharedBy: Person.nullable(),
  /** Newest first. */
  packages: z.array(LineagePackage),
  /** Questions asked by hand: they come from the Prodigy dataset, not from a package. */
  questions: z.array(LineageEscalation),
});
export type LineageView = z.infer<typeof LineageView>;

/** A W3C PROV-JSON document: every top-level member is a map (prefixes, records by id, relations by id). */
export const ProvDocument = z.record(z.string(), z.record(z.string(), z.unknown()));
export type ProvDocument = z.infer<typeof ProvDocument>;

export const LineageExport = z.strictObject({
  /** What a save dialog or a download suggests. */
  fileName: z.string(),
  document: ProvDocument,
});
export type LineageExport = z.infer<typeof LineageExport>;

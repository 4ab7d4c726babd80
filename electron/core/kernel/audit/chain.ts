import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields a row's hash covers: everything but the hash itself. */
export interface ChainedFields {
  id: number;
  ts: string;
  type: string;
  actor: string;
  assignment_id: string | null;
  file_id: string | null;
  details: unknown;
  prev_hash: string;
}

/**
 * sha256 over the RFC 8785 canonical JSON of the row and its predecessor's
 * hash. The id is covered, so moving a row changes its hash.
 */
export function rowHash(fields: ChainedFields): string {
  const text = canonicalize(fields);
  if (text === undefined) throw new Error('audit row cannot be canonicalised');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A stored row: the chained fields, with details as the canonical JSON text that was hashed, and the row's hash. */
export type AuditRow = Omit<ChainedFields, 'details'> & { details: string; hash: string };

/** Whether the row's hash still covers its content, were it at position `id`; unreadable details never do. */
export function holds(row: AuditRow, id: number = row.id): boolean {
  let details: unknown;
  try {
    details = JSON.parse(row.details);
  } catch {
    return false;
  }
  const { hash, details: _text, ...rest } = row;
  return rowHash({ ...rest, id, details }) === hash;
}

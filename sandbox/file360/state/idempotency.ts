import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { ApiError, invalidRequest } from '../errors';
import { sql, type Db } from './db';

export interface IdempotencyRecord {
  user_id: string;
  scope: string;
  key: string;
  resource_id: string;
}

/**
 * Idempotency keys per user and endpoint: the same key with the same body
 * (compared in canonical JSON, so key order and spacing do not matter) means
 * "the same request again"; with another body it is a client bug.
 */
export class Idempotency {
  constructor(private readonly db: Db) {}

  /** The id of the resource an earlier request with this key made, or undefined for a new key. */
  replayed(userId: string, scope: string, key: string | undefined, body: unknown): string | undefined {
    if (!key) throw invalidRequest('The Idempotency-Key header is required.');
    if (key.length > 255) throw invalidRequest('The Idempotency-Key header is longer than 255 characters.');
    const row = sql(this.db, 'SELECT body_hash, resource_id FROM idempotency WHERE user_id = ? AND scope = ? AND key = ?').get(userId, scope, key) as
      | { body_hash: string; resource_id: string }
      | undefined;
    if (!row) return undefined;
    if (row.body_hash !== bodyHash(body)) {
      throw new ApiError(409, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body.', `Idempotency-Key: ${key}`);
    }
    return row.resource_id;
  }

  all(): IdempotencyRecord[] {
    return sql(this.db, 'SELECT user_id, scope, key, resource_id FROM idempotency ORDER BY rowid').all() as IdempotencyRecord[];
  }

  remember(userId: string, scope: string, key: string, body: unknown, resourceId: string): void {
    sql(this.db, 'INSERT INTO idempotency (user_id, scope, key, body_hash, resource_id) VALUES (?, ?, ?, ?, ?)').run(userId, scope, key, bodyHash(body), resourceId);
  }
}

function bodyHash(body: unknown): string {
  return createHash('sha256')
    .update(canonicalize(body) ?? '')
    .digest('hex');
}

import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { File360Client } from '../../remote/file360/client';
import { PermanentError } from './outcome';
import type { OutboxRow } from './store';
import type { Owner } from '../../kernel/identity';

export interface SendContext {
  client: File360Client;
  me: Owner;
  dataDir: string;
  /** The row this one waited for, already sent (its `remote` holds what the server answered). */
  predecessor: OutboxRow | null;
}

/** How one kind of outbox item is sent, and what its owner records once it has been. */
export interface OutboxKindHandler {
  /** Resolves with what the server answered (kept as the row's `remote`). */
  send(row: OutboxRow, ctx: SendContext): Promise<unknown>;
  /** Runs in the transaction that marks the row sent. */
  sent?(row: OutboxRow, remote: unknown, db: Database.Database): void;
  /** Runs in the transaction that marks the row failed for good (or discarded). */
  ended?(row: OutboxRow, db: Database.Database): void;
}

/**
 * Each kind declares its payload as a zod schema and reads its rows through
 * this, as Signal Desktop's job queues parse each job's data: a row stored in a
 * form its kind does not take (an older version's, or a damaged database's)
 * fails alone and for good, saying what is wrong, instead of being cast and sent.
 */
export function readPayload<T extends z.ZodType>(row: Pick<OutboxRow, 'payload'>, schema: T, what: string): z.output<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(row.payload);
  } catch {
    throw new PermanentError(`This ${what} was stored damaged (not JSON), so it cannot be sent. Discard it and make it again.`, 'INVALID_PAYLOAD');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the whole item';
    throw new PermanentError(`This ${what} was stored in a form that cannot be sent (${where}: ${issue?.message ?? 'unreadable'}). Discard it and make it again.`, 'INVALID_PAYLOAD');
  }
  return parsed.data;
}

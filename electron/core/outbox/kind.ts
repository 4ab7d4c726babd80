import type Database from 'better-sqlite3';
import type { File360Client } from '../remote/file360/client';
import type { OutboxRow } from './store';
import type { Owner } from '../kernel/identity';

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

import type { OutboxItem } from '../../../shared/api/schemas/outbox';
import type { Handlers } from '../api/router';
import type { LocalData } from '../db/local-data';
import { AppError } from '../errors';
import type { Owner } from '../sync/store';
import type { Outbox } from './outbox';
import type { OutboxRow } from './store';

export interface OutboxViewDeps {
  outbox: Outbox;
  data: LocalData;
  /** Who is signed in now, if anyone. */
  owner(): Owner | null;
}

/** Why a queued row is not on its way right now, in words. */
function waiting(row: OutboxRow, deps: OutboxViewDeps, predecessor: OutboxRow | undefined): string | null {
  if (row.state !== 'queued') return null;
  const owner = deps.owner();
  if (!owner) return 'Waiting for you to sign in to File 360.';
  if (owner.server !== row.server || owner.tenant !== row.tenant || owner.userId !== row.user_id) return `Waiting for ${row.user_id} to sign in to ${row.server} (${row.tenant}).`;
  if (predecessor && predecessor.state !== 'sent') return `Waiting for “${predecessor.label}” to be sent first.`;
  if (row.last_error_code === 'network' || row.last_error_code === 'timeout') return 'File 360 cannot be reached; the app tries again on its own.';
  return null;
}

export function outboxItem(row: OutboxRow, deps: OutboxViewDeps): OutboxItem {
  const predecessor = row.after_id === null ? undefined : deps.outbox.store.get(row.after_id);
  return {
    id: row.id,
    kind: row.kind,
    label: row.label,
    assignmentId: row.assignment_id,
    size: row.size,
    state: row.state,
    waiting: waiting(row, deps, predecessor),
    canRetry: row.state === 'failed' || row.state === 'queued',
    attempts: row.attempts,
    nextAttemptAt: row.state === 'queued' && row.next_attempt_ms !== null ? new Date(row.next_attempt_ms).toISOString() : null,
    lastError: row.state === 'sent' ? null : row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

export function outboxHandlers(deps: OutboxViewDeps) {
  const item = (id: number) => {
    const row = deps.outbox.store.get(id);
    if (!row) throw new AppError('NOT_FOUND', 'That item is no longer in the Outbox.');
    return row;
  };
  return {
    'outbox.list': ({ show, limit }) => ({
      items: deps.outbox.store.list({ states: show === 'all' ? ['queued', 'sending', 'failed', 'sent', 'discarded'] : ['queued', 'sending', 'failed'], limit }).map((row) => outboxItem(row, deps)),
      counts: deps.outbox.store.pending(),
    }),
    'outbox.retry': ({ id }) => {
      const row = item(id);
      if (row.state !== 'failed' && row.state !== 'queued') throw new AppError('NOT_FOUND', 'Only an item that is waiting or failed can be retried.');
      deps.data.transaction(({ audit }) => audit.append({ type: 'outbox.retried', assignmentId: row.assignment_id, details: { outbox: id, kind: row.kind, lastError: row.last_error } }));
      deps.outbox.retry(id);
      return outboxItem(item(id), deps);
    },
    'outbox.discard': ({ id }) => {
      const row = item(id);
      const done = deps.outbox.discard(id, (discarded, dependents) =>
        deps.data.require().audit.append({
          type: 'outbox.discarded',
          assignmentId: discarded.assignment_id,
          details: { outbox: id, kind: discarded.kind, key: discarded.idempotency_key, lastError: discarded.last_error, alsoEnded: dependents.map((dependent) => dependent.id) },
        }),
      );
      if (!done) throw new AppError('NOT_FOUND', row.state === 'sent' ? 'That item was already sent.' : 'Only an item that is waiting or failed can be discarded.');
      return outboxItem(item(id), deps);
    },
  } satisfies Pick<Handlers, 'outbox.list' | 'outbox.retry' | 'outbox.discard'>;
}

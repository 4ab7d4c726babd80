import type { OutboxItem } from '../../../shared/api/schemas/outbox';
import type { Handlers } from '../kernel/api/router';
import type { LocalData } from '../kernel/db/local-data';
import { localNames, type LocalNames } from '../kernel/db/names';
import { AppError } from '../kernel/errors';
import { PublishBody } from '../remote/push/wire';
import type { Outbox } from '../services/outbox/outbox';
import { publishLabel } from '../services/outbox/publish';
import type { OutboxRow } from '../services/outbox/store';
import type { Owner } from '../kernel/identity';

export interface OutboxViewDeps {
  outbox: Outbox;
  data: LocalData;
  /** Who is signed in now, if anyone. */
  owner(): Owner | null;
}

/**
 * A publish's label was written with the ids of the people it tells; the
 * Outbox names them as File 360 named them to this computer, ids where it never did.
 */
function labelOf(row: OutboxRow, names: LocalNames): string {
  if (row.kind !== 'push') return row.label;
  const body = PublishBody.safeParse(JSON.parse(row.payload));
  if (!body.success) return row.label;
  const { users = [], groups = [], title } = body.data;
  if (title === undefined) return row.label;
  return publishLabel([...users.map((id) => names.person(id) ?? id), ...groups], title);
}

/** Why a queued row is not on its way right now, in words. */
function waiting(row: OutboxRow, deps: OutboxViewDeps, predecessor: OutboxRow | undefined, names: LocalNames): string | null {
  if (row.state !== 'queued') return null;
  const owner = deps.owner();
  if (!owner) return 'Waiting for you to sign in to File 360.';
  if (owner.server !== row.server || owner.tenant !== row.tenant || owner.userId !== row.user_id) {
    return `Waiting for ${names.person(row.user_id) ?? row.user_id} to sign in to ${row.server} (${row.tenant}).`;
  }
  if (predecessor && predecessor.state !== 'sent') return `Waiting for “${labelOf(predecessor, names)}” to be sent first.`;
  if (row.last_error_code === 'network' || row.last_error_code === 'timeout') return 'File 360 cannot be reached; the app tries again on its own.';
  return null;
}

export function outboxItem(row: OutboxRow, deps: OutboxViewDeps, names: LocalNames): OutboxItem {
  const predecessor = row.after_id === null ? undefined : deps.outbox.store.get(row.after_id);
  return {
    id: row.id,
    kind: row.kind,
    label: labelOf(row, names),
    assignmentId: row.assignment_id,
    size: row.size,
    state: row.state,
    waiting: waiting(row, deps, predecessor, names),
    canRetry: row.state === 'failed' || row.state === 'queued',
    attempts: row.attempts,
    nextAttemptAt: row.state === 'queued' && row.next_attempt_ms !== null ? new Date(row.next_attempt_ms).toISOString() : null,
    lastError: row.state === 'sent' ? null : row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

export function outboxHandlers(deps: OutboxViewDeps) {
  const names = () => localNames(deps.data.require().db);
  const item = (id: number) => {
    const row = deps.outbox.store.get(id);
    if (!row) throw new AppError('NOT_FOUND', 'That item is no longer in the Outbox.');
    return row;
  };
  return {
    'outbox.list': ({ show, limit }) => {
      const known = names();
      const states: OutboxRow['state'][] = show === 'all' ? ['queued', 'sending', 'failed', 'sent', 'discarded'] : ['queued', 'sending', 'failed'];
      return { items: deps.outbox.store.list({ states, limit }).map((row) => outboxItem(row, deps, known)), counts: deps.outbox.store.pending() };
    },
    'outbox.retry': ({ id }) => {
      const row = item(id);
      if (row.state !== 'failed' && row.state !== 'queued') throw new AppError('NOT_FOUND', 'Only an item that is waiting or failed can be retried.');
      deps.data.transaction(({ audit }) => audit.append({ type: 'outbox.retried', assignmentId: row.assignment_id, details: { outbox: id, kind: row.kind, lastError: row.last_error } }));
      deps.outbox.retry(id);
      return outboxItem(item(id), deps, names());
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
      return outboxItem(item(id), deps, names());
    },
  } satisfies Pick<Handlers, 'outbox.list' | 'outbox.retry' | 'outbox.discard'>;
}

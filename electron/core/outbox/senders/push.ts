import { File360Error } from '../../file360/errors';
import { PublishBody, type PublishAccepted } from '../../push/wire';
import type { OutboxKindHandler } from '../kind';
import type { OutboxRow } from '../store';
import { PermanentError } from '../outcome';

export interface Publisher {
  publish(key: string, body: PublishBody): Promise<PublishAccepted>;
}

/**
 * An escalation's notification is queued before File 360 has named the
 * escalation; it waits for it (`after_id`) and takes the id File 360 gave.
 * The same answer every time, so a resend stays the same publish.
 */
function withEscalationId(body: PublishBody, predecessor: OutboxRow | null): PublishBody {
  if (body.data?.escalation_id !== null || !predecessor?.remote) return body;
  const id = (JSON.parse(predecessor.remote) as { id?: unknown }).id;
  if (typeof id !== 'string') return body;
  return { ...body, data: { ...body.data, escalation_id: id }, ...(body.collapse_key ? { collapse_key: body.collapse_key.replace('{escalation_id}', id) } : {}) };
}

/**
 * CONTRACTS §B `POST /push/v1/notifications`: the row's key makes a resend
 * after a lost answer the same job. A 400 will never be taken, so it fails the
 * row with Push's own words for the user to see.
 */
export function pushSender(push: Publisher): OutboxKindHandler {
  return {
    async send(row, ctx) {
      const body = PublishBody.safeParse(JSON.parse(row.payload));
      if (!body.success) throw new PermanentError('This notification was queued in a form Push does not take, so it cannot be sent.', 'INVALID_PAYLOAD');
      try {
        return await push.publish(row.idempotency_key, withEscalationId(body.data, ctx.predecessor));
      } catch (error) {
        if (error instanceof File360Error && error.status === 400) throw new PermanentError(`Push did not take the notification. ${error.message}`, error.code ?? 'INVALID_REQUEST');
        throw error;
      }
    },
  };
}

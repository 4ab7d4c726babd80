import { File360Error } from '../../kernel/http/errors';
import { PublishBody, type PublishAccepted } from '../../remote/push/wire';
import { readPayload, type OutboxKindHandler } from './kind';
import { PermanentError } from './outcome';

export interface Publisher {
  publish(key: string, body: PublishBody): Promise<PublishAccepted>;
}

/**
 * CONTRACTS §B `POST /push/v1/notifications`: the row's key makes a resend
 * after a lost answer the same job. A 400 will never be taken, so it fails the
 * row with Push's own words for the user to see.
 */
export function pushSender(push: Publisher): OutboxKindHandler {
  return {
    async send(row) {
      const body = readPayload(row, PublishBody, 'notification');
      try {
        return await push.publish(row.idempotency_key, body);
      } catch (error) {
        if (error instanceof File360Error && error.status === 400) throw new PermanentError(`Push did not take the notification. ${error.message}`, error.code ?? 'INVALID_REQUEST');
        throw error;
      }
    },
  };
}

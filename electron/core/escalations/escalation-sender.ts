import { z } from 'zod';
import { readPayload, type OutboxKindHandler } from '../services/outbox/kind';

const ProdigyHash = z.union([z.int(), z.string().min(1)]);

/** CONTRACTS §A.8: the body of `POST /escalations`, as this app makes it (escalationBody) and the outbox keeps it. */
export const EscalationPayload = z.object({
  assignment_id: z.string().min(1),
  reason: z.enum(['flagged', 'ignored', 'low_confidence', 'disagreement', 'question']),
  note: z.string(),
  priority: z.enum(['normal', 'high']),
  item: z.looseObject({
    input_hash: ProdigyHash,
    task_hash: ProdigyHash.optional(),
    task: z.record(z.string(), z.unknown()),
    versions: z.array(z.looseObject({ answer: z.string(), session_id: z.string() })),
    file_ids: z.array(z.string()),
  }),
  upload_id: z.string().optional(),
});
export type EscalationPayload = z.infer<typeof EscalationPayload>;

/** What the sender keeps of File 360's answer, as the row's remote: the escalation's id and state. */
export const SentEscalation = z.object({ id: z.string().min(1), state: z.enum(['open', 'claimed', 'completed']) });
export type SentEscalation = z.infer<typeof SentEscalation>;

/** The key makes a repeat return the same escalation. */
export const escalationSender: OutboxKindHandler = {
  async send(row, ctx) {
    const created = await ctx.client.createEscalation(row.idempotency_key, readPayload(row, EscalationPayload, 'escalation'));
    return { id: created.id, state: created.state } satisfies SentEscalation;
  },
};

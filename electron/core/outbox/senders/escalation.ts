import type { OutboxKindHandler } from '../kind';

/** CONTRACTS §A.8: the payload is the escalation as File 360 takes it; the key makes a repeat return the same one. */
export const escalationSender: OutboxKindHandler = {
  async send(row, ctx) {
    const created = await ctx.client.createEscalation(row.idempotency_key, JSON.parse(row.payload) as Record<string, unknown>);
    return { id: created.id, state: created.state };
  },
};

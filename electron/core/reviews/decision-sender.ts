import { z } from 'zod';
import { File360Error } from '../kernel/http/errors';
import { readPayload, type OutboxKindHandler } from '../services/outbox/kind';
import { PermanentError } from '../services/outbox/outcome';

export const DecisionPayload = z.object({
  /** Null when the escalation was itself still in this outbox: its id comes from the row it waited for. */
  escalation_id: z.string().nullable(),
  outcome: z.enum(['approved', 'corrected', 'rejected']),
  corrected_task: z.record(z.string(), z.unknown()).optional(),
  comment: z.string().optional(),
});
export type DecisionPayload = z.infer<typeof DecisionPayload>;

/** The escalation this decision waited for, as its sender recorded it once File 360 had made it (its id and state). */
const WaitedFor = z.object({ id: z.string().min(1) });

function waitedForId(remote: string | null | undefined): string | undefined {
  if (!remote) return undefined;
  try {
    return WaitedFor.safeParse(JSON.parse(remote)).data?.id;
  } catch {
    return undefined;
  }
}

const OUTCOME_WORDS = { approved: 'approved it', corrected: 'corrected it', rejected: 'rejected it' } as const;

/**
 * Completing a Workflow-style task has no idempotency key. A repeat after a
 * lost answer is recognised by File 360 saying the task is completed, by us:
 * that is success. Completed or claimed by someone else is final, in words.
 */
export const decisionSender: OutboxKindHandler = {
  async send(row, ctx) {
    const payload = readPayload(row, DecisionPayload, 'decision');
    const id = payload.escalation_id ?? waitedForId(ctx.predecessor?.remote);
    if (!id) throw new PermanentError('The escalation this decision is about never reached File 360.', 'NO_ESCALATION');
    const { escalation_id: _id, ...decision } = payload;
    try {
      const done = await ctx.client.actOnEscalation(id, { action: 'complete', ...decision });
      return { id: done.id, state: done.state };
    } catch (error) {
      if (!(error instanceof File360Error)) throw error;
      if (error.code === 'TASK_ALREADY_COMPLETED') {
        const current = await ctx.client.escalation(id);
        if (current.decision?.actor.id === ctx.me.userId) return { id: current.id, state: current.state };
        const who = current.decision?.actor.display_name ?? current.decision?.actor.id ?? 'someone else';
        throw new PermanentError(`${who} already ${current.decision ? OUTCOME_WORDS[current.decision.outcome] : 'decided it'} before your decision reached File 360.`, 'TASK_ALREADY_COMPLETED');
      }
      if (error.code === 'TASK_NOT_ASSIGNED') {
        const current = await ctx.client.escalation(id).catch(() => null);
        const who = current?.assignee?.display_name ?? current?.assignee?.id ?? 'another reviewer';
        throw new PermanentError(`${who} is working on this item, so your decision was not sent.`, 'TASK_NOT_ASSIGNED');
      }
      throw error;
    }
  },
};

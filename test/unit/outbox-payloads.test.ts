import { describe, expect, it } from 'vitest';
import { escalationSender } from '../../electron/core/escalations/escalation-sender';
import { decisionSender } from '../../electron/core/reviews/decision-sender';
import type { SendContext } from '../../electron/core/services/outbox/kind';
import { PermanentError } from '../../electron/core/services/outbox/outcome';
import type { OutboxRow } from '../../electron/core/services/outbox/store';

/** Each outbox kind parses its own payload: a row its kind does not take fails for good, in words, and nothing is sent. */
const sent: string[] = [];
const ctx = {
  client: new Proxy({}, { get: (_target, name) => () => sent.push(String(name)) }),
  me: { server: 'https://file360.example', tenant: 't', userId: 'u-ana' },
  dataDir: '/nowhere',
  predecessor: null,
} as unknown as SendContext;
const row = (payload: string) => ({ id: 1, kind: 'escalation', idempotency_key: 'key-1', payload }) as unknown as OutboxRow;

async function failure(send: Promise<unknown>): Promise<PermanentError> {
  const error = await send.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof PermanentError)) throw new Error(`expected a PermanentError, got ${String(error)}`);
  return error;
}

describe('outbox kinds read their own payloads', () => {
  it('refuses an escalation stored without its item, naming the field, and sends nothing', async () => {
    const error = await failure(escalationSender.send(row(JSON.stringify({ assignment_id: 'asg-1', reason: 'flagged', note: '', priority: 'normal' })), ctx));
    expect(error.code).toBe('INVALID_PAYLOAD');
    expect(error.message).toMatch(/^This escalation was stored in a form that cannot be sent \(item: .+\)\. Discard it and make it again\.$/);
    expect(sent).toEqual([]);
  });

  it('refuses an escalation with a reason the contract does not have', async () => {
    const body = { assignment_id: 'asg-1', reason: 'bored', note: '', priority: 'normal', item: { input_hash: 1, task: {}, versions: [], file_ids: [] } };
    expect((await failure(escalationSender.send(row(JSON.stringify(body)), ctx))).message).toContain('(reason: ');
    expect(sent).toEqual([]);
  });

  it('refuses a decision stored damaged (not JSON)', async () => {
    const error = await failure(decisionSender.send(row('{"escalation_id": "esc-1", "outcome"'), ctx));
    expect(error.message).toBe('This decision was stored damaged (not JSON), so it cannot be sent. Discard it and make it again.');
    expect(sent).toEqual([]);
  });

  it('sends an escalation that matches CONTRACTS §A.8', async () => {
    const body = { assignment_id: 'asg-1', reason: 'flagged', note: 'Not sure', priority: 'high', item: { input_hash: 12, task: { text: 'x' }, versions: [{ answer: 'accept', session_id: 's' }], file_ids: ['fil-1'] } };
    await escalationSender.send(row(JSON.stringify(body)), ctx).catch(() => undefined);
    expect(sent).toEqual(['createEscalation']);
  });
  it('sends a decision that waited for its escalation with the id that escalation was given', async () => {
    sent.length = 0;
    const predecessor = { remote: JSON.stringify({ id: 'esc-9', state: 'open' }) } as OutboxRow;
    await decisionSender.send(row(JSON.stringify({ escalation_id: null, outcome: 'approved' })), { ...ctx, predecessor }).catch(() => undefined);
    expect(sent).toEqual(['actOnEscalation']);
  });

  it('refuses a decision whose escalation left no id behind (kept answer damaged, or without one), and sends nothing', async () => {
    for (const remote of ['{"id"', JSON.stringify({ state: 'open' }), JSON.stringify({ id: 7 }), null]) {
      sent.length = 0;
      const predecessor = { remote } as OutboxRow;
      const error = await failure(decisionSender.send(row(JSON.stringify({ escalation_id: null, outcome: 'approved' })), { ...ctx, predecessor }));
      expect(error.code).toBe('NO_ESCALATION');
      expect(error.message).toBe('The escalation this decision is about never reached File 360.');
      expect(sent).toEqual([]);
    }
  });
});

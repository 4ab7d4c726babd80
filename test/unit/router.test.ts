import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { METHOD_NAMES, methods, type MethodInput, type MethodName } from '../../shared/api/contract';
import { createRouter, type Handlers } from '../../electron/core/kernel/api/router';
import { AppError } from '../../electron/core/kernel/errors';
import { invalidCases, type JsonSchema } from '../support/schema-cases';
import { recordingLogger } from '../support/ports';

/** One valid input per method; the Record type makes a new method without one a compile error. */
const VALID: { [M in MethodName]: MethodInput<M> } = {
  'app.info': {},
  'app.status': {},
  'app.takePendingRoute': {},
  'app.recoverDatabase': { action: 'move-aside' },
  'settings.get': {},
  'settings.update': {
    values: { server: 'https://file360.example.com', tenant: 'acme', syncConcurrency: 4, syncIntervalMinutes: 15, prodigyCommand: 'python3 -m prodigy', autoExport: false, reviewedDataset: '{dataset}_checked',
      mutedNotificationTypes: ['annotation.completed', 'dataset.ready'], mutedTopics: ['escalations.*', 'assignment.asg-1'], quietHours: '22:00-07:00', reminderHours: [24, 1], auditRetentionDays: 90, keepInTray: false, openAtLogin: true, updateChannel: 'beta' },
  },
  'audit.list': { type: 'app.started', assignmentId: 'asg-1', from: '2026-11-01T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z', beforeId: 10, limit: 50 },
  'audit.timeline': { source: 'file360', type: 'download', assignmentId: 'asg-1', from: '2026-11-01T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z', before: { ts: '2026-11-20T00:00:00.000Z', source: 'local', key: '12' }, limit: 50 },
  'audit.fetchHistory': {},
  'audit.facets': {},
  'audit.verify': {},
  'audit.chain': {},
  'auth.signIn': {},
  'auth.cancelSignIn': {},
  'auth.signOut': {},
  'assignments.list': {},
  'assignments.get': { id: 'asg-1' },
  'assignments.files': { id: 'asg-1', offset: 0, limit: 100, problemsOnly: true },
  'assignments.guidelines': { id: 'asg-1' },
  'answers.list': { assignmentId: 'asg-1', query: 'refund', answer: 'accept', offset: 0, limit: 50 },
  'sync.start': { id: 'asg-1' },
  'sync.pause': { id: 'asg-1' },
  'sync.cancel': { id: 'asg-1' },
  'sessions.list': {},
  'sessions.start': { assignmentId: 'asg-1' },
  'sessions.stop': { assignmentId: 'asg-1' },
  'sessions.open': { assignmentId: 'asg-1' },
  'sessions.log': { assignmentId: 'asg-1' },
  'prodigy.info': {},
  'prodigy.check': {},
  'exports.run': { id: 'asg-1' },
  'exports.list': { id: 'asg-1' },
  'exports.agreement': { id: 'asg-1' },
  'lineage.get': { assignmentId: 'asg-1' },
  'lineage.export': { assignmentId: 'asg-1' },
  'escalations.list': { assignmentId: 'asg-1' },
  'escalations.candidates': { assignmentId: 'asg-1', query: 'refund' },
  'escalations.ask': { assignmentId: 'asg-1', key: 'input:-123', question: 'Is this billing or account access?', priority: 'high' },
  'escalations.applyDecision': { id: '6f1c2f64-2b7e-4f0e-9a57-0c1b8a9d3e21' },
  'reviews.list': { state: 'claimed', reason: 'disagreement', priority: 'high', due: 'week' },
  'reviews.refresh': {},
  'reviews.open': { id: 'esc-1' },
  'reviews.decide': { id: 'esc-1', outcome: 'corrected', version: 1, correctedTask: { accept: ['billing'] }, comment: 'Billing, not access.' },
  'reviews.approveMany': { ids: ['esc-1', 'esc-2'], comment: 'All three are billing.' },
  'outbox.list': { show: 'all', limit: 50 },
  'outbox.retry': { id: 3 },
  'outbox.discard': { id: 3 },
  'notifications.list': { filter: 'unread', type: 'review.requested', limit: 50, beforeId: 20 },
  'notifications.markRead': { ids: [1, 2] },
  'notifications.clear': { ids: 'all' },
  'notifications.open': { id: 7 },
  'updates.status': {},
  'updates.check': {},
  'updates.restart': {},
};

/** Handlers that only count calls: any call with bad input that reaches one is a failure. */
function spyHandlers() {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    METHOD_NAMES.map((name) => [
      name,
      () => {
        calls.push(name);
        throw new AppError('INTERNAL', 'spy');
      },
    ]),
  ) as unknown as Handlers;
  return { calls, handlers };
}

describe('the router refuses malformed input for every method', () => {
  for (const method of METHOD_NAMES) {
    const schema = z.toJSONSchema(methods[method].input, { io: 'input' }) as JsonSchema;
    const cases = invalidCases(schema, VALID[method]);

    it(`${method}: ${cases.length} generated cases are refused before the handler runs`, async () => {
      expect(cases.length).toBeGreaterThanOrEqual(4);
      const { calls, handlers } = spyHandlers();
      const router = createRouter(handlers, recordingLogger());
      for (const { name, value } of cases) {
        const result = await router.call(method, value);
        expect(result.ok, name).toBe(false);
        if (!result.ok) {
          expect(result.error.code, name).toBe('INVALID_INPUT');
          expect(result.error.message, name).toContain(method);
        }
      }
      expect(calls).toEqual([]);
    });

    it(`${method}: the valid example reaches the handler`, async () => {
      const { calls, handlers } = spyHandlers();
      await createRouter(handlers, recordingLogger()).call(method, VALID[method]);
      expect(calls).toEqual([method]);
    });
  }
});

describe('the router turns every failure into a typed error', () => {
  const base = spyHandlers().handlers;

  it('names an unknown method without echoing a huge name', async () => {
    const router = createRouter(base, recordingLogger());
    const result = await router.call('x'.repeat(5000), {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    if (!result.ok) expect(result.error.message.length).toBeLessThan(200);
    expect(await router.call(42, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await router.call('__proto__', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await router.call('toString', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('passes an AppError through with its words', async () => {
    const handlers = { ...base, 'audit.verify': () => { throw new AppError('DB_UNAVAILABLE', 'The database is away.'); } };
    const result = await createRouter(handlers, recordingLogger()).call('audit.verify', {});
    expect(result).toEqual({ ok: false, error: { code: 'DB_UNAVAILABLE', message: 'The database is away.' } });
  });

  it('hides an unexpected error behind INTERNAL and logs it, so internals and secrets never reach the UI', async () => {
    const logger = recordingLogger();
    const handlers = { ...base, 'audit.verify': () => { throw new Error('refresh_token=abc123 leaked in a stack'); } };
    const result = await createRouter(handlers, logger).call('audit.verify', {});
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INTERNAL');
      expect(result.error.message).not.toContain('abc123');
    }
    expect(logger.lines.some((line) => line.level === 'error' && line.fields?.method === 'audit.verify')).toBe(true);
  });

  it('refuses to return a handler result that breaks the contract', async () => {
    const logger = recordingLogger();
    const handlers = { ...base, 'audit.verify': () => ({ ok: 'yes' }) as never };
    const result = await createRouter(handlers, logger).call('audit.verify', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(logger.lines.map((line) => line.message)).toContain('handler returned a value outside the contract');
  });

  it('applies defaults before the handler sees the input', async () => {
    let seen: unknown;
    const handlers = { ...base, 'audit.list': (args: unknown) => { seen = args; return { entries: [], nextBeforeId: null }; } };
    const result = await createRouter(handlers as Handlers, recordingLogger()).call('audit.list', {});
    expect(result).toEqual({ ok: true, value: { entries: [], nextBeforeId: null } });
    expect(seen).toEqual({ limit: 100 });
  });

  it('reports which field was wrong, so a form can show it beside the field', async () => {
    const result = await createRouter(base, recordingLogger()).call('settings.update', { values: { syncConcurrency: 99 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues).toEqual([expect.objectContaining({ path: 'values.syncConcurrency' })]);
  });
});

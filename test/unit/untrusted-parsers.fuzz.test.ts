import path from 'node:path';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RouteSchema } from '../../shared/api/schemas/app';
import { DEEP_LINK_SCHEME, parseDeepLink, parseHash, routeToHash, SECTIONS } from '../../shared/routes';
import { parseExamples } from '../../electron/core/services/disputes/read';
import { Assignment, AuditRecord, Escalation, ManifestItem, Me, UploadState } from '../../electron/core/remote/file360/wire';
import { nestsWithin } from '../../electron/core/kernel/platform/bounded-json';
import { receiveEventData } from '../../electron/core/remote/push/events';
import { WireNotification } from '../../electron/core/remote/push/wire';
import { checkRemotePath, resolveInside } from '../../electron/core/kernel/platform/safe-path';
import { decodeCallFrame } from '../../electron/host/server';
import { fuzz } from '../support/fuzz';
import { Collection } from '../../electron/core/kernel/http/wire';

/**
 * Every parser that reads what another system sent, checked by fast-check
 * (property-based fuzzing): for any input it answers in its own terms (a
 * value, or a refusal in words) and never throws something else, and what it
 * accepts can be stored (JSON.stringify does not overflow). `npm run fuzz`
 * runs the same targets longer; each writes its count to test-results/fuzz/.
 */

/** An array nested 1 000 to 60 000 deep: what JSON.parse reads happily and JSON.stringify cannot write. */
const deepValue = fc.integer({ min: 1000, max: 60_000 }).map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown);

/** Puts `value` somewhere inside `into`, at a random path of objects and arrays. */
function plant(into: unknown, value: unknown, route: readonly string[]): unknown {
  if (route.length === 0) return value;
  const [key = 'x', ...rest] = route;
  const holder = into !== null && typeof into === 'object' && !Array.isArray(into) ? { ...(into as Record<string, unknown>) } : {};
  holder[key] = plant(holder[key], value, rest);
  return holder;
}

const VALID = {
  me: { id: 'u-1', display_name: 'Ana', roles: ['annotator'], groups: [] },
  assignment: { id: 'asg-1', name: 'A', status: 'active', role: 'annotator', permissions: ['view'], manifest_version: 1, file_count: 0, total_size: 0, project: { recipe: 'textcat.manual', dataset: 'd', labels: ['A'] } },
  manifestItem: { id: 'fil-1', path: 'a/b.txt', size: 3, sha256: 'a'.repeat(64), version_number: 1 },
  upload: { id: 'upl-1', status: 'pending', received: 0, chunk_size: 8 },
  escalation: { id: 'esc-1', state: 'open', assignment_id: 'asg-1', reason: 'flagged', item: { input_hash: 1, task: { text: 'x' } }, created: '2026-01-01T00:00:00Z', updated: '2026-01-01T00:00:00Z' },
  audit: { id: 'aud-1', event_type: 'download', audit_date: '2026-01-01T00:00:00Z', details: {} },
  notification: { seq: 1, id: 'n-1', type: 'review.requested', title: 't', summary: 's', created: '2026-01-01T00:00:00Z', data: {} },
};
const SCHEMAS = {
  me: Me,
  assignment: Assignment,
  manifestItem: ManifestItem,
  upload: UploadState,
  escalation: Escalation,
  audit: AuditRecord,
  notification: WireNotification,
  collection: Collection(Assignment),
} as const;

/** A valid answer bent at one point: a field replaced by any JSON, by a deep value, or the whole thing replaced. */
function wireInputs(name: keyof typeof VALID): fc.Arbitrary<unknown> {
  const base = VALID[name];
  const route = fc.array(fc.constantFrom(...Object.keys(base), 'project', 'item', 'task', 'details', 'data', 'extra', 'nested'), { minLength: 1, maxLength: 4 });
  return fc.oneof(
    fc.tuple(route, fc.jsonValue()).map(([at, value]) => plant(base, value, at)),
    fc.tuple(route, deepValue).map(([at, value]) => plant(base, value, at)),
    fc.jsonValue(),
  );
}

describe('untrusted input, fuzzed', () => {
  for (const name of Object.keys(VALID) as Array<keyof typeof VALID>) {
    it(`the File 360 and Push wire schema "${name}" refuses or accepts, and what it accepts can be stored`, async () => {
      await fuzz(`wire-${name}`, wireInputs(name), (raw) => {
        const checked = SCHEMAS[name].safeParse(raw);
        if (!checked.success) return true;
        JSON.stringify(checked.data);
        return nestsWithin(checked.data, 64);
      }, 300);
    });
  }

  it('a collection page with a deep item is refused as a whole by the strict schema, item by item by the client', async () => {
    const page = fc.tuple(fc.array(fc.constant(VALID.assignment), { maxLength: 3 }), deepValue).map(([items, deep]) => ({ _embedded: { collection: [...items, plant(VALID.assignment, deep, ['project', 'nested'])] }, _links: {} }));
    await fuzz('wire-collection', page, (raw) => !SCHEMAS.collection.safeParse(raw).success, 50);
  });

  it('SSE events from Push: any bytes, cut anywhere, become notifications or named problems, never an exception', async () => {
    const field = fc.oneof(
      fc.constant('event: notification\n'),
      fc.constant('event: reset\n'),
      fc.constant(': keepalive\n'),
      fc.integer({ min: -5, max: 1e12 }).map((id) => `id: ${id}\n`),
      fc.jsonValue().map((value) => `data: ${JSON.stringify(value)}\n`),
      fc.tuple(fc.constantFrom('title', 'data', 'seq'), fc.integer({ min: 1000, max: 50_000 })).map(
        ([key, depth]) => `data: ${JSON.stringify({ ...VALID.notification, [key]: '__DEEP__' }).replace('"__DEEP__"', key === 'data' ? `{"x":${'['.repeat(depth)}${']'.repeat(depth)}}` : `${'['.repeat(depth)}${']'.repeat(depth)}`)}\n`,
      ),
      fc.string({ maxLength: 80 }),
      fc.constant('\n'),
      fc.constant('retry: 10\n'),
    );
    const stream = fc.tuple(fc.array(field, { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 10 }));
    await fuzz('push-sse-events', stream, ([fields, cuts]) => {
      const text = fields.join('');
      const events: EventSourceMessage[] = [];
      const parser = createParser({ onEvent: (event) => events.push(event), maxBufferSize: 1024 * 1024 });
      let at = 0;
      for (const cut of cuts) {
        parser.feed(text.slice(at, at + cut));
        at += cut;
      }
      parser.feed(text.slice(at));
      for (const event of events) {
        const received = receiveEventData(event.data, event.id);
        if (received.notification) JSON.stringify(received.notification);
        else if (typeof received.problem !== 'string') return false;
        if (received.seq !== null && !(Number.isSafeInteger(received.seq) && received.seq > 0)) return false;
      }
      return true;
    }, 400);
  });

  it('Prodigy db-out lines: any line is an example or an error naming the file and line', async () => {
    const example = fc.record({ _input_hash: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), _task_hash: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), answer: fc.constantFrom('accept', 'reject', 'ignore'), text: fc.string() });
    const line = fc.oneof(
      example.map((value) => JSON.stringify(value)),
      fc.tuple(example, fc.constantFrom('answer', '_input_hash', 'spans', 'meta'), fc.oneof(fc.jsonValue(), fc.constant('__DEEP__'))).map(([value, key, bad]) =>
        JSON.stringify({ ...value, [key]: bad }).replace('"__DEEP__"', `${'['.repeat(20_000)}${']'.repeat(20_000)}`),
      ),
      fc.string({ maxLength: 60 }),
      fc.constant(''),
    );
    await fuzz('prodigy-db-out-lines', fc.array(line, { maxLength: 8 }), (lines) => {
      try {
        parseExamples(lines.join('\n'), 'export.jsonl');
        return true;
      } catch (error) {
        return error instanceof Error && error.name === 'Error' && /^export\.jsonl line \d+: /.test(error.message);
      }
    }, 400);
  });

  it('deep links and in-app addresses: a route the contract accepts, or nothing', async () => {
    const link = fc.oneof(
      fc.tuple(fc.constantFrom(...SECTIONS, 'x', ''), fc.string({ maxLength: 30 })).map(([section, rest]) => `${DEEP_LINK_SCHEME}://${section}/${rest}`),
      fc.webUrl().map((url) => url.replace(/^https?/, DEEP_LINK_SCHEME)),
      // A decision on an assignment's page, as a notification's route gives it.
      fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })).map(([id, decision]) => `${DEEP_LINK_SCHEME}://assignments/${id}/decision/${decision}`),
      fc.string({ maxLength: 80 }),
    );
    await fuzz('deep-links', link, (raw) => {
      for (const route of [parseDeepLink(raw), parseHash(raw.replace(/^[a-z]+:\/\//, '#/'))]) {
        if (route === null) continue;
        if (!RouteSchema.safeParse({ section: route.section, id: route.id, decision: route.decision }).success) return false;
        const again = parseHash(routeToHash(route));
        if (again?.section !== route.section || again.id !== route.id || again.decision !== route.decision) return false;
      }
      return true;
    }, 500);
  });

  it('server-provided paths: refused with a reason, or inside the assignment folder', async () => {
    const part = fc.oneof(fc.constantFrom('..', '.', '', 'CON', 'a:b', 'x ', 'nul.txt', '\u0000', 'e\u0301', 'C:', '\\\\server'), fc.string({ maxLength: 12 }));
    const raw = fc.oneof(fc.array(part, { maxLength: 6 }).map((parts) => parts.join('/')), fc.string({ maxLength: 100 }));
    const root = path.resolve('/tmp/companion-fuzz-root');
    await fuzz('server-paths', raw, (candidate) => {
      const checked = checkRemotePath(candidate);
      if (!checked.ok) return typeof checked.reason === 'string' && checked.reason.length > 0;
      const resolved = resolveInside(root, checked.segments);
      return resolved.startsWith(root + path.sep) && !checked.segments.some((s) => s === '..' || s === '.' || s.includes('\0'));
    }, 500);
  });

  it('the WebSocket message decoder: a call frame, or a close code and reason', async () => {
    const message = fc.oneof(
      fc.record({ type: fc.constantFrom('call', 'result', 'x'), id: fc.oneof(fc.integer(), fc.string()), method: fc.string(), input: fc.jsonValue() }).map((frame) => Buffer.from(JSON.stringify(frame))),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value))),
      fc.integer({ min: 1000, max: 50_000 }).map((depth) => Buffer.from(`{"type":"call","id":1,"method":"m","input":${'['.repeat(depth)}${']'.repeat(depth)}}`)),
    );
    await fuzz('websocket-decoder', fc.tuple(message, fc.boolean()), ([data, isBinary]) => {
      const decoded = decodeCallFrame(data, isBinary);
      if ('close' in decoded) return [1003, 1007].includes(decoded.close[0]) && decoded.close[1].length <= 123;
      return !isBinary && decoded.frame.type === 'call' && Number.isInteger(decoded.frame.id);
    }, 400);
  });

  it('plants a deep value where the schemas leave fields open, to show the bound holds', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`) as unknown;
    expect(Assignment.safeParse(plant(VALID.assignment, deep, ['project', 'nested'])).success).toBe(false);
    expect(Assignment.safeParse(plant(VALID.assignment, [[['fine']]], ['project', 'nested'])).success).toBe(true);
  });
});

import { z } from 'zod';
import { withUser } from '../auth';
import { pagingOf, sendCollection } from '../collections';
import type { Context } from '../context';
import { invalidRequest, notFound } from '../errors';
import { header, readJson, type Exchange } from '../exchange';
import { sendJson } from '../respond';
import type { Route } from '../router';
import type { User } from '../state/users';

/** CONTRACTS §A.9: the app's hash-chained events in, Content Server-style audit out. */
const EventsBody = z.strictObject({
  events: z
    .array(
      z.looseObject({
        id: z.string().min(1).max(256),
        event_type: z.string().min(1).max(128),
        audit_date: z.iso.datetime({ offset: true }),
        user_id: z.string().min(1),
        assignment_id: z.string().optional(),
        file_id: z.string().optional(),
        details: z.record(z.string(), z.unknown()).default({}),
        hash: z.string().min(1),
        prev_hash: z.string().nullable(),
      }),
    )
    .min(1)
    .max(1000),
});

async function post(ctx: Context, ex: Exchange, user: User): Promise<void> {
  const body = await readJson(ex, EventsBody);
  const key = header(ex, 'idempotency-key');
  const earlier = ctx.idempotency.replayed(user.id, 'audit', key, body);
  if (earlier) return sendJson(ex, 200, { accepted: Number(earlier) }, { 'Idempotent-Replayed': 'true' });
  const accepted = ctx.audit.accept(body.events, user.id);
  ctx.idempotency.remember(user.id, 'audit', key ?? '', body, String(accepted));
  return sendJson(ex, 202, { accepted });
}

async function list(ctx: Context, ex: Exchange, user: User): Promise<void> {
  const assignmentId = ex.url.searchParams.get('assignment_id') ?? undefined;
  // Audit outlives the share: an ended assignment's trail stays readable to the people it was shared with.
  if (assignmentId !== undefined && !ctx.assignments.userIds(assignmentId).includes(user.id)) throw notFound(`Assignment ${assignmentId}`);
  const afterId = ex.url.searchParams.get('after_id');
  const afterSeq = afterId === null ? undefined : ctx.audit.seqOf(afterId);
  if (afterId !== null && afterSeq === undefined) throw invalidRequest(`after_id ${afterId} is not a known audit event.`);
  const paging = pagingOf(ex);
  const { items, total } = ctx.audit.page({ visibleTo: user.id, assignmentId, afterSeq }, paging.offset, paging.itemsPerPage);
  const events = items.map(({ source: _source, hash: _hash, prev_hash: _prev, ...event }) => event);
  return sendCollection(ex, paging, events, total);
}

export function auditRoutes(ctx: Context): Route[] {
  return [
    { method: 'POST', pattern: '/file360/v1/audit/events', handle: withUser(ctx, (ex, user) => post(ctx, ex, user)) },
    { method: 'GET', pattern: '/file360/v1/audit', handle: withUser(ctx, (ex, user) => list(ctx, ex, user)) },
  ];
}

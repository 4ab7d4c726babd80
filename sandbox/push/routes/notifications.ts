import { z } from 'zod';
import { withUser } from '../../file360/auth';
import type { Context } from '../../file360/context';
import { invalidRequest, notFound } from '../../file360/errors';
import { header, readJson, type Exchange } from '../../file360/exchange';
import { sendJson } from '../../file360/respond';
import type { Route } from '../../file360/router';
import type { User } from '../../file360/state/users';

const MAX_LIMIT = 1000;

function count(ex: Exchange, name: string, fallback: number, min: number): number {
  const text = ex.url.searchParams.get(name);
  if (text === null) return fallback;
  if (!/^\d{1,15}$/.test(text) || Number(text) < min) throw invalidRequest(`Query parameter ${name} must be a whole number of at least ${min}, not "${text}".`);
  return Number(text);
}

/**
 * Catch-up, a HAL collection with a seq cursor: `next` carries the last seq of
 * the page as `after_seq`. The bounds ride along, so a client whose cursor
 * fell behind current_min_seq knows what it can no longer get.
 */
function catchUp(ctx: Context, ex: Exchange, user: User): Promise<void> {
  const afterSeq = count(ex, 'after_seq', 0, 0);
  const limit = count(ex, 'limit', 100, 1);
  if (limit > MAX_LIMIT) throw invalidRequest(`limit may be at most ${MAX_LIMIT}.`);
  const found = ctx.push.events.after(user.id, afterSeq, limit + 1);
  const page = found.slice(0, limit);
  const href = (after: number) => {
    const url = new URL(ex.url);
    url.searchParams.set('after_seq', String(after));
    url.searchParams.set('limit', String(limit));
    return url.href;
  };
  const last = page.at(-1);
  return sendJson(ex, 200, {
    _embedded: { collection: page },
    _links: { self: { href: href(afterSeq) }, ...(found.length > limit && last ? { next: { href: href(last.seq) } } : {}) },
    items_per_page: limit,
    ...ctx.push.events.bounds(),
  });
}

async function publish(ctx: Context, ex: Exchange, user: User): Promise<void> {
  const body = await readJson(ex, z.unknown());
  const { replayed, ...accepted } = ctx.push.publish(body, user.id, header(ex, 'idempotency-key') ?? '');
  return sendJson(ex, 202, accepted, replayed ? { 'Idempotent-Replayed': 'true' } : {});
}

export function notificationRoutes(ctx: Context): Route[] {
  return [
    { method: 'GET', pattern: '/push/v1/notifications/seq-bounds', handle: withUser(ctx, (ex) => sendJson(ex, 200, ctx.push.events.bounds())) },
    { method: 'GET', pattern: '/push/v1/notifications', handle: withUser(ctx, (ex, user) => catchUp(ctx, ex, user)) },
    { method: 'POST', pattern: '/push/v1/notifications', handle: withUser(ctx, (ex, user) => publish(ctx, ex, user)) },
    {
      method: 'GET',
      pattern: '/push/v1/jobs/:id',
      handle: withUser(ctx, (ex, user) => {
        const job = ctx.push.jobs.get(ex.params.id ?? '', user.id);
        if (!job) throw notFound(`Job ${ex.params.id}`);
        return sendJson(ex, 200, job);
      }),
    },
  ];
}

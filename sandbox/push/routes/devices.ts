import { z } from 'zod';
import { withUser } from '../../file360/auth';
import type { Context } from '../../file360/context';
import { notFound } from '../../file360/errors';
import { header, readJson, type Exchange } from '../../file360/exchange';
import { sendJson } from '../../file360/respond';
import type { Route } from '../../file360/router';
import type { User } from '../../file360/state/users';
import { checkTopicFor } from '../topics';

const DeviceBody = z.strictObject({
  installation_id: z.string().min(1).max(256),
  runtime: z.enum(['desktop-linux', 'desktop-mac', 'desktop-win']),
  app_version: z.string().min(1).max(64),
});

const SCOPE = 'push-devices';

/** Same key → 200 with the same id, as File 360's replays are; a new key for a known installation also finds its device. */
async function register(ctx: Context, ex: Exchange, user: User): Promise<void> {
  const body = await readJson(ex, DeviceBody);
  const key = header(ex, 'idempotency-key');
  const earlier = ctx.idempotency.replayed(user.id, SCOPE, key, body);
  if (earlier) return sendJson(ex, 200, { id: earlier }, { 'Idempotent-Replayed': 'true' });
  const id = ctx.push.devices.register(user.id, body);
  ctx.idempotency.remember(user.id, SCOPE, key ?? '', body, id);
  return sendJson(ex, 201, { id }, { Location: `/push/v1/devices/${encodeURIComponent(id)}` });
}

/** Someone else's device is "not found", as File 360 treats someone else's assignment. */
function topicChange(ctx: Context, change: 'subscribe' | 'unsubscribe') {
  return withUser(ctx, async (ex, user) => {
    const id = ex.params.id ?? '';
    if (!ctx.push.devices.ownedBy(id, user.id)) throw notFound(`Device ${id}`);
    ctx.push.devices[change](id, checkTopicFor(user, ex.params.topic ?? ''));
    return ex.send(204, { 'Cache-Control': 'no-store' });
  });
}

export function deviceRoutes(ctx: Context): Route[] {
  return [
    { method: 'POST', pattern: '/push/v1/devices', handle: withUser(ctx, (ex, user) => register(ctx, ex, user)) },
    { method: 'PUT', pattern: '/push/v1/devices/:id/topics/:topic', handle: topicChange(ctx, 'subscribe') },
    { method: 'DELETE', pattern: '/push/v1/devices/:id/topics/:topic', handle: topicChange(ctx, 'unsubscribe') },
  ];
}

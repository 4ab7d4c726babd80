import { z } from 'zod';
import type { Context } from '../../file360/context';
import { header, readJson, type Exchange } from '../../file360/exchange';
import { sendJson } from '../../file360/respond';
import type { Route } from '../../file360/router';
import type { PushHandle, PublishInput } from '../handle';

/** `push` in `POST /__sandbox/faults`: the handle's faults over HTTP. A bare number is the main parameter. */
export const PushFaultsSchema = z.strictObject({
  dropConnections: z.literal(true).optional(),
  dropRandomly: z
    .preprocess((value) => (typeof value === 'number' ? { probability: value } : value), z.strictObject({ probability: z.number().min(0).max(1), seed: z.int().optional() }))
    .nullable()
    .optional(),
  stall: z.boolean().optional(),
  /** `true` for every user, or one user id. */
  expireTokens: z.union([z.literal(true), z.string().min(1)]).optional(),
  /** `true` for all history so far, or the last seq to forget. */
  clearHistory: z.union([z.literal(true), z.int().min(0)]).optional(),
});

export type PushFaultSettings = z.output<typeof PushFaultsSchema>;

/** Applies the settings in a fixed order (clear history before dropping, stall last); answers how many streams were dropped. */
export function applyPushFaults(push: PushHandle, settings: PushFaultSettings): { dropped?: number } {
  if (settings.clearHistory !== undefined) push.faults.clearHistory(settings.clearHistory === true ? undefined : settings.clearHistory);
  if (settings.expireTokens !== undefined) push.faults.expireTokens(settings.expireTokens === true ? undefined : settings.expireTokens);
  if (settings.dropRandomly !== undefined) push.faults.dropRandomly(settings.dropRandomly?.probability ?? null, settings.dropRandomly?.seed);
  const dropped = settings.dropConnections ? push.faults.dropConnections() : undefined;
  if (settings.stall !== undefined) push.faults.stall(settings.stall);
  return dropped === undefined ? {} : { dropped };
}

/** What is armed, for `GET /__sandbox/faults`. */
export function pushFaultState(ctx: Context): { stalled: boolean; dropRandomly: { probability: number } | null } {
  return { stalled: ctx.push.hub.isStalled(), dropRandomly: ctx.push.hub.dropChanceSetting() };
}

const PublishBody = z.custom<PublishInput>((value) => typeof value === 'object' && value !== null);

/** `/__sandbox/push/*`: publish and look, for a sandbox in another process (the CLI's `publish`). */
export function pushControlRoutes(ctx: Context, push: PushHandle): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/__sandbox/push',
      handle: (ex: Exchange) => sendJson(ex, 200, { ...push.bounds(), open_streams: push.openStreams(), devices: push.devices(), faults: pushFaultState(ctx) }),
    },
    {
      method: 'POST',
      pattern: '/__sandbox/push/notifications',
      handle: async (ex: Exchange) => sendJson(ex, 202, push.publish(await readJson(ex, PublishBody), header(ex, 'idempotency-key'))),
    },
  ];
}

import { z } from 'zod';
import type { PushHandle } from '../../push/handle';
import { applyPushFaults, PushFaultsSchema, pushFaultState } from '../../push/routes/control';
import type { FaultSwitches, SandboxAdmin } from '../admin';
import type { Context } from '../context';
import { FaultSettingsSchema } from '../faults';
import { FixtureAssignmentSchema, FixtureFileSchema } from '../fixture';
import { readJson, type Exchange } from '../exchange';
import { sendJson } from '../respond';
import type { Route } from '../router';
import { StorageSettingsSchema } from '../storage';

/**
 * `/__sandbox/*`: the in-process controls over HTTP, for a sandbox running in
 * another process (the CLI, benchmarks). No auth: the server only listens on loopback.
 */
const Iso = z.iso.datetime({ offset: true });

const FaultsBody = FaultSettingsSchema.extend({
  expireTokensNow: z.literal(true).optional(),
  expireAssignment: z.string().optional(),
  revokeAssignment: z.string().optional(),
  push: PushFaultsSchema.optional(),
});
const ClockBody = z.strictObject({ set: Iso.optional(), advanceMs: z.number().optional() });
const AssignmentPatch = z.strictObject({ expiration: Iso.nullable().optional(), revoked: z.boolean().optional() });
const FilePatch = z.strictObject({
  path: z.string().min(1).optional(),
  mime_type: z.string().optional(),
  text: z.string().optional(),
  size: z.int().min(0).optional(),
});

export function adminRoutes(ctx: Context, admin: SandboxAdmin, faults: FaultSwitches, push: PushHandle): Route[] {
  const json = (handler: (ex: Exchange) => unknown, status = 200) => async (ex: Exchange) => sendJson(ex, status, await handler(ex));
  const id = (ex: Exchange) => ex.params.id ?? '';
  const armed = (pushed: { dropped?: number } = {}) => ({ ...faults.armed(), push: { ...pushFaultState(ctx), ...pushed } });
  return [
    { method: 'GET', pattern: '/__sandbox/storage', handle: json(() => ctx.storage.current()) },
    {
      method: 'POST',
      pattern: '/__sandbox/storage',
      handle: json(async (ex) => {
        ctx.storage.set(await readJson(ex, StorageSettingsSchema));
        return ctx.storage.current();
      }),
    },
    { method: 'GET', pattern: '/__sandbox/faults', handle: json(() => armed()) },
    {
      method: 'POST',
      pattern: '/__sandbox/faults',
      handle: json(async (ex) => {
        const { expireTokensNow, expireAssignment, revokeAssignment, push: pushFaults, ...settings } = await readJson(ex, FaultsBody);
        faults.set(settings);
        if (expireTokensNow) faults.expireTokensNow();
        if (expireAssignment) faults.expireAssignment(expireAssignment);
        if (revokeAssignment) faults.revokeAssignment(revokeAssignment);
        return armed(pushFaults ? applyPushFaults(push, pushFaults) : {});
      }),
    },
    {
      method: 'DELETE',
      pattern: '/__sandbox/faults',
      handle: json(() => {
        faults.reset();
        push.faults.stall(false);
        push.faults.dropRandomly(null);
        return armed();
      }),
    },
    {
      method: 'POST',
      pattern: '/__sandbox/clock',
      handle: json(async (ex) => {
        const body = await readJson(ex, ClockBody);
        if (body.set) ctx.clock.set(body.set);
        if (body.advanceMs) ctx.clock.advance(body.advanceMs);
        return { now: ctx.clock.now().toISOString() };
      }),
    },
    { method: 'GET', pattern: '/__sandbox/stats', handle: json(() => ctx.stats.snapshot()) },
    {
      method: 'DELETE',
      pattern: '/__sandbox/stats',
      handle: json(() => {
        admin.resetStats();
        return ctx.stats.snapshot();
      }),
    },
    {
      method: 'GET',
      pattern: '/__sandbox/state',
      handle: json(() => ({ now: ctx.clock.now().toISOString(), assignments: admin.assignments(), uploads: admin.uploads(), escalations: admin.escalations() })),
    },
    { method: 'POST', pattern: '/__sandbox/assignments', handle: json(async (ex) => admin.addAssignment(await readJson(ex, FixtureAssignmentSchema)), 201) },
    {
      method: 'PATCH',
      pattern: '/__sandbox/assignments/:id',
      handle: json(async (ex) => {
        const patch = await readJson(ex, AssignmentPatch);
        if (patch.expiration !== undefined) admin.setExpiration(id(ex), patch.expiration);
        if (patch.revoked !== undefined) admin.setRevoked(id(ex), patch.revoked);
        return admin.assignments().find((assignment) => assignment.id === id(ex));
      }),
    },
    { method: 'GET', pattern: '/__sandbox/assignments/:id/files', handle: json((ex) => admin.files(id(ex))) },
    { method: 'POST', pattern: '/__sandbox/assignments/:id/files', handle: json(async (ex) => admin.addFile(id(ex), await readJson(ex, FixtureFileSchema)), 201) },
    { method: 'PATCH', pattern: '/__sandbox/files/:id', handle: json(async (ex) => admin.updateFile(id(ex), await readJson(ex, FilePatch))) },
    {
      method: 'DELETE',
      pattern: '/__sandbox/files/:id',
      handle: async (ex) => {
        admin.removeFile(id(ex));
        return ex.send(204, {});
      },
    },
  ];
}

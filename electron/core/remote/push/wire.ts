/**
 * Push's answers as this app relies on them (CONTRACTS §B), checked before use.
 * Unknown fields are ignored so a newer server does not break an older app.
 */
import { z } from 'zod';
import { BoundedJson } from '../../kernel/platform/bounded-json';

export const DeviceCreated = z.object({ id: z.string().min(1).max(200) });

export const SeqBounds = z.object({
  current_min_seq: z.number().int().min(0),
  current_max_seq: z.number().int().min(0),
});
export type SeqBounds = z.infer<typeof SeqBounds>;

/** One notification, as the stream's `data:` and the catch-up collection carry it. */
export const WireNotification = z.object({
  seq: z.number().int().positive(),
  id: z.string().min(1),
  type: z.string().min(1).max(200),
  // A publish needs only one of title, summary or data.
  title: z.string().default(''),
  summary: z.string().default(''),
  topic: z.string().nullish(),
  collapse_key: z.string().nullish(),
  created: z.string().min(1).max(64),
  expires: z.string().max(64).nullish(),
  data: z.record(z.string(), BoundedJson).default({}),
});

export const PublishBody = z.object({
  users: z.array(z.string()).optional(),
  groups: z.array(z.string()).optional(),
  topic: z.string().optional(),
  broadcast: z.boolean().optional(),
  type: z.string().min(1),
  title: z.string().optional(),
  summary: z.string().optional(),
  data: z.record(z.string(), BoundedJson).optional(),
  collapse_key: z.string().optional(),
  ttl_seconds: z.number().int().positive().optional(),
});
export type PublishBody = z.infer<typeof PublishBody>;

export const PublishAccepted = z.object({
  job_id: z.string(),
  seq_assigned: z.object({ min: z.number().int(), max: z.number().int() }),
});
export type PublishAccepted = z.infer<typeof PublishAccepted>;

import { z } from 'zod';
import { prng } from './prng';

/**
 * Switches that make the sandbox misbehave the way real networks and servers
 * do. Every fault may be limited to paths under `pathPrefix` and to the next
 * `times` requests it actually hits; the `/__sandbox/` control endpoints are
 * never affected.
 */
const scope = { pathPrefix: z.string().startsWith('/').optional(), times: z.int().positive().optional() };
const share = z.number().min(0).max(1);
const byteCount = z.int().min(0);

/** A bare value is shorthand for the fault's main parameter with the default scope. */
function fault<Shape extends z.ZodRawShape>(shorthand: (value: unknown) => unknown, shape: Shape) {
  return z.preprocess((value) => (typeof value === 'object' ? value : shorthand(value)), z.strictObject({ ...shape, ...scope })).nullable().optional();
}

const bytesFault = fault((bytes) => ({ bytes }), { bytes: byteCount });

export const FaultSettingsSchema = z.strictObject({
  errorRate: fault((rate) => ({ rate }), { rate: share, status: z.union([z.literal(500), z.literal(503)]).optional(), body: z.enum(['json', 'html']).optional() }),
  rateLimitRate: fault((rate) => ({ rate }), { rate: share }),
  retryAfterSeconds: z.int().min(0).optional(),
  slowBodyBytesPerSecond: fault((bytesPerSecond) => ({ bytesPerSecond }), { bytesPerSecond: z.int().positive() }),
  stallAfterBytes: bytesFault,
  resetAfterBytes: bytesFault,
  truncateAfterBytes: bytesFault,
  wrongBytes: fault((enabled) => (enabled === true ? {} : enabled), { every: z.int().positive().optional() }),
  seed: z.int().optional(),
  pathPrefix: z.string().startsWith('/').optional(),
});

interface Scope {
  /** Only requests whose path starts with this (default: the call's top-level `pathPrefix`, else every path). */
  pathPrefix?: string;
  /** Disarms after hitting this many requests. */
  times?: number;
}

/** What `faults.set()` and `POST /__sandbox/faults` take. `null` disarms a fault. */
export interface FaultSettings {
  /** Share of requests answered with a service error: 500 or 503 (picked by the seeded PRNG unless `status` is given); `body: 'html'` sends a proxy-style page instead of JSON. */
  errorRate?: number | ({ rate: number; status?: 500 | 503; body?: 'json' | 'html' } & Scope) | null;
  /** Share of requests answered 429 with the gateway body. */
  rateLimitRate?: number | ({ rate: number } & Scope) | null;
  /** Retry-After (seconds) on those 429s and 503s; default 1. */
  retryAfterSeconds?: number;
  slowBodyBytesPerSecond?: number | ({ bytesPerSecond: number } & Scope) | null;
  /** Send this many body bytes, then nothing more, keeping the socket open. */
  stallAfterBytes?: number | ({ bytes: number } & Scope) | null;
  /** Send this many body bytes, then reset the connection (TCP RST). */
  resetAfterBytes?: number | ({ bytes: number } & Scope) | null;
  /** Send this many body bytes, end the response as if complete (short of Content-Length) and close the socket. */
  truncateAfterBytes?: number | ({ bytes: number } & Scope) | null;
  /** Invert the body byte at offset 0 and every `every` bytes after it (default 65536); headers unchanged. */
  wrongBytes?: true | ({ every?: number } & Scope) | null;
  /** Seed of the PRNG behind the rates; setting it restarts the sequence. Default 1. */
  seed?: number;
  /** Default scope for the faults in this call that name none. */
  pathPrefix?: string;
}

type Parsed = z.output<typeof FaultSettingsSchema>;
type FaultName = Exclude<keyof Parsed, 'retryAfterSeconds' | 'seed' | 'pathPrefix'>;
type Params<Name extends FaultName> = Omit<Exclude<Parsed[Name], null | undefined>, 'pathPrefix' | 'times'>;

/** An armed fault; `remaining` counts down when `times` was given. */
export interface Armed<Name extends FaultName = FaultName> {
  name: Name;
  params: Params<Name>;
  pathPrefix: string;
  remaining: number | null;
}

const FAULT_NAMES: FaultName[] = ['errorRate', 'rateLimitRate', 'slowBodyBytesPerSecond', 'stallAfterBytes', 'resetAfterBytes', 'truncateAfterBytes', 'wrongBytes'];

/** What a request in scope should suffer before any handler runs. */
export type RequestFault =
  | { kind: 'error'; status: 500 | 503; body: 'json' | 'html'; retryAfterSeconds: number }
  | { kind: 'rate-limit'; retryAfterSeconds: number };

/** The body faults in scope for one response; each is checked again (and counted) when it fires. */
export interface BodyFaults {
  slow?: Armed<'slowBodyBytesPerSecond'>;
  stall?: Armed<'stallAfterBytes'>;
  reset?: Armed<'resetAfterBytes'>;
  truncate?: Armed<'truncateAfterBytes'>;
  wrong?: Armed<'wrongBytes'>;
}

export class FaultState {
  private armed = new Map<FaultName, Armed>();
  private retryAfterSeconds = 1;
  private random = prng(1);

  /** Merges settings into the current ones; `null` for a fault disarms it. */
  set(input: FaultSettings): void {
    const settings: Parsed = FaultSettingsSchema.parse(input);
    if (settings.seed !== undefined) this.random = prng(settings.seed);
    if (settings.retryAfterSeconds !== undefined) this.retryAfterSeconds = settings.retryAfterSeconds;
    for (const name of FAULT_NAMES) {
      const value = settings[name];
      if (value === undefined) continue;
      if (value === null) {
        this.armed.delete(name);
        continue;
      }
      const { pathPrefix, times, ...params } = value as { pathPrefix?: string; times?: number };
      this.armed.set(name, { name, params: params as never, pathPrefix: pathPrefix ?? settings.pathPrefix ?? '/', remaining: times ?? null });
    }
  }

  reset(): void {
    this.armed.clear();
    this.retryAfterSeconds = 1;
    this.random = prng(1);
  }

  /** The armed faults with what is left of their `times`. */
  snapshot(): { retryAfterSeconds: number; faults: Armed[] } {
    return { retryAfterSeconds: this.retryAfterSeconds, faults: [...this.armed.values()].map((armed) => ({ ...armed })) };
  }

  isArmed(armed: Armed): boolean {
    return this.armed.get(armed.name) === armed;
  }

  /** Consumes one use of a fault; false when it ran out (perhaps on a concurrent request). */
  fire(armed: Armed): boolean {
    if (!this.isArmed(armed)) return false;
    if (armed.remaining !== null) {
      armed.remaining -= 1;
      if (armed.remaining <= 0) this.armed.delete(armed.name);
    }
    return true;
  }

  private inScope<Name extends FaultName>(name: Name, path: string): Armed<Name> | undefined {
    const armed = this.armed.get(name) as Armed<Name> | undefined;
    return armed && path.startsWith(armed.pathPrefix) ? armed : undefined;
  }

  requestFault(path: string): RequestFault | null {
    const limit = this.inScope('rateLimitRate', path);
    if (limit && this.random() < limit.params.rate && this.fire(limit)) {
      return { kind: 'rate-limit', retryAfterSeconds: this.retryAfterSeconds };
    }
    const error = this.inScope('errorRate', path);
    if (error && this.random() < error.params.rate && this.fire(error)) {
      const status = error.params.status ?? (this.random() < 0.5 ? 500 : 503);
      return { kind: 'error', status, body: error.params.body ?? 'json', retryAfterSeconds: this.retryAfterSeconds };
    }
    return null;
  }

  bodyFaults(path: string): BodyFaults {
    return {
      slow: this.inScope('slowBodyBytesPerSecond', path),
      stall: this.inScope('stallAfterBytes', path),
      reset: this.inScope('resetAfterBytes', path),
      truncate: this.inScope('truncateAfterBytes', path),
      wrong: this.inScope('wrongBytes', path),
    };
  }
}

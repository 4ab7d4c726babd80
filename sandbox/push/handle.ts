import type { Tokens } from '../file360/state/tokens';
import type { Users } from '../file360/state/users';
import { SANDBOX_PUBLISHER, type Accepted, type PushService } from './service';
import type { Bounds } from './state/events';
import type { DeviceView } from './state/devices';

/** The body of `POST /push/v1/notifications`, as tests write it. */
export interface PublishInput {
  users?: string[];
  groups?: string[];
  topic?: string;
  broadcast?: boolean;
  type: string;
  title: string;
  summary: string;
  data?: Record<string, unknown>;
  collapse_key?: string;
  ttl_seconds?: number;
}

/** Push faults: each acts on the open streams at once. */
export interface PushFaults {
  /** Destroys every open stream now, mid-stream, with nothing more sent; returns how many. */
  dropConnections(): number;
  /** After each event written to a stream, destroys that stream with this probability (seeded PRNG, default seed 1); `null` turns it off. */
  dropRandomly(probability: number | null, seed?: number): void;
  /** Streams stay open but send nothing (no events, no keepalives) until turned off, then send what they missed. */
  stall(on: boolean): void;
  /** Open streams (only the user's, given one) get `auth_expired` and end; those access tokens answer 401 expired from now on. */
  expireTokens(userId?: string): void;
  /** Forgets events with seq <= throughSeq (default: all so far), so an older Last-Event-ID gets `reset`. */
  clearHistory(throughSeq?: number): void;
}

/** `sb.push`: publish as the server would, look at what Push holds, and break it on purpose. */
export interface PushHandle {
  /** As `POST /push/v1/notifications`, published by the sandbox itself; `users` may name usernames as well as ids. Throws the same 400s. */
  publish(input: PublishInput, idempotencyKey?: string): Accepted;
  bounds(): Bounds;
  devices(userId?: string): DeviceView[];
  openStreams(): number;
  faults: PushFaults;
}

export function createPushHandle(push: PushService, users: Users, tokens: Tokens): PushHandle {
  return {
    publish(input, idempotencyKey) {
      const byUsername = new Map(users.all().map((user) => [user.username, user.id]));
      const named = input.users?.map((name) => byUsername.get(name) ?? name);
      const { replayed: _replayed, ...accepted } = push.publish(named ? { ...input, users: named } : input, SANDBOX_PUBLISHER, idempotencyKey);
      return accepted;
    },
    bounds: () => push.events.bounds(),
    devices: (userId) => push.devices.list(userId),
    openStreams: () => push.hub.count(),
    faults: {
      dropConnections: () => push.hub.dropAll(),
      dropRandomly: (probability, seed) => push.hub.dropRandomly(probability, seed),
      stall: (on) => push.hub.stall(on),
      expireTokens(userId) {
        tokens.expireAllAccess(userId);
        push.hub.checkTokens();
      },
      clearHistory: (throughSeq) => push.events.forget(throughSeq ?? push.events.bounds().current_max_seq),
    },
  };
}

/**
 * What the core needs from the outside world, as small interfaces. Each shell
 * passes real implementations; tests pass controllable ones. Nothing here may
 * import `electron`.
 */
import type { KeychainStatus, NotificationPayload } from '../../shared/api/schemas/app';
import type { EventHub } from './api/event-hub';

export interface Clock {
  now(): Date;
  setTimeout(callback: () => void, ms: number): () => void;
}

export interface Notifier {
  show(notification: NotificationPayload): void;
}

export interface Opener {
  /** Open an http(s) URL in the user's browser. */
  openExternal(url: string): Promise<void>;
}

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface SecretStore {
  readonly status: KeychainStatus;
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** Resolves true when something was deleted. */
  delete(account: string): Promise<boolean>;
  /** Account names only; secrets never leave `get`. */
  list(): Promise<string[]>;
}

/** Shows a running Prodigy session: a window of its own (returns null), or an address for a browser tab. */
export interface SessionViewer {
  open(target: { assignmentId: string; title: string; url: string; user: string; pass: string }): Promise<string | null>;
  close(assignmentId: string): void;
}

export interface Ports {
  clock: Clock;
  notifier: Notifier;
  opener: Opener;
  logger: Logger;
  secrets: SecretStore;
  viewer: SessionViewer;
  /**
   * The hub the shell relays to its pages, when the shell's notifier needs it
   * (the browser shell's pages show notifications themselves): made before the
   * core, so the notifier works from the core's first moment (a wipe at start).
   * The core makes its own when absent.
   */
  events?: EventHub;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};

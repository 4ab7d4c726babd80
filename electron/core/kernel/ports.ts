/**
 * What the core needs from the outside world, as small interfaces. Each shell
 * passes real implementations; tests pass controllable ones. Nothing here may
 * import `electron`.
 */
import type { KeychainStatus, NotificationPayload } from '../../../shared/api/schemas/app';
import type { UpdateChannel } from '../../../shared/api/schemas/updates';
import type { EventName, EventPayload } from '../../../shared/api/contract';

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
  /** `name`: the assignment's, as people know it. */
  open(target: { assignmentId: string; name: string; url: string; user: string; pass: string }): Promise<string | null>;
  /**
   * The session ended: `stopped` can be continued from the app; `removed`
   * cannot, since its assignment was wiped from this computer.
   */
  close(assignmentId: string, why?: ViewerClosed): void;
}

export type ViewerClosed = 'stopped' | 'removed';

/** A release the update feed offers this computer (a staged rollout that leaves it out offers nothing). */
export interface UpdateOffer {
  version: string;
  releaseDate: string | null;
  /** The sha512 (base64) the feed publishes for the file; the download must match it. */
  sha512: string;
  size: number | null;
  stagingPercentage: number | null;
}

export type UpdateDownload =
  | { ok: true }
  /** `checksum`: the file did not match the feed's sha512 and was thrown away; `failed`: anything else (network, disk). */
  | { ok: false; reason: 'checksum' | 'failed'; message: string };

/** What the updates service needs from electron-updater; the desktop shell provides it, the browser shell has none. */
export interface UpdaterPort {
  /** Why this build can never update itself (a development build without a feed, not an AppImage or package), or null. */
  readonly off: string | null;
  /** Asks the feed for the channel's newest release; null when there is nothing newer for this computer. Rejects when the feed cannot be read. */
  check(channel: UpdateChannel): Promise<UpdateOffer | null>;
  /** Downloads the offered release in the background and verifies it; never rejects. */
  download(progress: (transferred: number, total: number) => void): Promise<UpdateDownload>;
  /** Quits the app (through its normal quit, which stops Prodigy sessions) and installs the downloaded release. */
  install(): void;
}

/** Starting with the user's session: a login item (macOS, Windows) or an XDG autostart entry (Linux). */
export interface LoginItem {
  set(openAtLogin: boolean): Promise<void>;
}

export interface Ports {
  clock: Clock;
  notifier: Notifier;
  opener: Opener;
  logger: Logger;
  secrets: SecretStore;
  viewer: SessionViewer;
  /** Desktop shell only: the browser shell cannot replace itself, and says so. */
  updater?: UpdaterPort;
  /** Desktop shell only. */
  loginItem?: LoginItem;
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

export type EventListener = (event: EventName, payload: unknown) => void;

/** The typed events the core sends to whatever UI is listening (the contract's `events`). */
export interface EventHub {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Every event, for transports that forward them all. */
  subscribe(listener: EventListener): () => void;
}

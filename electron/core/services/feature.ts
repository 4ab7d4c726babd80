/**
 * What a feature is to the composition root: the API methods it answers, the
 * outbox kinds it sends, its part in a wipe, and its part in the app's life
 * (start and close). The root lists the features and registers these; a
 * feature's reactions to the others are subscriptions on the bus (`CoreEvents`).
 */
import type { SettingKey, Settings } from '../../../shared/api/schemas/settings';
import type { Handlers } from '../kernel/api/router';
import type { Bus } from '../kernel/bus';
import type { CompanionConfig } from '../kernel/config/config';
import type { AuditIntegrity } from '../kernel/db/integrity';
import type { LocalData } from '../kernel/db/local-data';
import type { Clock, EventHub, Logger, Notifier, Ports } from '../kernel/ports';
import type { Connection } from '../remote/file360/client';
import type { File360Service } from '../remote/file360/service';
import type { PushFollower } from '../remote/push/follower';
import type { SyncStore } from './assignments/store';
import type { WipeStep } from './assignments/wipe';
import type { OutboxKindHandler } from './outbox/kind';
import type { Outbox } from './outbox/outbox';
import type { OutboxKind, OutboxRow } from './outbox/store';

/** What happened, told by the part it happened in to whichever parts care. */
export interface CoreEvents {
  /** Who is signed in, or whether File 360 answers, changed. */
  'connection.changed': object;
  /** File 360 answers again after it did not (or for the first time since sign-in). */
  'connection.back': object;
  /** A sign-in completed, here or restored at start: the account's own catch-up is due. */
  'auth.signedIn': object;
  /** Signed out by the user. */
  'auth.signedOut': object;
  /**
   * Time to catch up with File 360 beyond the assignments (decisions, review items, the
   * audit trail): after sign-in, at start and every `syncIntervalMinutes`, never because of a Sync click.
   */
  'file360.due': { why: DueReason };
  /** Settings changed, by key. */
  'settings.changed': { keys: readonly SettingKey[] };
  /** Something shown in `app.status` moved. */
  'status.stale': object;
  /** Live Push notifications were stored (not a new device's history), by type. */
  'push.received': { types: ReadonlySet<string> };
  /** The outbox gained, sent, failed or dropped items. */
  'outbox.moved': object;
  /** What Push missed while it could not follow (its gap) changed. */
  'push.gapChanged': object;
  /** Another account is followed on Push (or none). */
  'account.changed': object;
  /** File 360 listed the assignments: due dates and shares may have moved. */
  'assignments.refreshed': object;
  /** An assignment's sync ended; its audit entries (downloads, removals) are written. */
  'assignment.synced': { assignmentId: string };
  /** A Prodigy session ended (stopped, quit or crashed); its answers are in its database. */
  'session.ended': { assignmentId: string };
  /** A session could not run: crashed, or its task files could not be read. */
  'session.failed': { assignmentId: string; reason: 'crashed' | 'invalid-source'; message: string };
  /** A package reached File 360. */
  'package.uploaded': { row: OutboxRow; remote: unknown };
  /** The review list was fetched from File 360. */
  'reviews.refreshed': object;
  /** The computer woke from sleep: timers may have slept through what was due. */
  'app.resumed': object;
}

/** What made File 360's catch-ups due: a sign-in here (a new device, perhaps), the app's start, or the schedule. */
export type DueReason = 'signed-in' | 'started' | 'scheduled';

export type CoreBus = Bus<CoreEvents>;

/** What every feature is built from: the kernel, the remote clients and the shared services. */
export interface Core {
  readonly config: CompanionConfig;
  readonly ports: Omit<Ports, 'notifier' | 'events'>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The user's notifier, guarded: a failing shell notifier is logged, never thrown. */
  readonly notifier: Notifier;
  /** To the UI. */
  readonly events: EventHub;
  /** Between features. */
  readonly bus: CoreBus;
  readonly data: LocalData;
  readonly integrity: AuditIntegrity;
  settings(): Settings;
  /** Which server and tenant this computer is set up for. */
  place(): { server: string; tenant: string } | null;
  readonly file360: File360Service;
  /** The signed-in File 360 connection, or null. */
  connection(): Connection | null;
  /** The connection, when the database is sound too: what work that asks File 360 and stores the answer needs. */
  usableConnection(): Connection | null;
  /** File 360 answered, or did not. */
  reachable(ok: boolean): void;
  readonly push: PushFollower;
  readonly outbox: Outbox;
  /** The assignments repository. */
  readonly store: SyncStore;
}

export interface Feature {
  readonly handlers?: Partial<Handlers>;
  readonly outboxKinds?: Partial<Record<OutboxKind, OutboxKindHandler>>;
  /** Its part in wiping an assignment; the engine orders the steps by their stage. */
  readonly wipeSteps?: readonly WipeStep[];
  /** Puts right what a crash left, before anything else uses the database (at start, or once a damaged one was replaced). */
  recover?(): void | Promise<void>;
  /** What this computer's clock alone decides, before any network. */
  offline?(): void | Promise<void>;
  /** Once sign-in is restored (or known to be missing). */
  start?(): void;
  /** At every launch, even with a damaged database (an update may be what fixes it). */
  launch?(): void;
  /** Features close in the reverse of their order in the list. */
  close?(): void | Promise<void>;
}

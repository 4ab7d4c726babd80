import type { EventPayload } from '../../../shared/api/contract';
import type { UpdateChannel, UpdateState, UpdateStatus } from '../../../shared/api/schemas/updates';
import type { AuditEvent } from '../kernel/audit/audit-log';
import { readAppState, writeAppState } from '../kernel/db/app-state';
import type { LocalData } from '../kernel/db/local-data';
import { AppError } from '../kernel/errors';
import type { Clock, Logger, Notifier, UpdateOffer, UpdaterPort } from '../kernel/ports';
import type { EventHub } from '../kernel/ports';

/** "Every few hours while online" (issue 15): often enough for a fix to arrive within a working day. */
export const CHECK_EVERY_MS = 4 * 60 * 60 * 1000;
const VERSION_KEY = 'app_version';
const BUSY_STATES = new Set(['starting', 'running', 'stopping']);

export interface UpdateServiceDeps {
  /** Null in the browser shell. */
  port: UpdaterPort | null;
  /** Why this app never updates itself whatever the port says (the sandbox workspace), or null. */
  off: string | null;
  version: string;
  data: LocalData;
  events: EventHub;
  clock: Clock;
  logger: Logger;
  notifier: Notifier;
  channel(): UpdateChannel;
  /** False while File 360 is known to be unreachable: the computer is probably offline, so the check waits. */
  online(): boolean;
  /** Uploads being sent right now; a restart would cut them off. */
  uploadsInFlight(): number;
  checkEveryMs?: number;
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/**
 * Finds, downloads and offers updates through the updater port; the port
 * (electron-updater in the desktop shell) fetches the feed and verifies the
 * sha512. Never restarts on its own: a downloaded update waits until no
 * Prodigy session runs and no upload is in flight, then it is offered.
 */
export class UpdateService {
  private state: UpdateState;
  private readonly offReason: string | null;
  private version: string | null = null;
  private progress: UpdateStatus['progress'] = null;
  private message: string | null = null;
  private lastCheckedAt: string | null = null;
  /** Sessions that a restart would stop, by assignment, with their names. */
  private readonly sessions = new Map<string, string>();
  private offered = false;
  /** The channel changed while the feed was being asked or a download ran: ask again once that is over. */
  private recheck = false;
  private missedWhileOffline = false;
  private cancelTimer: (() => void) | null = null;
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(private readonly deps: UpdateServiceDeps) {
    this.offReason =
      deps.off ??
      (deps.port ? deps.port.off : 'The browser shell runs from this folder and cannot replace itself: update it with git pull and npm install, or use the desktop app, which updates itself.');
    this.state = this.offReason ? 'off' : 'idle';
  }

  status(): UpdateStatus {
    const waitingFor = this.waitingFor();
    return {
      state: this.state,
      offReason: this.offReason,
      channel: this.deps.channel(),
      currentVersion: this.deps.version,
      version: this.version,
      progress: this.progress,
      waitingFor,
      canRestart: this.state === 'ready' && waitingFor.length === 0,
      lastCheckedAt: this.lastCheckedAt,
      message: this.message,
    };
  }

  /** At start, with the database open: records a version change (an update installed) and starts checking. */
  start(): void {
    this.recordVersion();
    if (this.state === 'off' || this.closed) return;
    this.unsubscribe = this.deps.events.subscribe((event, payload) => {
      if (event === 'sessions.changed') this.sessionChanged(payload as EventPayload<'sessions.changed'>);
      else if (event === 'outbox.changed') this.busyMayHaveChanged();
      else if (event === 'status.changed' && this.missedWhileOffline && this.deps.online()) this.checkInBackground();
    });
    this.checkInBackground();
  }

  private checkInBackground(): void {
    this.check().catch((error: unknown) => this.deps.logger.error('update check failed unexpectedly', { error }));
  }

  /** Asks the feed now (also the periodic and the at-start check). Resolves once the feed answered; a download goes on in the background. */
  async check(): Promise<UpdateStatus> {
    if (this.state === 'off' || this.closed) return this.status();
    if (this.state === 'checking' || this.state === 'downloading' || this.state === 'ready') return this.status();
    const port = this.deps.port as UpdaterPort;
    this.schedule();
    if (!this.deps.online()) {
      this.missedWhileOffline = true;
      return this.status();
    }
    this.missedWhileOffline = false;
    const channel = this.deps.channel();
    this.set('checking', { message: null });
    let offer: UpdateOffer | null;
    try {
      offer = await port.check(channel);
    } catch (error) {
      if (this.closed) return this.status();
      const reason = error instanceof Error ? error.message : String(error);
      this.lastCheckedAt = this.deps.clock.now().toISOString();
      this.audit({ type: 'update.checked', details: { channel, current: this.deps.version, offered: null, error: reason.slice(0, 500) } });
      this.set('failed', { message: `The update server could not be asked (${reason.split('\n')[0]?.slice(0, 200)}). The app tries again in a few hours.` });
      this.afterWork();
      return this.status();
    }
    if (this.closed) return this.status();
    this.lastCheckedAt = this.deps.clock.now().toISOString();
    this.audit({
      type: 'update.checked',
      details: { channel, current: this.deps.version, offered: offer?.version ?? null, ...(offer?.stagingPercentage != null ? { stagingPercentage: offer.stagingPercentage } : {}) },
    });
    if (!offer) {
      this.set('idle', { message: null });
      this.afterWork();
      return this.status();
    }
    void this.download(port, offer)
      .catch((error: unknown) => this.deps.logger.error('update download failed unexpectedly', { error }))
      .finally(() => this.afterWork());
    return this.status();
  }

  /** The user asked to restart into the downloaded update. */
  restart(): UpdateStatus {
    if (this.state !== 'ready' || !this.version) throw new AppError('UPDATE_NOT_READY', this.offReason ?? 'No update has been downloaded yet.');
    const waiting = this.waitingFor();
    if (waiting.length > 0) {
      throw new AppError('UPDATE_WAITING', `Version ${this.version} waits for ${waiting.join(' and ')} to finish, so nothing is cut off.`);
    }
    this.audit({ type: 'update.install_requested', details: { from: this.deps.version, to: this.version } });
    (this.deps.port as UpdaterPort).install();
    return this.status();
  }

  /** The channel setting changed: that channel is asked now, and what it offers replaces a download from the other one. */
  channelChanged(): void {
    if (this.state === 'off') return;
    if (this.state === 'checking' || this.state === 'downloading') {
      this.recheck = true;
      return;
    }
    if (this.state === 'ready') {
      this.version = null;
      this.offered = false;
      this.state = 'idle';
    }
    this.checkInBackground();
  }

  private afterWork(): void {
    if (!this.recheck || this.closed) return;
    this.recheck = false;
    this.channelChanged();
  }

  close(): void {
    this.closed = true;
    this.cancelTimer?.();
    this.unsubscribe?.();
  }

  private async download(port: UpdaterPort, offer: UpdateOffer): Promise<void> {
    this.version = offer.version;
    this.progress = { transferred: 0, total: offer.size ?? 0, percent: 0 };
    this.set('downloading', { message: null });
    const result = await port.download((transferred, total) => {
      const percent = total > 0 ? Math.min(100, Math.floor((transferred / total) * 100)) : 0;
      const changed = percent !== this.progress?.percent;
      this.progress = { transferred, total, percent };
      // One event per whole percent: enough for a progress bar, not a flood over IPC.
      if (changed) this.emit();
    });
    this.progress = null;
    if (this.closed) return;
    if (result.ok) {
      this.audit({ type: 'update.downloaded', details: { version: offer.version, sha512: offer.sha512, size: offer.size } });
      this.set('ready', { message: null });
      this.offerIfFree();
      return;
    }
    const failed = this.version;
    this.version = null;
    if (result.reason === 'checksum') {
      this.audit({ type: 'update.refused', details: { version: offer.version, expectedSha512: offer.sha512, reason: result.message.slice(0, 500) } });
      this.set('failed', {
        message: `Version ${failed} was downloaded but did not match the checksum (sha512) the update server published, so it was thrown away and not installed. The app tries again at the next check.`,
      });
    } else {
      this.audit({ type: 'update.download_failed', details: { version: offer.version, reason: result.message.slice(0, 500) } });
      this.set('failed', { message: `Version ${failed} could not be downloaded (${result.message.split('\n')[0]?.slice(0, 200)}). The app tries again at the next check.` });
    }
  }

  private waitingFor(): string[] {
    const waiting = [...this.sessions.values()].map((name) => `the Prodigy session for “${name}”`);
    const uploads = this.deps.data.problem() ? 0 : this.deps.uploadsInFlight();
    if (uploads > 0) waiting.push(plural(uploads, 'upload', 'uploads'));
    return waiting;
  }

  private sessionChanged(view: EventPayload<'sessions.changed'>): void {
    if (BUSY_STATES.has(view.state)) this.sessions.set(view.assignmentId, view.assignmentName);
    else this.sessions.delete(view.assignmentId);
    this.busyMayHaveChanged();
  }

  private busyMayHaveChanged(): void {
    if (this.state !== 'ready') return;
    this.emit();
    this.offerIfFree();
  }

  /** Offered once, when nothing would be interrupted: before that the status area says what it waits for. */
  private offerIfFree(): void {
    if (this.offered || this.state !== 'ready' || this.waitingFor().length > 0) return;
    this.offered = true;
    this.deps.notifier.show({
      title: `Annotator Companion ${this.version} is ready to install`,
      body: 'Restart to update from the status area or the tray menu. Nothing you are working on is cut off.',
      route: { section: 'settings' },
    });
  }

  private schedule(): void {
    this.cancelTimer?.();
    this.cancelTimer = this.deps.clock.setTimeout(() => this.checkInBackground(), this.deps.checkEveryMs ?? CHECK_EVERY_MS);
  }

  private set(state: UpdateState, change: { message: string | null }): void {
    this.state = state;
    this.message = change.message;
    this.emit();
  }

  private emit(): void {
    this.deps.events.emit('updates.changed', this.status());
  }

  /** "Every step audited": written on its own, since no other change goes with it. */
  private audit(event: AuditEvent): void {
    if (this.deps.data.problem()) {
      this.deps.logger.info('update step not audited: the database is unavailable', { type: event.type });
      return;
    }
    this.deps.data.transaction(({ audit }) => audit.append(event));
  }

  /** The version differs from the last run's: an update (or a manual install) happened in between. */
  private recordVersion(): void {
    if (this.deps.data.problem()) return;
    this.deps.data.transaction(({ db, audit }) => {
      const last = readAppState(db, VERSION_KEY);
      if (last === this.deps.version) return;
      if (last !== null) audit.append({ type: 'update.installed', details: { from: last, to: this.deps.version } });
      writeAppState(db, VERSION_KEY, this.deps.version);
    });
  }
}

import type { PushState as ShownPushState } from '../../../../shared/api/schemas/app';
import { AppError } from '../../kernel/errors';
import type { Logger } from '../../kernel/ports';
import { PushClient, type PushClientDeps } from './client';
import type { PushSession } from './api';
import type { TopicAssignment } from './topics';
import type { PublishAccepted, PublishBody } from './wire';
import type { Owner } from '../../kernel/identity';

export interface SignedIn {
  session: PushSession;
  owner: Owner;
}

export interface PushFollowerDeps {
  /** The File 360 session and account Push should follow now; null when signed out or the database is unusable. */
  signedIn(): SignedIn | null;
  /** Everything a client needs besides its session and account. */
  client: Omit<PushClientDeps, 'session' | 'owner' | 'onGap'>;
  logger: Logger;
  /** The gap's words changed (the notification center shows them). */
  gapChanged(): void;
}

const keyOf = (owner: Owner) => `${owner.server}\n${owner.tenant}\n${owner.userId}`;

/**
 * Push follows the signed-in account: one client per File 360 session,
 * sharing its tokens. A new account (or none) stops the old client first;
 * nothing starts once the app is closing.
 */
export class PushFollower {
  private current: { key: string; owner: Owner; client: PushClient } | null = null;
  private gapWords: string | null = null;
  private closed = false;

  constructor(private readonly deps: PushFollowerDeps) {}

  /** Brings the client in line with the signed-in account; true when that changed anything. */
  follow(): boolean {
    if (this.closed) return false;
    const signedIn = this.deps.signedIn();
    const key = signedIn ? keyOf(signedIn.owner) : '';
    if ((this.current?.key ?? '') === key) return false;
    void this.current?.client.stop();
    this.current = null;
    this.gapWords = null;
    if (signedIn) {
      const client = new PushClient({
        ...this.deps.client,
        session: signedIn.session,
        owner: () => this.deps.signedIn()?.owner ?? null,
        onGap: ({ afterSeq, firstRetainedSeq }) => {
          this.gapWords = `${(firstRetainedSeq - afterSeq - 1).toLocaleString('en')} notification(s) expired on the server before this computer could fetch them; File 360 still has what they were about.`;
          this.deps.gapChanged();
        },
      });
      this.current = { key, owner: signedIn.owner, client };
      client.start().catch((error: unknown) => this.deps.logger.warn('the Push stream did not start', { error }));
    }
    return true;
  }

  state(): ShownPushState {
    return this.current?.client.state() ?? 'off';
  }

  gap(): string | null {
    return this.gapWords;
  }

  /** For the outbox's push sender; signed out, there is nobody to publish as. */
  publish(key: string, body: PublishBody): Promise<PublishAccepted> {
    if (!this.current) return Promise.reject(new AppError('NOT_SIGNED_IN', 'Sign in to File 360 first.'));
    return this.current.client.publish(key, body);
  }

  async syncTopics(assignments: readonly TopicAssignment[], reviewerGroups: readonly string[]): Promise<void> {
    const current = this.current;
    if (!current) return;
    await current.client
      .syncTopics(assignments, reviewerGroups, current.owner.userId)
      .catch((error: unknown) => this.deps.logger.info('push topics were not brought up to date', { error }));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.current?.client.stop();
    this.current = null;
  }
}

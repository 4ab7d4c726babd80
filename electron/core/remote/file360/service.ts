import type { SignInState } from '../../../../shared/api/schemas/assignments';
import type { Status } from '../../../../shared/api/schemas/app';
import type { LocalData } from '../../kernel/db/local-data';
import { AppError } from '../../kernel/errors';
import type { Clock, Logger, Opener, SecretStore } from '../../kernel/ports';
import { createAccountStore, rolesOf } from './accounts';
import { createFile360Client, type File360Client } from './client';
import { createHttp, type Http, type HttpOptions } from '../../kernel/http/http';
import type { AuthServers } from './oauth';
import { createAuthSupport, type Revocations } from './revocations';
import { File360Session, type SignIn } from './session';
import type { Connection } from './client';
import type { EventHub } from '../../kernel/ports';

export interface File360ServiceDeps {
  place(): { server: string; tenant: string } | null;
  data: LocalData;
  secrets: SecretStore;
  clock: Clock;
  logger: Logger;
  opener: Opener;
  events: EventHub;
  http: HttpOptions;
  /** After a sign-in completes (the companion starts a sync). */
  signedIn(): void;
  /** Whenever who is signed in, or whether File 360 answers, changes. */
  changed(): void;
  /** File 360 answers again after it did not, or for the first time since sign-in: what waited for the network goes now. */
  back(): void;
}

const IDLE: SignInState = { state: 'idle', authorizeUrl: null, message: null };

/** The File 360 side of the app for the server and tenant in the settings. */
export class File360Service {
  readonly http: Http;
  private readonly servers: AuthServers;
  private readonly revocations: Revocations;
  private current: { key: string; session: File360Session; client: File360Client } | null = null;
  private signIn: SignInState = IDLE;
  private reachableNow: boolean | null = null;

  constructor(private readonly deps: File360ServiceDeps) {
    this.http = createHttp(deps.http);
    ({ servers: this.servers, revocations: this.revocations } = createAuthSupport(this.http, { secrets: deps.secrets, clock: deps.clock, logger: deps.logger }));
  }

  /** Follows the settings: a new server or tenant means a new (signed-out until restored) session. */
  async follow(): Promise<void> {
    const place = this.deps.place();
    const key = place ? `${place.server}\n${place.tenant}` : '';
    if (this.current?.key === key) return;
    this.current?.session.cancelSignIn();
    this.current = null;
    this.reachableNow = null;
    this.setSignIn(IDLE);
    // Tokens let go of while offline, in an earlier run too, end at their servers as soon as they answer.
    void this.revocations.drain();
    if (!place || this.deps.data.problem()) return;
    const session = new File360Session(
      {
        http: this.http,
        secrets: this.deps.secrets,
        revocations: this.revocations,
        servers: this.servers,
        accounts: createAccountStore(() => this.deps.data.require().db),
        record: (fn) => this.deps.data.transaction(({ audit }) => fn(audit)),
        clock: this.deps.clock,
        logger: this.deps.logger,
        opener: this.deps.opener,
        changed: () => this.deps.changed(),
      },
      place.server.replace(/\/+$/, ''),
      place.tenant,
    );
    this.current = { key, session, client: createFile360Client(session, this.http) };
    await session.restore();
    this.deps.changed();
  }

  /** The signed-in session, for clients of other File 360 services (Push) that share its tokens. */
  session(): File360Session | null {
    return this.current?.session.account() ? this.current.session : null;
  }

  connection(): Connection | null {
    const account = this.current?.session.account();
    if (!this.current || !account) return null;
    return { client: this.current.client, owner: { server: account.server, tenant: account.tenant, userId: account.userId } };
  }

  user(): Status['user'] {
    const account = this.current?.session.account();
    return account ? { id: account.userId, displayName: account.displayName, ...rolesOf(account) } : null;
  }

  connectionState(): Status['connection'] {
    if (!this.deps.place()) return 'not-configured';
    if (!this.user()) return 'signed-out';
    return this.reachableNow ? 'online' : 'offline';
  }

  reachable(ok: boolean): void {
    if (this.reachableNow === ok) return;
    const wasOffline = this.connectionState() === 'offline';
    this.reachableNow = ok;
    if (ok) void this.revocations.drain();
    this.deps.changed();
    if (ok && wasOffline) this.deps.back();
  }

  private setSignIn(state: SignInState): void {
    this.signIn = state;
    this.deps.events.emit('auth.changed', state);
  }

  /** Opens the browser at File 360's sign-in page and returns at once; `auth.changed` reports the outcome. */
  async startSignIn(): Promise<SignInState> {
    await this.follow();
    const session = this.current?.session;
    if (!session) throw new AppError('NO_SERVER', 'Set the File 360 server address and tenant in Settings first.');
    let attempt: SignIn;
    try {
      attempt = await session.beginSignIn({
        hint: (message) => {
          if (this.current?.session === session && this.signIn.authorizeUrl === authorizeUrl) this.setSignIn({ ...this.signIn, message });
        },
      });
    } catch (error) {
      // Nothing was opened: the address or tenant is wrong, or File 360 cannot sign anyone in; the words say which.
      if (!(error instanceof AppError)) throw error;
      this.setSignIn({ state: 'failed', authorizeUrl: null, message: error.message });
      return this.signIn;
    }
    const { authorizeUrl, done } = attempt;
    this.setSignIn({ state: 'waiting', authorizeUrl, message: null });
    done.then(
      (account) => {
        this.reachable(true);
        this.setSignIn({ state: 'signed-in', authorizeUrl: null, message: `Signed in as ${account.displayName}.` });
        this.deps.signedIn();
      },
      (error: unknown) => {
        // A newer attempt replaced this one; it reports for itself.
        if (this.current?.session !== session || this.signIn.authorizeUrl !== authorizeUrl) return;
        this.setSignIn({ state: 'failed', authorizeUrl: null, message: error instanceof Error ? error.message : String(error) });
      },
    );
    return this.signIn;
  }

  cancelSignIn(): SignInState {
    this.current?.session.cancelSignIn();
    this.setSignIn(IDLE);
    return this.signIn;
  }

  async signOut(): Promise<void> {
    const ended = await this.current?.session.signOut();
    this.setSignIn(ended?.endSessionUrl ? { ...IDLE, endSessionUrl: ended.endSessionUrl } : IDLE);
  }

  async close(): Promise<void> {
    this.current?.session.cancelSignIn();
    this.revocations.close();
    await this.http.close();
  }
}

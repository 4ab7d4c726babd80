import { CONNECTION_WORDS } from '../../../shared/words';
import { errorMessage } from '../client';
import { plural } from '../format';
import { useApp, useClient } from '../store';


/** Always-visible answers to "am I connected, who am I, is my work out?" */
export function StatusArea() {
  const client = useClient();
  const status = useApp((state) => state.status);
  const navigate = useApp((state) => state.navigate);
  const toast = useApp((state) => state.toast);
  const signOut = () =>
    client.call('auth.signOut').then(
      (next) => {
        useApp.setState({ status: next });
        toast('info', 'Signed out. Files of assignments that are still shared stay on this computer.');
      },
      (e: unknown) => toast('error', errorMessage(e)),
    );
  if (!status) return <div className="status-area" aria-busy="true" />;
  return (
    <section className="status-area" aria-label="Status" aria-live="polite">
      <div className="status-line">
        <span className={`dot dot-${status.connection}`} aria-hidden="true" />
        <span data-testid="status-connection">{CONNECTION_WORDS[status.connection]}</span>
      </div>
      {status.user && (
        <div className="status-user" data-testid="status-user">
          <span className="status-name" title={status.user.displayName}>
            Signed in as {status.user.displayName}
          </span>
          <button type="button" className="link-button sign-out" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      )}
      <button type="button" className="link-button status-line muted" data-testid="status-outbox" onClick={() => navigate({ section: 'outbox' })}>
        <span>
          {status.queued > 0
            ? `${status.failed > 0 ? status.queued.toLocaleString() : plural(status.queued, 'item')} waiting to upload`
            : status.failed === 0
              ? 'Nothing waiting to upload'
              : null}
          {status.queued > 0 && status.failed > 0 && ' · '}
          {status.failed > 0 && <strong className="warn-text">{status.queued > 0 ? `${status.failed.toLocaleString()} failed` : `${plural(status.failed, 'item')} failed to upload`}</strong>}
        </span>
      </button>
      {status.keychain.kind === 'memory' && (
        <button
          type="button"
          className="status-warning"
          onClick={() => navigate({ section: 'settings' })}
          title={status.keychain.detail}
        >
          No keychain: sign-in lasts this run only
        </button>
      )}
    </section>
  );
}

import { useState } from 'react';
import type { Status } from '../../../shared/api/schemas/app';
import { reachability } from '../../../shared/words';
import { errorMessage } from '../client';
import { plural } from '../format';
import { useApp, useClient } from '../store';
import { CREDENTIALS_ROUTE } from '../views/SettingsView';
import { ConfirmDialog } from './ConfirmDialog';


/** An update on its way or ready: "Restart to update" once nothing would be cut off, else what it waits for. */
function UpdateLine() {
  const client = useClient();
  const updates = useApp((state) => state.updates);
  const navigate = useApp((state) => state.navigate);
  const toast = useApp((state) => state.toast);
  if (!updates) return null;
  if (updates.state === 'downloading' && updates.progress) {
    return (
      <div className="status-line muted" data-testid="status-update">
        <span>
          Downloading update {updates.version} · {updates.progress.percent} %
        </span>
      </div>
    );
  }
  if (updates.state === 'failed' && updates.version === null && updates.message?.includes('checksum')) {
    return (
      <button type="button" className="status-warning" data-testid="status-update" title={updates.message} onClick={() => navigate({ section: 'settings' })}>
        An update was refused: it did not match its checksum
      </button>
    );
  }
  if (updates.state !== 'ready') return null;
  if (!updates.canRestart) {
    return (
      <div className="status-line muted" data-testid="status-update" title={updates.message ?? undefined}>
        <span>
          Update {updates.version} is ready; it waits for {updates.waitingFor.join(' and ')}
        </span>
      </div>
    );
  }
  const restart = () => client.call('updates.restart').then((next) => useApp.setState({ updates: next }), (e: unknown) => toast('error', errorMessage(e)));
  return (
    <button type="button" className="button primary small status-update" data-testid="status-update" onClick={() => void restart()}>
      Restart to update to {updates.version}
    </button>
  );
}

/** What signing out keeps and stops, with what waits in the Outbox, before it happens. */
function ConfirmSignOut({ status, busy, onCancel, onConfirm }: { status: Status; busy: boolean; onCancel(): void; onConfirm(): void }) {
  const name = status.user?.displayName ?? 'the same account';
  return (
    <ConfirmDialog id="sign-out" title="Sign out of File 360?" keepLabel="Stay signed in" confirmLabel="Sign out" busyLabel="Signing out…" busy={busy} onCancel={onCancel} onConfirm={onConfirm}>
      <p>
        Your synced files, your answers and your notifications stay on this computer. Until you sign in again, nothing syncs and no new notifications
        arrive; assignments that expire are still removed on time.
      </p>
      <p data-testid="sign-out-outbox">
        {status.queued > 0
          ? `${plural(status.queued, 'item')} waiting in the Outbox ${status.queued === 1 ? 'stays' : 'stay'} there and ${status.queued === 1 ? 'is' : 'are'} sent when you sign in again as ${name}.`
          : 'Nothing is waiting in the Outbox.'}
        {status.failed > 0 && ` ${plural(status.failed, 'item')} that failed to upload also ${status.failed === 1 ? 'waits' : 'wait'} for you there.`}
      </p>
    </ConfirmDialog>
  );
}

/** Always-visible answers to "am I connected, who am I, is my work out?" */
export function StatusArea() {
  const client = useClient();
  const status = useApp((state) => state.status);
  const navigate = useApp((state) => state.navigate);
  const toast = useApp((state) => state.toast);
  const [confirming, setConfirming] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const signOut = async () => {
    setSigningOut(true);
    try {
      const next = await client.call('auth.signOut');
      setConfirming(false);
      useApp.getState().setStatus(next);
      toast('info', 'Signed out. Files of assignments that are still shared stay on this computer.');
    } catch (e) {
      setConfirming(false);
      toast('error', errorMessage(e));
    } finally {
      setSigningOut(false);
    }
  };
  if (!status) return <div className="status-area" aria-busy="true" />;
  const shown = reachability(status.connection, status.push);
  return (
    <>
      <section className="status-area" aria-label="Status" aria-live="polite">
        <div className="status-line" title={shown.detail}>
          <span className={`dot dot-${shown.tone}`} aria-hidden="true" />
          <span data-testid="status-connection">{shown.text}</span>
        </div>
        {status.user && (
          <div className="status-user" data-testid="status-user">
            <span className="status-name" title={status.user.displayName}>
              Signed in as {status.user.displayName}
            </span>
            <button type="button" className="link-button sign-out" onClick={() => setConfirming(true)}>
              Sign out…
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
        <UpdateLine />
        {status.keychain.kind === 'memory' && (
          <button
            type="button"
            className="status-warning"
            onClick={() => navigate(CREDENTIALS_ROUTE)}
            title={status.keychain.detail}
          >
            No keychain: sign-in lasts this run only
          </button>
        )}
      </section>
      {/* Outside the live region: the dialog is announced as a dialog, not read out as a status change. */}
      {confirming && <ConfirmSignOut status={status} busy={signingOut} onCancel={() => setConfirming(false)} onConfirm={() => void signOut()} />}
    </>
  );
}

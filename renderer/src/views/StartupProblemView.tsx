import { useState } from 'react';
import type { StartupProblem } from '../../../shared/api/schemas/app';
import { errorMessage } from '../client';
import { Icon } from '../components/Icon';
import { Page } from '../components/Page';
import { useApp, useClient } from '../store';

/** Shown instead of every section while the local database cannot be used. */
export function StartupProblemView({ problem }: { problem: StartupProblem }) {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const moveAside = async () => {
    setBusy(true);
    try {
      const info = await client.call('app.recoverDatabase', { action: 'move-aside' });
      useApp.setState({ info, status: await client.call('app.status') });
      toast('success', 'The damaged database was moved aside and a fresh one was created.');
    } catch (error) {
      toast('error', errorMessage(error));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  const title = problem.code === 'DB_TOO_NEW' ? 'This data needs a newer version of the app' : "The app's local database can't be opened";
  return (
    <Page title={title}>
      <div className="card problem-card" role="alert">
        <Icon name="alert" size={24} />
        <div>
          <p>{problem.message}</p>
          <p className="muted">
            File: <code>{problem.file}</code>
          </p>
          {problem.canMoveAside && !confirming && (
            <button type="button" className="button primary" onClick={() => setConfirming(true)}>
              Move it aside and start fresh…
            </button>
          )}
          {confirming && (
            <div className="confirm">
              <p>
                The damaged file is kept next to the original with &ldquo;damaged&rdquo; in its name, so support can
                look at it. The app will start with an empty database: assignments sync again, but anything that was
                queued in the damaged file will not upload.
              </p>
              <button type="button" className="button danger" disabled={busy} onClick={() => void moveAside()}>
                {busy ? 'Moving…' : 'Move aside and start fresh'}
              </button>
              <button type="button" className="button ghost" disabled={busy} onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          )}
        </div>
      </div>
    </Page>
  );
}

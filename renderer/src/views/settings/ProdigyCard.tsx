import { useEffect, useState } from 'react';
import type { ProdigyInfo } from '../../../../shared/api/schemas/prodigy';
import { errorMessage } from '../../client';
import { formatDateTime } from '../../format';
import { useApp, useClient } from '../../store';

/** Which Prodigy the command in Settings runs, and which of the user's own Prodigy settings sessions keep. */
export function ProdigyCard({ command }: { command: string }) {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const [info, setInfo] = useState<ProdigyInfo | null>(null);
  const [checking, setChecking] = useState(false);

  // Asked again when the command changes: another command may be another Prodigy.
  useEffect(() => {
    let current = true;
    client.call('prodigy.info').then(
      (found) => current && setInfo(found),
      (error: unknown) => current && toast('error', errorMessage(error)),
    );
    return () => {
      current = false;
    };
  }, [client, toast, command]);

  const checkAgain = async () => {
    setChecking(true);
    try {
      setInfo(await client.call('prodigy.check'));
    } catch (error) {
      toast('error', errorMessage(error));
    } finally {
      setChecking(false);
    }
  };

  const tone = info?.supported === false || (info && !info.version) ? 'warn' : 'ok';
  return (
    <section className="card" aria-labelledby="prodigy-heading" data-testid="prodigy-card">
      <div className="section-bar">
        <h2 id="prodigy-heading">Prodigy</h2>
        <button type="button" className="button" disabled={checking} onClick={() => void checkAgain()}>
          {checking ? 'Checking…' : 'Check again'}
        </button>
      </div>
      {!info ? (
        <p className="muted">Asking Prodigy for its version…</p>
      ) : (
        <>
          <p className={tone === 'warn' ? 'banner banner-warn' : 'muted'} role={tone === 'warn' ? 'alert' : undefined} data-testid="prodigy-version-message">
            {info.message}
          </p>
          <dl className="facts">
            <dt>Version</dt>
            <dd data-testid="prodigy-version">{info.version ?? 'Unknown'}</dd>
            <dt>Oldest supported</dt>
            <dd>{info.minimum}</dd>
            <dt>Command</dt>
            <dd>
              <code>{info.command}</code>
            </dd>
            {info.checkedAt && (
              <>
                <dt>Checked</dt>
                <dd>{formatDateTime(info.checkedAt)}</dd>
              </>
            )}
            <dt>Your Prodigy settings</dt>
            <dd data-testid="prodigy-user-config">
              <code>{info.userConfig.file}</code>
              {!info.userConfig.found && ' (none there)'}
              {info.userConfig.kept.length > 0 && <div className="small">Used in every session: {info.userConfig.kept.join(', ')}.</div>}
              {info.userConfig.ignored.length > 0 && (
                <div className="small muted">
                  Left out, because the app decides them (where answers are stored, where Prodigy listens, how tasks are shared, that every answer is saved at once):{' '}
                  {info.userConfig.ignored.join(', ')}.
                </div>
              )}
              {info.userConfig.problems.map((problem) => (
                <div key={problem} className="small warn-text">
                  {problem}
                </div>
              ))}
            </dd>
          </dl>
        </>
      )}
    </section>
  );
}

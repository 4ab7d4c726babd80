import { useEffect, useState } from 'react';
import type { SessionView } from '../../../shared/api/schemas/sessions';
import { EmptyState, Page } from '../components/Page';
import { SessionActions, useSessions } from '../components/SessionActions';
import { formatRelative, plural } from '../format';
import { useApp, useClient } from '../store';

const STATE_WORDS: Record<SessionView['state'], string> = {
  idle: 'Not started',
  starting: 'Starting…',
  running: 'Running',
  stopping: 'Stopping…',
  stopped: 'Stopped',
  crashed: 'Crashed',
  failed: 'Did not start',
};

function SessionLog({ assignmentId, version }: { assignmentId: string; version: unknown }) {
  const client = useClient();
  const [lines, setLines] = useState<string[] | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!open) return;
    let current = true;
    client.call('sessions.log', { assignmentId }).then(
      (log) => current && setLines(log.lines.map((line) => line.text)),
      () => current && setLines([]),
    );
    return () => {
      current = false;
    };
  }, [client, assignmentId, open, version]);
  return (
    <details className="session-log" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Prodigy’s output</summary>
      <pre data-testid="session-log">{lines === null ? 'Loading…' : lines.length > 0 ? lines.join('\n') : 'Nothing yet.'}</pre>
    </details>
  );
}

function SessionCard({ session, highlighted }: { session: SessionView; highlighted: boolean }) {
  const progress = session.progress;
  const percent = progress && progress.total > 0 ? Math.min(100, Math.floor((progress.answered / progress.total) * 100)) : 0;
  const running = session.state === 'running';
  return (
    <article
      className={`card session-card${highlighted ? ' highlighted' : ''}${session.startable || session.inReviews ? '' : ' muted-card'}`}
      data-testid="session-card"
      aria-label={session.assignmentName}
    >
      <header className="session-head">
        <div>
          <h2>{session.assignmentName}</h2>
          <p className="muted small">
            {session.recipe} on “{session.dataset}”{session.startedAt && running ? ` · started ${formatRelative(session.startedAt)}` : ''}
          </p>
        </div>
        {/* A review assignment never has a session, so it has no session state either. */}
        {!session.inReviews && (
          <span className={`badge session-${session.state}`} data-testid="session-state">
            {STATE_WORDS[session.state]}
          </span>
        )}
        <div className="session-actions">
          <SessionActions session={session} />
        </div>
      </header>
      {!session.startable && session.whyNot && <p className="muted">{session.whyNot}</p>}
      {session.message && (session.state === 'crashed' || session.state === 'failed') && (
        <div className="banner banner-error" role="alert">
          {session.message}
        </div>
      )}
      {progress && progress.total > 0 && (
        <div className="progress session-progress">
          <div className="progress-track" role="progressbar" aria-label={`Annotated in ${session.assignmentName}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={`${progress.answered} of ${progress.total} annotated`}>
            <div className="progress-fill" style={{ width: `${percent}%` }} />
          </div>
          <div className="progress-text" data-testid="session-counts">
            <strong>
              {progress.answered.toLocaleString()} of {progress.total.toLocaleString()} annotated
            </strong>
            <span className="muted">
              {progress.accept} accepted · {progress.reject} rejected · {progress.ignore} skipped · {progress.flagged} flagged
            </span>
          </div>
        </div>
      )}
      {session.skipped.length > 0 && (
        <details className="skipped">
          <summary>{plural(session.skipped.length, 'file')} not used as tasks</summary>
          <ul>
            {session.skipped.map((file) => (
              <li key={file.path}>
                <code>{file.path}</code>: {file.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {session.state !== 'idle' && <SessionLog assignmentId={session.assignmentId} version={`${session.state}:${progress?.answered ?? 0}`} />}
    </article>
  );
}

export function SessionsView() {
  const highlight = useApp((state) => state.route.id);
  const navigate = useApp((state) => state.navigate);
  const sessions = useSessions();

  return (
    <Page title="Sessions" subtitle="Prodigy runs here, on this computer, on your synced files. Your answers stay here until you export them.">
      {sessions !== null && sessions.length === 0 ? (
        <EmptyState
          icon="sessions"
          title="No assignments to annotate yet"
          action={
            <button type="button" className="button" onClick={() => navigate({ section: 'assignments' })}>
              Go to Assignments
            </button>
          }
        >
          <p>Sign in and sync an assignment; it appears here, ready to open in Prodigy.</p>
        </EmptyState>
      ) : (
        [...(sessions ?? [])]
          .sort((a, b) => Number(b.startable) - Number(a.startable))
          .map((session) => <SessionCard key={session.assignmentId} session={session} highlighted={session.assignmentId === highlight} />)
      )}
    </Page>
  );
}

import { useEffect, useState } from 'react';
import type { SessionView } from '../../../shared/api/schemas/sessions';
import type { Shell } from '../../../shared/api/schemas/app';
import { errorMessage, type Client } from '../client';
import { EmptyState, Page } from '../components/Page';
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

/**
 * In a browser the session's tab is opened during the click: one opened after
 * the seconds a start takes no longer counts as the user's and is blocked.
 * It says what is happening until it is pointed at the session.
 */
function blankTab(shell: Shell | undefined): Window | null {
  if (shell !== 'browser') return null;
  const tab = window.open('', '_blank');
  if (!tab) return null;
  tab.opener = null;
  tab.document.title = 'Starting Prodigy…';
  tab.document.body.textContent = 'Starting Prodigy… This tab shows the session once it is ready.';
  return tab;
}

/** Opens a running session: the desktop app opens a window itself; a browser gets an address for the tab. */
async function openSession(client: Client, assignmentId: string, tab: Window | null): Promise<void> {
  try {
    const { url } = await client.call('sessions.open', { assignmentId });
    if (url && tab) tab.location.href = url;
    else if (url) window.open(url, '_blank', 'noopener');
    else tab?.close();
  } catch (error) {
    tab?.close();
    throw error;
  }
}

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
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const shell = useApp((state) => state.info?.shell);
  const [busy, setBusy] = useState(false);
  const progress = session.progress;
  const percent = progress && progress.total > 0 ? Math.min(100, Math.floor((progress.answered / progress.total) * 100)) : 0;

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
    } catch (error) {
      toast('error', errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  const start = () => {
    const tab = blankTab(shell);
    return act(async () => {
      const started = await client.call('sessions.start', { assignmentId: session.assignmentId }).catch((error: unknown) => {
        tab?.close();
        throw error;
      });
      // Stopped while it started: nothing to open.
      if (started.state === 'running') await openSession(client, session.assignmentId, tab);
      else tab?.close();
    });
  };
  const open = () => {
    const tab = blankTab(shell);
    return act(() => openSession(client, session.assignmentId, tab));
  };
  const stop = () => act(() => client.call('sessions.stop', { assignmentId: session.assignmentId }));

  const running = session.state === 'running';
  return (
    <article className={`card session-card${highlighted ? ' highlighted' : ''}${session.startable ? '' : ' muted-card'}`} data-testid="session-card" aria-label={session.assignmentName}>
      <header className="session-head">
        <div>
          <h2>{session.assignmentName}</h2>
          <p className="muted small">
            {session.recipe} on “{session.dataset}”{session.startedAt && running ? ` · started ${formatRelative(session.startedAt)}` : ''}
          </p>
        </div>
        <span className={`badge session-${session.state}`} data-testid="session-state">
          {STATE_WORDS[session.state]}
        </span>
        <div className="session-actions">
          {running ? (
            <>
              <button type="button" className="button primary" disabled={busy} onClick={() => void open()}>
                Open
              </button>
              <button type="button" className="button" onClick={() => void stop()}>
                Stop
              </button>
            </>
          ) : session.state === 'starting' ? (
            <>
              <button type="button" className="button primary" disabled>
                Starting…
              </button>
              {/* A start can hang for up to a minute; it can always be called off. */}
              <button type="button" className="button" onClick={() => void stop()}>
                Stop
              </button>
            </>
          ) : (
            <button type="button" className="button primary" disabled={!session.startable || busy || session.state === 'stopping'} title={session.whyNot ?? undefined} onClick={() => void start()}>
              {session.state === 'stopping' ? 'Stopping…' : busy ? 'Starting…' : 'Start annotating'}
            </button>
          )}
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
              {progress.accept} accepted · {progress.reject} rejected · {progress.ignore} ignored · {progress.flagged} flagged
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
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const highlight = useApp((state) => state.route.id);
  const navigate = useApp((state) => state.navigate);
  const version = useApp((state) => state.assignmentsVersion);
  const [sessions, setSessions] = useState<SessionView[] | null>(null);

  useEffect(() => {
    let current = true;
    client.call('sessions.list').then(
      (list) => current && setSessions(list),
      (error: unknown) => toast('error', errorMessage(error)),
    );
    return () => {
      current = false;
    };
  }, [client, toast, version]);

  useEffect(
    () => client.on('sessions.changed', (changed) => setSessions((list) => list?.map((session) => (session.assignmentId === changed.assignmentId ? changed : session)) ?? list)),
    [client],
  );

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

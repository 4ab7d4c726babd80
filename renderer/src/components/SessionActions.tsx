import { useEffect, useState } from 'react';
import type { Shell } from '../../../shared/api/schemas/app';
import type { SessionView } from '../../../shared/api/schemas/sessions';
import { routeToHash } from '../../../shared/routes';
import { errorMessage, type Client } from '../client';
import { useApp, useClient } from '../store';

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

/** "Continue (6 of 16)" once there are answers to go on from; "Start annotating" before the first. */
export function startWords(session: Pick<SessionView, 'progress'>): string {
  const progress = session.progress;
  return progress && progress.answered > 0 ? `Continue (${progress.answered.toLocaleString()} of ${progress.total.toLocaleString()})` : 'Start annotating';
}

/** Every assignment's session, kept current by `sessions.changed`; re-read when the assignments change. */
export function useSessions(): SessionView[] | null {
  const client = useClient();
  const toast = useApp((state) => state.toast);
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
  return sessions;
}

/** Start (or Continue), Open and Stop for one assignment's Prodigy session: the same buttons on Sessions and on the assignment's page. */
export function SessionActions({ session }: { session: SessionView }) {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const shell = useApp((state) => state.info?.shell);
  const [busy, setBusy] = useState(false);

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

  // A reviewer's work has no session: what they can do is decide items, so that is offered rather than a Start that never works.
  if (session.inReviews)
    return (
      <a className="button primary" href={routeToHash({ section: 'reviews' })}>
        Open Reviews
      </a>
    );

  if (session.state === 'running')
    return (
      <>
        <button type="button" className="button primary" disabled={busy} onClick={() => void open()}>
          Open
        </button>
        <button type="button" className="button" onClick={() => void stop()}>
          Stop
        </button>
      </>
    );
  if (session.state === 'starting')
    return (
      <>
        <button type="button" className="button primary" disabled>
          Starting…
        </button>
        {/* A start can hang for up to a minute; it can always be called off. */}
        <button type="button" className="button" onClick={() => void stop()}>
          Stop
        </button>
      </>
    );
  return (
    <button type="button" className="button primary" disabled={!session.startable || busy || session.state === 'stopping'} title={session.whyNot ?? undefined} onClick={() => void start()}>
      {session.state === 'stopping' ? 'Stopping…' : busy ? 'Starting…' : startWords(session)}
    </button>
  );
}

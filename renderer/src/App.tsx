import { useEffect } from 'react';
import type { NotificationPayload } from '../../shared/api/schemas/app';
import { SECTIONS, type Section } from '../../shared/routes';
import { ConnectionBanner, Toasts } from './components/Toasts';
import { Sidebar } from './components/Sidebar';
import { useApp } from './store';
import { AuditView } from './views/AuditView';
import { AssignmentsSection } from './views/assignments/AssignmentsView';
import { NotificationsView } from './views/EmptySections';
import { OutboxView } from './views/outbox/OutboxView';
import { ReviewsView } from './views/reviews/ReviewsView';
import { SessionsView } from './views/SessionsView';
import { SettingsView } from './views/SettingsView';
import { StartupProblemView } from './views/StartupProblemView';

const VIEWS: Record<Section, () => React.JSX.Element> = {
  assignments: AssignmentsSection,
  sessions: SessionsView,
  outbox: OutboxView,
  reviews: ReviewsView,
  notifications: NotificationsView,
  audit: AuditView,
  settings: SettingsView,
};

/** Ctrl/Cmd + 1…7 jumps to a section, the same keys as the desktop menu. */
function useSectionShortcuts() {
  const navigate = useApp((state) => state.navigate);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const section = SECTIONS[Number(event.key) - 1];
      if (!section) return;
      event.preventDefault();
      navigate({ section });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);
}

/** The browser shell shows notifications itself: natively when allowed, else as a toast. */
export function showNotification(payload: NotificationPayload): void {
  const { navigate, toast } = useApp.getState();
  if ('Notification' in window && Notification.permission === 'granted') {
    const shown = new Notification(payload.title, { body: payload.body });
    shown.onclick = () => {
      window.focus();
      if (payload.route) navigate(payload.route);
    };
    return;
  }
  toast('info', `${payload.title}: ${payload.body}`);
}

export function App() {
  const info = useApp((state) => state.info);
  const route = useApp((state) => state.route);
  const connection = useApp((state) => state.connection);
  useSectionShortcuts();

  if (connection === 'refused') return <Unreachable />;

  const View = VIEWS[route.section];
  return (
    <div className="app">
      <button type="button" className="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <Sidebar />
      <main id="main" className="main" tabIndex={-1}>
        <ConnectionBanner />
        {!info ? <div className="loading" aria-busy="true">Loading…</div> : info.startupProblem ? <StartupProblemView problem={info.startupProblem} /> : <View />}
      </main>
      <Toasts />
    </div>
  );
}

export function Unreachable() {
  return (
    <div className="standalone">
      <div className="card">
        <h1>Can&apos;t reach Annotator Companion</h1>
        <p>
          This page talks to the app through a private link that changes every time the app starts. If you restarted
          it, open the new link it printed in the terminal (it starts with <code>http://127.0.0.1:</code>).
        </p>
        <p className="muted">If the app is not running, start it with <code>npm start</code>.</p>
      </div>
    </div>
  );
}

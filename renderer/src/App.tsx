import { useEffect } from 'react';
import type { NotificationPayload } from '../../shared/api/schemas/app';
import { SECTIONS, type Section } from '../../shared/routes';
import { ConnectionBanner, Toasts } from './components/Toasts';
import { EmptyState, Page } from './components/Page';
import { Sidebar } from './components/Sidebar';
import { useApp } from './store';
import { AuditView } from './views/AuditView';
import { AssignmentsSection } from './views/assignments/AssignmentsView';
import { NotificationsView } from './views/notifications/NotificationsView';
import { OutboxView } from './views/outbox/OutboxView';
import { ReviewsView } from './views/reviews/ReviewsView';
import { SessionsView } from './views/SessionsView';
import { SettingsView } from './views/SettingsView';
import { StartupProblemView } from './views/StartupProblemView';

/** Reviews reached by a link or a shortcut by someone File 360 does not send items to decide. */
function ReviewsSection() {
  const user = useApp((state) => state.status?.user);
  const navigate = useApp((state) => state.navigate);
  if (!user || user.reviews) return <ReviewsView />;
  return (
    <Page title="Reviews">
      <EmptyState
        icon="reviews"
        title="Reviews are for reviewers"
        action={
          <button type="button" className="button" onClick={() => navigate({ section: 'assignments' })}>
            Go to Assignments
          </button>
        }
      >
        <p>
          File 360 does not list {user.displayName} as a reviewer, so no items come here to decide. The items you flag or ask about go to each
          assignment’s reviewers, and their decisions show on the assignment’s page.
        </p>
      </EmptyState>
    </Page>
  );
}

const VIEWS: Record<Section, () => React.JSX.Element> = {
  assignments: AssignmentsSection,
  sessions: SessionsView,
  outbox: OutboxView,
  reviews: ReviewsSection,
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

const TITLE = document.title;

/** The tab's title carries the unread count, as mail tabs do, so it shows among other tabs. */
function useUnreadTitle() {
  const browser = useApp((state) => state.client?.shell === 'browser');
  const unread = useApp((state) => state.status?.unread ?? 0);
  useEffect(() => {
    if (browser) document.title = unread > 0 ? `(${unread}) ${TITLE}` : TITLE;
  }, [browser, unread]);
}

/** Native notifications still on screen, oldest first: a storm closes the oldest rather than piling up. */
const native: Notification[] = [];
const MAX_NATIVE = 3;

/** The browser shell shows notifications itself: natively when allowed, else as a toast. */
export function showNotification(payload: NotificationPayload): void {
  const { openNotification, notificationToast } = useApp.getState();
  if ('Notification' in window && Notification.permission === 'granted') {
    const shown = new Notification(payload.title, { body: payload.body });
    native.push(shown);
    while (native.length > MAX_NATIVE) native.shift()?.close();
    shown.onclose = () => {
      const at = native.indexOf(shown);
      if (at !== -1) native.splice(at, 1);
    };
    shown.onclick = () => {
      window.focus();
      shown.close();
      openNotification(payload);
    };
    return;
  }
  notificationToast(payload);
}

export function App() {
  const info = useApp((state) => state.info);
  const route = useApp((state) => state.route);
  const connection = useApp((state) => state.connection);
  useSectionShortcuts();
  useUnreadTitle();
  // Another place starts at its top, not where the last one was scrolled to.
  useEffect(() => {
    document.getElementById('main')?.scrollTo({ top: 0 });
  }, [route.section, route.id, route.view]);

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

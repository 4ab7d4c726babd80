import { create } from 'zustand';
import type { AppInfo, NotificationPayload, Status } from '../../shared/api/schemas/app';
import type { SignInState, SyncProgress } from '../../shared/api/schemas/assignments';
import type { UpdateStatus } from '../../shared/api/schemas/updates';
import { DEFAULT_ROUTE, homeSection, parseHash, routeToHash, type Route } from '../../shared/routes';
import type { Client } from './client';
import type { ConnectionState } from './ws-bridge';

export interface Toast {
  id: number;
  tone: 'info' | 'success' | 'error';
  text: string;
  /** Set for a notification the browser shell shows in-app: a click opens its route. */
  notification?: NotificationPayload;
}

interface AppState {
  client: Client | null;
  connection: ConnectionState;
  info: AppInfo | null;
  status: Status | null;
  route: Route;
  toasts: Toast[];
  /** The latest progress of each assignment's sync, from `sync.progress` events. */
  progress: Record<string, SyncProgress>;
  signIn: SignInState;
  /** Bumped on `assignments.changed`, so views re-read. */
  assignmentsVersion: number;
  updates: UpdateStatus | null;
  /** Review items waiting for a decision (the Reviews badge); null for someone who does not review. */
  reviewsWaiting: number | null;
  /**
   * True until the first status when the app opened without asking for a
   * place: that status decides where it opens (a reviewer's home is Reviews).
   */
  landing: boolean;
  navigate(route: Route): void;
  /** A new status; someone signing in (or found signed in at start) is taken to their home section. */
  setStatus(status: Status): void;
  /** Re-counts the review items waiting, after `reviews.changed` or a change of who is signed in. */
  refreshReviews(): void;
  /** A click on a notification (native or toast): marks it read, then shows what it is about. */
  openNotification(notification: NotificationPayload): void;
  setUnread(unread: number): void;
  toast(tone: Toast['tone'], text: string): void;
  /** A notification as a toast; a storm of them keeps only the newest few on screen. */
  notificationToast(notification: NotificationPayload): void;
  dismissToast(id: number): void;
}

let nextToast = 1;
/** Only the latest count is kept, when changes come faster than answers. */
let reviewCount = 0;
const TOAST_MS = 6000;
/** Older notification toasts make way: they are all in the notification center anyway. */
const MAX_NOTIFICATION_TOASTS = 3;

export const useApp = create<AppState>()((set, get) => ({
  client: null,
  connection: 'connecting',
  info: null,
  status: null,
  route: parseHash(window.location.hash) ?? DEFAULT_ROUTE,
  toasts: [],
  progress: {},
  signIn: { state: 'idle', authorizeUrl: null, message: null },
  assignmentsVersion: 0,
  updates: null,
  reviewsWaiting: null,
  landing: parseHash(window.location.hash) === null,
  // The hash is the source of truth, so Back and Forward work; `hashchange` updates `route`.
  navigate(route) {
    set({ landing: false });
    const hash = routeToHash(route);
    if (window.location.hash !== hash) window.location.hash = hash;
    else set({ route });
  },
  setStatus(status) {
    const { status: before, landing, route } = get();
    set({ status, landing: false });
    const user = status.user;
    if (user?.id === before?.user?.id && user?.reviews === before?.user?.reviews) return;
    get().refreshReviews();
    // Arrived: at start with no place asked for, or by signing in on the sign-in card (on the bare Assignments list).
    const arrived = user !== null && (landing || before?.user === null);
    if (!arrived || route.section !== DEFAULT_ROUTE.section || route.id) return;
    const home = homeSection(user);
    if (home === route.section) return;
    // In place of the landing, not a step Back would undo.
    const next: Route = { section: home };
    history.replaceState(null, '', routeToHash(next));
    set({ route: next });
  },
  refreshReviews() {
    const { client, status } = get();
    const call = ++reviewCount;
    if (!client || !status?.user?.reviews) {
      set({ reviewsWaiting: null });
      return;
    }
    // The default filter is what Reviews lists first: open items and those this reviewer has claimed.
    client.call('reviews.list', {}).then(
      (list) => call === reviewCount && set({ reviewsWaiting: list.items.length }),
      // The badge keeps its last count; Reviews itself says what went wrong.
      () => undefined,
    );
  },
  openNotification(notification) {
    const { client, navigate } = get();
    if (!client || notification.id === undefined) {
      if (notification.route) navigate(notification.route);
      return;
    }
    client.call('notifications.open', { id: notification.id }).then(
      (route) => {
        const place = route ?? notification.route;
        if (place) navigate(place);
      },
      () => notification.route && navigate(notification.route),
    );
  },
  setUnread(unread) {
    set((state) => (state.status ? { status: { ...state.status, unread } } : {}));
  },
  toast(tone, text) {
    const id = nextToast++;
    set((state) => ({ toasts: [...state.toasts, { id, tone, text }] }));
    window.setTimeout(() => get().dismissToast(id), TOAST_MS);
  },
  notificationToast(notification) {
    const id = nextToast++;
    set((state) => {
      const shown = state.toasts.filter((t) => t.notification);
      const stale = new Set(shown.slice(0, Math.max(0, shown.length - MAX_NOTIFICATION_TOASTS + 1)).map((t) => t.id));
      const toast: Toast = { id, tone: 'info', text: `${notification.title}: ${notification.body}`, notification };
      return { toasts: [...state.toasts.filter((t) => !stale.has(t.id)), toast] };
    });
    window.setTimeout(() => get().dismissToast(id), TOAST_MS);
  },
  dismissToast(id) {
    set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) }));
  },
}));

window.addEventListener('hashchange', () => {
  const route = parseHash(window.location.hash);
  if (route) useApp.setState({ route });
});

/** Components below the boot screen always have a client. */
export function useClient(): Client {
  const client = useApp((state) => state.client);
  if (!client) throw new Error('no client yet');
  return client;
}

import { create } from 'zustand';
import type { AppInfo, Status } from '../../shared/api/schemas/app';
import type { SignInState, SyncProgress } from '../../shared/api/schemas/assignments';
import type { AuditVerification } from '../../shared/api/schemas/audit';
import { DEFAULT_ROUTE, parseHash, routeToHash, type Route } from '../../shared/routes';
import type { Client } from './client';
import type { ConnectionState } from './ws-bridge';

export interface Toast {
  id: number;
  tone: 'info' | 'success' | 'error';
  text: string;
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
  /** The last check of the audit chain in this app session. */
  auditVerification: AuditVerification | null;
  navigate(route: Route): void;
  toast(tone: Toast['tone'], text: string): void;
  dismissToast(id: number): void;
}

let nextToast = 1;
const TOAST_MS = 6000;

export const useApp = create<AppState>()((set) => ({
  client: null,
  connection: 'connecting',
  info: null,
  status: null,
  route: parseHash(window.location.hash) ?? DEFAULT_ROUTE,
  toasts: [],
  progress: {},
  signIn: { state: 'idle', authorizeUrl: null, message: null },
  assignmentsVersion: 0,
  auditVerification: null,
  // The hash is the source of truth, so Back and Forward work; `hashchange` updates `route`.
  navigate(route) {
    const hash = routeToHash(route);
    if (window.location.hash !== hash) window.location.hash = hash;
    else set({ route });
  },
  toast(tone, text) {
    const id = nextToast++;
    set((state) => ({ toasts: [...state.toasts, { id, tone, text }] }));
    window.setTimeout(() => set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })), TOAST_MS);
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

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, Unreachable, showNotification } from './App';
import { createClient, errorMessage, type Client } from './client';
import { useApp } from './store';
import { createWebSocketBridge, takeToken } from './ws-bridge';
import './styles.css';

/** Electron's preload provides the bridge; in a plain browser the page connects to the browser shell. */
function pickClient(): Client | null {
  if (window.companion) return createClient(window.companion);
  const token = takeToken();
  if (!token) return null;
  return createClient(createWebSocketBridge(token, (connection) => useApp.setState({ connection })));
}

async function boot(client: Client): Promise<void> {
  client.on('status.changed', (status) => useApp.getState().setStatus(status));
  client.on('navigate', (route) => useApp.getState().navigate(route));
  client.on('notification', showNotification);
  // The event carries the new count, so the badge need not wait for the next status.
  client.on('notifications.changed', ({ unread }) => useApp.getState().setUnread(unread));
  client.on('auth.changed', (signIn) => useApp.setState({ signIn }));
  client.on('assignments.changed', () => useApp.setState((state) => ({ assignmentsVersion: state.assignmentsVersion + 1 })));
  client.on('updates.changed', (updates) => useApp.setState({ updates }));
  client.on('reviews.changed', () => useApp.getState().refreshReviews());
  client.on('sync.progress', (progress) =>
    useApp.setState((state) => ({ progress: { ...state.progress, [progress.assignmentId]: progress } })),
  );
  try {
    const [info, status, pending, updates] = await Promise.all([
      client.call('app.info'),
      client.call('app.status'),
      client.call('app.takePendingRoute'),
      client.call('updates.status'),
    ]);
    // A place a link asked for comes first; without one, the status decides where the app opens.
    if (pending) useApp.getState().navigate(pending);
    useApp.getState().setStatus(status);
    useApp.setState({ info, updates });
  } catch (error) {
    useApp.getState().toast('error', errorMessage(error));
  }
}

const root = createRoot(document.getElementById('root') as HTMLElement);
const client = pickClient();
if (client) {
  useApp.setState({ client, connection: client.shell === 'electron' ? 'open' : useApp.getState().connection });
  void boot(client);
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
} else {
  root.render(<Unreachable />);
}

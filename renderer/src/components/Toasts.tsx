import type { NotificationPayload } from '../../../shared/api/schemas/app';
import { useApp } from '../store';

function NotificationText({ notification, onOpen }: { notification: NotificationPayload; onOpen(): void }) {
  const navigate = useApp((state) => state.navigate);
  const { title, body, route } = notification;
  const text = (
    <>
      <strong className="toast-title">{title}</strong>
      {body && <span className="toast-body">{body}</span>}
    </>
  );
  if (!route) return <span className="toast-text">{text}</span>;
  return (
    <button
      type="button"
      className="toast-text toast-open bare-button"
      onClick={() => {
        onOpen();
        navigate(route);
      }}
    >
      {text}
    </button>
  );
}

export function Toasts() {
  const toasts = useApp((state) => state.toasts);
  const dismiss = useApp((state) => state.dismissToast);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.tone}`} data-testid={toast.notification ? 'notification-toast' : undefined}>
          {toast.notification ? <NotificationText notification={toast.notification} onOpen={() => dismiss(toast.id)} /> : <span>{toast.text}</span>}
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

export function ConnectionBanner() {
  const connection = useApp((state) => state.connection);
  if (connection !== 'closed') return null;
  return (
    <div className="banner banner-error" role="alert">
      Lost the connection to the app. Reconnecting… If this lasts, check that <code>npm start</code> is still running.
    </div>
  );
}

import { useApp } from '../store';

export function Toasts() {
  const toasts = useApp((state) => state.toasts);
  const dismiss = useApp((state) => state.dismissToast);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.tone}`}>
          <span>{toast.text}</span>
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

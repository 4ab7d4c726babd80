import { useLayoutEffect, useRef } from 'react';

/**
 * Asks before the list is emptied. Shown as a modal while mounted (Escape
 * cancels); the focus goes back to what had it before, if it is still there.
 * A layout effect, so the dialog is closed before React removes it.
 */
export function ConfirmClearAll({ busy, onCancel, onConfirm }: { busy: boolean; onCancel(): void; onConfirm(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useLayoutEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement;
    if (element && !element.open) element.showModal();
    return () => {
      element?.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      className="modal"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="nf-clear-title"
      aria-describedby="nf-clear-text"
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id="nf-clear-title">Clear all notifications?</h2>
      <div id="nf-clear-text" className="modal-text">
        <p>Every notification leaves this list, read or not, including those the filters hide.</p>
        <p className="muted">Nothing changes in File 360: your assignments and review items stay as they are.</p>
      </div>
      <div className="modal-actions">
        {/* The safe choice takes the focus, so Enter does not clear by accident. */}
        <button type="button" className="button" autoFocus disabled={busy} onClick={onCancel}>
          Keep them
        </button>
        <button type="button" className="button danger" disabled={busy} onClick={onConfirm}>
          {busy ? 'Clearing…' : 'Clear all'}
        </button>
      </div>
    </dialog>
  );
}

import { useLayoutEffect, useRef, type ReactNode, type RefObject } from 'react';

/**
 * Shows a `<dialog>` as a modal while it is mounted (focus stays inside, Escape
 * cancels) and gives the focus back to what had it before, if it is still there.
 * A layout effect, so the dialog is closed before React removes it.
 */
export function useModal(dialog: RefObject<HTMLDialogElement | null>): void {
  useLayoutEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement;
    if (element && !element.open) element.showModal();
    return () => {
      element?.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, [dialog]);
}

interface ConfirmDialogProps {
  /** Prefix of the title's and text's element ids. */
  id: string;
  title: ReactNode;
  children: ReactNode;
  keepLabel: string;
  confirmLabel: string;
  busyLabel: string;
  busy: boolean;
  onCancel(): void;
  onConfirm(): void;
}

/** Asks before something that cannot be undone; the safe choice has the focus. */
export function ConfirmDialog({ id, title, children, keepLabel, confirmLabel, busyLabel, busy, onCancel, onConfirm }: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  useModal(dialog);
  return (
    <dialog
      ref={dialog}
      className="modal confirm-dialog"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-text`} className="modal-text">
        {children}
      </div>
      <div className="modal-actions">
        {/* The safe choice takes the focus, so Enter does not confirm by accident. */}
        <button type="button" className="button" autoFocus disabled={busy} onClick={onCancel}>
          {keepLabel}
        </button>
        <button type="button" className="button danger" disabled={busy} onClick={onConfirm}>
          {busy ? busyLabel : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

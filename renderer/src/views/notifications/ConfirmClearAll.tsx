import { ConfirmDialog } from '../../components/ConfirmDialog';

/** Asks before the list is emptied. */
export function ConfirmClearAll({ busy, onCancel, onConfirm }: { busy: boolean; onCancel(): void; onConfirm(): void }) {
  return (
    <ConfirmDialog id="nf-clear" title="Clear all notifications?" keepLabel="Keep them" confirmLabel="Clear all" busyLabel="Clearing…" busy={busy} onCancel={onCancel} onConfirm={onConfirm}>
      <p>Every notification leaves this list, read or not, including those the filters hide.</p>
      <p className="muted">Nothing changes in File 360: your assignments and review items stay as they are.</p>
    </ConfirmDialog>
  );
}

import { useId, useRef, useState } from 'react';
import type { ApproveManyResult, ReviewSummary } from '../../../../shared/api/schemas/reviews';
import { clipWords } from '../../../../shared/words';
import { useModal } from '../../components/ConfirmDialog';
import { plural } from '../../format';

const quoted = (text: string | null) => (text ? `“${clipWords(text, 70)}”` : 'An item no longer here');

/** Can this item be approved with others, without opening it? Why not, in words, when it cannot. */
export function bulkProblem(review: ReviewSummary): string | null {
  if (review.decision || review.pending || review.state === 'completed') return 'It is decided.';
  if (review.state === 'claimed' && !review.mine) return `${review.claimedBy ?? 'Another reviewer'} is working on it.`;
  if (review.versionCount > 1) return `Its ${review.versionCount} versions differ: open it to pick one.`;
  return null;
}

/**
 * Asks before approving several items, naming each, with one optional comment
 * for their annotators. Each is still approved as its own decision.
 */
export function BulkApproveDialog({ items, busy, onCancel, onConfirm }: { items: ReviewSummary[]; busy: boolean; onCancel(): void; onConfirm(comment: string): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [comment, setComment] = useState('');
  const commentId = useId();
  useModal(dialog);
  const count = plural(items.length, 'item');
  return (
    <dialog
      ref={dialog}
      className="modal rv-bulk-dialog"
      aria-labelledby="rv-bulk-title"
      aria-describedby="rv-bulk-text"
      data-testid="bulk-approve-dialog"
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id="rv-bulk-title">Approve {count}?</h2>
      <div id="rv-bulk-text" className="modal-text">
        <p>Each is approved as its annotator answered it, and sent to File 360 as its own decision; the annotators’ Prodigy gets each one with your comment.</p>
      </div>
      <ul className="rv-bulk-items" aria-label="Items to approve">
        {items.map((item) => (
          <li key={item.id}>
            {quoted(item.text)}
            {item.assignmentName && <span className="muted small"> · {item.assignmentName}</span>}
          </li>
        ))}
      </ul>
      <div className="rv-comment">
        <label htmlFor={commentId}>Comment for the annotators (optional)</label>
        <textarea id={commentId} value={comment} maxLength={4000} rows={2} disabled={busy} placeholder="Why these are right, for all of them." onChange={(event) => setComment(event.target.value)} />
      </div>
      <div className="modal-actions">
        <button type="button" className="button" autoFocus disabled={busy} onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button primary" disabled={busy} onClick={() => onConfirm(comment)}>
          {busy ? 'Approving…' : `Approve ${count}`}
        </button>
      </div>
    </dialog>
  );
}

/** What the bulk approval did, in words: how many were approved, and each that was not, with why. */
export function BulkResult({ result, onDismiss }: { result: ApproveManyResult; onDismiss(): void }) {
  const none = result.approved.length === 0;
  return (
    <div className={`banner ${result.failed.length > 0 ? 'banner-warn' : 'banner-ok'} rv-bulk-result`} role="status" data-testid="bulk-result">
      <div>
        <p>
          <strong>{none ? 'Nothing was approved.' : `${plural(result.approved.length, 'item')} approved.`}</strong>{' '}
          {none ? '' : 'Each is saved here and sent to File 360 as its own decision; the Outbox shows where each one is.'}
        </p>
        {result.failed.length > 0 && (
          <>
            <p>{plural(result.failed.length, 'item')} not approved:</p>
            <ul>
              {result.failed.map((failed) => (
                <li key={failed.id}>
                  {quoted(failed.text)}: {failed.error}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <button type="button" className="button ghost rv-small-button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

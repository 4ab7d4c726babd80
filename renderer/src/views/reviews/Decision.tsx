import { useId, useRef, useState } from 'react';
import type { Outcome } from '../../../../shared/api/schemas/escalations';
import type { ReviewDetail } from '../../../../shared/api/schemas/reviews';
import { errorMessage } from '../../client';
import { useApp, useClient } from '../../store';
import { CorrectionEditor, correctedTask, editorKind, sameVersion, startingCorrection, type CorrectionValue } from './Correction';
import { Kbd, SEND_KEYS, useSendKey, useShortcuts } from './shortcuts';

/** Each decision's key is its initial, as in Label Studio's and CVAT's review tools. */
export const ACTIONS: Array<[Outcome, string, key: string]> = [
  ['approved', 'Approve', 'A'],
  ['corrected', 'Correct', 'C'],
  ['rejected', 'Reject', 'R'],
];

/** Ctrl on Windows and Linux, ⌘ on a Mac, as each system prints it. */
export const MOD_KEY = /Mac/.test(navigator.userAgent) ? '⌘' : 'Ctrl';

const COMMENT_HINTS: Record<Outcome, string> = {
  approved: 'Optional: why this version is right.',
  corrected: 'Say what was wrong, so the annotator can do it right next time.',
  rejected: 'Say why the item is rejected.',
};

/**
 * Approve the picked version, correct it, or reject the item, with a comment
 * for the annotator. The decision is kept here and sent through the Outbox.
 */
export function DecisionPanel({ detail, picked, disabled, onDecided }: { detail: ReviewDetail; picked: number | null; disabled: boolean; onDecided(detail: ReviewDetail, comment: string): void }) {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const [action, setAction] = useState<Outcome>('approved');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = picked ?? (detail.versions.length > 0 ? 0 : null);
  const [correction, setCorrection] = useState<{ from: number | null; value: CorrectionValue | null }>(() => ({ from: start, value: startingCorrection(detail, start) }));
  const commentId = useId();
  const kind = editorKind(detail);
  const panel = useRef<HTMLDivElement>(null);
  const send = useRef<HTMLButtonElement>(null);

  const pickedVersion = picked === null ? undefined : detail.versions[picked];
  const needsPick = action === 'approved' && detail.versions.length > 0 && !pickedVersion;
  const cannotCorrect = action === 'corrected' && (kind === null || correction.value === null);
  const same = action === 'corrected' && correction.value ? sameVersion(detail, correction.value) : null;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const decided = await client.call('reviews.decide', {
        id: detail.id,
        outcome: action,
        comment,
        ...(action === 'approved' && picked !== null && pickedVersion ? { version: picked } : {}),
        ...(action === 'corrected' && correction.value ? { correctedTask: correctedTask(detail, correction.value) } : {}),
      });
      onDecided(decided, comment.trim());
    } catch (caught) {
      const message = errorMessage(caught);
      setError(message);
      toast('error', message);
    } finally {
      setBusy(false);
    }
  };

  const submitWords = action === 'approved' ? (pickedVersion ? `Approve version ${(picked ?? 0) + 1}` : 'Approve') : action === 'corrected' ? 'Send correction' : 'Reject item';
  const off = disabled || busy;
  const canSend = !off && !needsPick && !cannotCorrect;

  // A decision chosen by its key moves the focus on once React has shown it, so Enter sends it (or the correction can start).
  const choose = (outcome: Outcome) => {
    setAction(outcome);
    requestAnimationFrame(() => {
      const target = outcome === 'corrected' ? panel.current?.querySelector<HTMLElement>('.rv-editor :is(button, input, select):not(:disabled)') : send.current;
      // Approve with no version picked cannot be sent yet; the focus stays for the version's number key.
      if (target && !target.matches(':disabled')) target.focus();
    });
  };
  useShortcuts(Object.fromEntries(ACTIONS.map(([outcome, , key]) => [key.toLowerCase(), off ? null : () => choose(outcome)])));
  useSendKey(canSend ? () => void submit() : null);

  return (
    <section className="card rv-decision" aria-labelledby="rv-decision-heading">
      <h2 id="rv-decision-heading">Your decision</h2>
      <div className="rv-segmented rv-actions" role="radiogroup" aria-label="Decision">
        {ACTIONS.map(([outcome, words, key]) => (
          <label key={outcome} className={action === outcome ? 'rv-segment-on' : undefined}>
            <input type="radio" name="rv-action" value={outcome} checked={action === outcome} disabled={off} aria-keyshortcuts={key} onChange={() => setAction(outcome)} />
            {words} <Kbd>{key}</Kbd>
          </label>
        ))}
      </div>

      <div className="rv-action-panel" ref={panel}>
        {action === 'approved' && (
          <p className="rv-action-help">
            {detail.versions.length === 0
              ? 'The item is accepted as the annotator left it.'
              : pickedVersion
                ? `Version ${(picked ?? 0) + 1} (${pickedVersion.session}) becomes the answer, and goes back into the annotator’s Prodigy with your review.`
                : 'Pick the version to approve above.'}
          </p>
        )}
        {action === 'corrected' &&
          (kind === null || correction.value === null ? (
            <p className="banner banner-warn">This app cannot edit this kind of annotation. Approve a version, or reject the item and say what is wrong.</p>
          ) : (
            <>
              <div className="rv-action-help rv-correction-from">
                <span>
                  Your annotation replaces the annotators’.{' '}
                  {correction.from !== null && detail.versions[correction.from] ? `It starts from version ${correction.from + 1}.` : ''}
                </span>
                {picked !== null && picked !== correction.from && (
                  <button type="button" className="button ghost rv-small-button" disabled={off} onClick={() => setCorrection({ from: picked, value: startingCorrection(detail, picked) })}>
                    Start again from version {picked + 1}
                  </button>
                )}
              </div>
              <CorrectionEditor detail={detail} value={correction.value} disabled={off} onChange={(value) => setCorrection({ ...correction, value })} />
              {same !== null && (
                <p className="muted small" role="status">
                  This is the same as version {same + 1}; approving that version says the same thing.
                </p>
              )}
            </>
          ))}
        {action === 'rejected' && <p className="rv-action-help">The item goes back into the annotator’s Prodigy as rejected, so no version of it is used.</p>}

        <div className="rv-comment">
          <label htmlFor={commentId}>Comment for the annotator</label>
          <textarea id={commentId} value={comment} maxLength={4000} rows={3} disabled={off} placeholder={COMMENT_HINTS[action]}
            onChange={(event) => setComment(event.target.value)}
            onKeyDown={(event) => {
              // Out of the field, the decision keys work again.
              if (event.key === 'Escape') event.currentTarget.blur();
            }}
          />
        </div>

        {error && (
          <div className="banner banner-error" role="alert">
            {error}
          </div>
        )}
        <div className="form-actions">
          <button ref={send} type="button" className={`button ${action === 'rejected' ? 'danger' : 'primary'}`} disabled={!canSend} aria-keyshortcuts={SEND_KEYS} onClick={() => void submit()}>
            {busy ? 'Saving…' : submitWords}
          </button>
          <span className="muted small rv-key-hint">
            or <Kbd>{MOD_KEY}</Kbd>+<Kbd>Enter</Kbd>
          </span>
          <span className="muted small rv-offline-note">Your decision is saved here first and sent when you are online.</span>
        </div>
      </div>
    </section>
  );
}

import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { AssignmentDetail } from '../../../../shared/api/schemas/assignments';
import type { AskCandidate, EscalationReason, EscalationView } from '../../../../shared/api/schemas/escalations';
import { ANSWER_WORDS, OUTCOME_WORDS } from '../../../../shared/decisions';
import type { ExportView } from '../../../../shared/api/schemas/exports';
import type { OutboxState } from '../../../../shared/api/schemas/outbox';
import { routeToHash } from '../../../../shared/routes';
import { ApiError, errorMessage } from '../../client';
import { useModal } from '../../components/ConfirmDialog';
import { DecisionChange } from '../../components/DecisionChange';
import { formatBytes, formatDateTime, formatRelative, plural } from '../../format';
import { useApp, useClient } from '../../store';
import { AgreementSection } from './AgreementSection';
import { bringIntoView } from './bring-into-view';
import { useLive } from './useLive';
import './work.css';

const TRIGGER_WORDS: Record<ExportView['trigger'], string> = {
  manual: 'By you',
  'session-stopped': 'When the session stopped',
  'before-expiry': 'Ahead of the expiry',
  'before-wipe': 'Before the files were removed',
};

const UPLOAD_WORDS: Record<OutboxState, string> = {
  queued: 'Waiting to upload',
  sending: 'Uploading…',
  sent: 'Uploaded',
  failed: 'Upload failed',
  discarded: 'Discarded',
};

const REASON_WORDS: Record<EscalationReason, string> = {
  flagged: 'Flagged by you',
  disagreement: 'Annotators disagree',
  low_confidence: 'Low model confidence',
  ignored: 'Skipped',
  question: 'Your question',
};

const ESCALATION_STATE_WORDS: Record<EscalationView['state'], string> = {
  queued: 'Waiting to be sent',
  open: 'Waiting for a reviewer',
  claimed: 'A reviewer is on it',
  completed: 'Decided',
  failed: 'Not sent',
};

const outboxLink = routeToHash({ section: 'outbox' });

/** "2 minutes ago", or "just now" rather than a bare "now". */
function ago(iso: string, now: number): string {
  const words = formatRelative(iso, now);
  return words === 'now' ? 'just now' : words;
}

/** What became of an export's escalations: only what reached File 360 counts as sent for review. */
function escalatedWords({ sent, waiting, failed }: ExportView['escalated']): string {
  const parts = [
    sent > 0 ? `${sent.toLocaleString()} sent for review` : null,
    waiting > 0 ? `${waiting.toLocaleString()} waiting to be sent` : null,
    failed > 0 ? `${failed.toLocaleString()} could not be sent` : null,
  ].filter(Boolean);
  // None new: an earlier export escalated them already.
  return parts.length > 0 ? parts.join(', ') : 'already sent for review';
}

function ExportsTable({ exports, now }: { exports: ExportView[]; now: number }) {
  if (exports.length === 0) {
    return (
      <p className="work-empty muted" data-testid="exports-empty">
        No exports yet. Export now, or stop the Prodigy session: your answers are packaged and uploaded to File 360.
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table work-table" aria-labelledby="exports-heading">
        <thead>
          <tr>
            <th scope="col">Exported</th>
            <th scope="col">How</th>
            <th scope="col">Answers</th>
            <th scope="col">Disputes</th>
            <th scope="col">Package</th>
            <th scope="col">Upload</th>
          </tr>
        </thead>
        <tbody>
          {exports.map((row) => (
            <tr key={row.id} data-testid="export-row">
              <td className="nowrap" title={formatDateTime(row.createdAt)}>
                {ago(row.createdAt, now)}
              </td>
              <td>{TRIGGER_WORDS[row.trigger]}</td>
              <td>
                <strong>{plural(row.annotations, 'answer')}</strong>
                <div className="muted small">
                  {row.counts.accept} accepted · {row.counts.reject} rejected · {row.counts.ignore} skipped · {row.counts.flagged} flagged
                </div>
              </td>
              <td>
                {row.disputes === 0 ? (
                  <span className="muted">None found</span>
                ) : (
                  <>
                    {plural(row.disputes, 'found', 'found')}
                    <div className="muted small" data-testid="export-escalated">
                      {escalatedWords(row.escalated)}
                    </div>
                  </>
                )}
              </td>
              <td className="nowrap" title={`sha256 ${row.packageSha256}`}>
                {formatBytes(row.packageSize)}
              </td>
              <td className="upload-cell">
                <span className={`badge upload-${row.upload.state}`} data-testid="export-upload">
                  {UPLOAD_WORDS[row.upload.state]}
                </span>
                {row.upload.lastError && (
                  <div className={`small ${row.upload.state === 'failed' ? 'work-error' : 'muted'}`}>
                    {row.upload.lastError}
                    {row.upload.state === 'failed' && (
                      <>
                        {' '}
                        <a href={outboxLink}>Open the Outbox</a>
                      </>
                    )}
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EscalationItem({ escalation, now }: { escalation: EscalationView; now: number }) {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const [applying, setApplying] = useState(false);
  const decision = escalation.decision;
  const headingId = useId();

  const applyAgain = async () => {
    setApplying(true);
    try {
      const view = await client.call('escalations.applyDecision', { id: escalation.id });
      if (view.appliedAt) toast('success', `The decision is now in Prodigy, in “${view.appliedDataset ?? ''}”.`);
      else toast('error', view.applyError ?? 'The decision could not be put into Prodigy.');
    } catch (error) {
      toast('error', errorMessage(error));
    } finally {
      setApplying(false);
    }
  };

  return (
    <li id={`escalation-${escalation.id}`} tabIndex={-1} className={`escalation escalation-${escalation.state}`} aria-labelledby={headingId} data-testid="escalation">
      <div className="escalation-head">
        <span className={`chip reason-chip reason-${escalation.reason}`}>{REASON_WORDS[escalation.reason]}</span>
        {escalation.priority === 'high' && <span className="badge priority-high">High priority</span>}
        <span className={`badge escalation-state state-${escalation.state}`} data-testid="escalation-state">
          {ESCALATION_STATE_WORDS[escalation.state]}
        </span>
        <span className="muted small escalation-time" title={formatDateTime(escalation.createdAt)}>
          {ago(escalation.createdAt, now)}
        </span>
      </div>
      <h4 id={headingId} className="escalation-text">
        “{escalation.text}”
      </h4>
      {escalation.note && (
        <p className="escalation-note">
          <span className="muted">{escalation.reason === 'question' ? 'You asked: ' : 'Note: '}</span>
          {escalation.note}
        </p>
      )}
      {escalation.sendError && (
        <p className={`small ${escalation.state === 'failed' ? 'work-error' : 'muted'}`}>
          {escalation.state === 'failed' ? 'Not sent: ' : 'Last try: '}
          {escalation.sendError} {escalation.state === 'failed' && <a href={outboxLink}>Open the Outbox</a>}
        </p>
      )}
      {decision && (
        <div id={`decision-${escalation.id}`} tabIndex={-1} className={`decision decision-${decision.outcome}`} data-testid="decision">
          <p className="decision-line">
            <strong>{OUTCOME_WORDS[decision.outcome]}</strong> by {decision.reviewer}{' '}
            <span className="muted" title={formatDateTime(decision.time)}>
              {ago(decision.time, now)}
            </span>
          </p>
          <DecisionChange change={decision.change} />
          {decision.comment && <blockquote className="decision-comment">{decision.comment}</blockquote>}
          {escalation.appliedDataset ? (
            <p className="small decision-applied">
              In Prodigy, in the dataset <code>{escalation.appliedDataset}</code>.
            </p>
          ) : escalation.applyError ? (
            <div className="decision-problem">
              <p className="small work-error">Not in Prodigy yet: {escalation.applyError}</p>
              <button type="button" className="button" disabled={applying} onClick={() => void applyAgain()}>
                {applying ? 'Trying…' : 'Try again'}
              </button>
            </div>
          ) : (
            <p className="small muted">Being put into Prodigy…</p>
          )}
        </div>
      )}
    </li>
  );
}

interface AskErrors {
  key?: string;
  question?: string;
  form?: string;
}

/** Asking about an item: picked here, or already chosen where the dialog was opened from (`about`, from My answers). */
export function AskDialog({ assignment, about = null, onClose }: { assignment: AssignmentDetail; about?: AskCandidate | null; onClose(): void }) {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState('');
  const [candidates, setCandidates] = useState<AskCandidate[] | null>(null);
  const [key, setKey] = useState<string | null>(about?.key ?? null);
  const [question, setQuestion] = useState('');
  const [priority, setPriority] = useState<'normal' | 'high'>('normal');
  const [errors, setErrors] = useState<AskErrors>({});
  const [sending, setSending] = useState(false);
  const [chosen, setChosen] = useState<AskCandidate | null>(about);
  const ids = useId();

  useModal(dialog);

  // Searching runs as the user types, a moment after they stop.
  useEffect(() => {
    let current = true;
    const timer = window.setTimeout(
      () =>
        client.call('escalations.candidates', { assignmentId: assignment.id, query: query.trim() }).then(
          (found) => current && setCandidates(found),
          (error: unknown) => current && setErrors((previous) => ({ ...previous, form: errorMessage(error) })),
        ),
      query ? 250 : 0,
    );
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [client, assignment.id, query]);

  const choose = (candidate: AskCandidate) => {
    setKey(candidate.key);
    setChosen(candidate);
    setErrors((previous) => ({ ...previous, key: undefined }));
  };

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const found: AskErrors = {};
    if (!key) found.key = 'Pick the item your question is about.';
    if (!question.trim()) found.question = 'Write your question for the reviewer.';
    setErrors(found);
    if (found.key || found.question || !key) {
      const form = dialog.current;
      const target = found.key ? (form?.querySelector<HTMLElement>('input[name="ask-item"]') ?? form?.querySelector<HTMLElement>('input[type="search"]')) : form?.querySelector<HTMLElement>('textarea');
      target?.focus();
      return;
    }
    setSending(true);
    try {
      await client.call('escalations.ask', { assignmentId: assignment.id, key, question, priority });
      toast('success', 'Your question is queued for the reviewers. It is sent as soon as you are online.');
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'INVALID_INPUT' && error.issues.length > 0) {
        const next: AskErrors = {};
        for (const issue of error.issues) {
          if (issue.path === 'question') next.question = issue.message;
          else if (issue.path === 'key') next.key = issue.message;
          else next.form = issue.message;
        }
        setErrors(next);
      } else {
        toast('error', errorMessage(error));
      }
    } finally {
      setSending(false);
    }
  };

  const listed = candidates ?? [];
  // The chosen item stays in view while another search runs.
  const shown = chosen && !listed.some((candidate) => candidate.key === chosen.key) ? [chosen, ...listed] : listed;

  return (
    <dialog
      ref={dialog}
      className="ask-dialog"
      aria-labelledby={`${ids}-title`}
      aria-describedby={`${ids}-intro`}
      onCancel={(event) => {
        event.preventDefault();
        if (!sending) onClose();
      }}
    >
      <form className="ask-form" onSubmit={(event) => void send(event)} noValidate>
        <h2 id={`${ids}-title`}>Ask a reviewer</h2>
        <p id={`${ids}-intro`} className="muted ask-intro">
          Pick an item you have answered and say what you want to know. The reviewers of “{assignment.name}” get your question with the item and your
          answer; their decision comes back into Prodigy.
        </p>

        <div className="ask-field">
          <label htmlFor={`${ids}-search`}>Find an answered item</label>
          <input
            id={`${ids}-search`}
            type="search"
            value={query}
            placeholder="Words from the item’s text"
            aria-controls={`${ids}-items`}
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>

        <fieldset className={`ask-items${errors.key ? ' invalid' : ''}`} aria-describedby={errors.key ? `${ids}-key-error` : undefined}>
          <legend>Item</legend>
          <div id={`${ids}-items`} className="ask-list" aria-busy={candidates === null} data-testid="ask-candidates">
            {candidates === null ? (
              <p className="muted ask-list-note">Looking…</p>
            ) : shown.length === 0 ? (
              <p className="muted ask-list-note">{query.trim() ? `No answered item contains “${query.trim()}”.` : 'Nothing answered yet. Answer items in Prodigy first, then ask about them.'}</p>
            ) : (
              shown.map((candidate) => (
                <label key={candidate.key} className={`candidate${candidate.key === key ? ' chosen' : ''}`}>
                  <input type="radio" name="ask-item" value={candidate.key} checked={candidate.key === key} onChange={() => choose(candidate)} />
                  <span className="candidate-body">
                    <span className="candidate-text">{candidate.text}</span>
                    <span className="candidate-answer small">
                      <span className={`answer-${candidate.answer}`}>{ANSWER_WORDS[candidate.answer]}</span>
                      {candidate.summary && candidate.summary !== candidate.answer ? ` · ${candidate.summary}` : ''}
                    </span>
                  </span>
                </label>
              ))
            )}
          </div>
          {errors.key && (
            <p id={`${ids}-key-error`} className="field-error">
              {errors.key}
            </p>
          )}
        </fieldset>

        <div className={`ask-field${errors.question ? ' invalid' : ''}`}>
          <label htmlFor={`${ids}-question`}>Your question</label>
          <textarea
            id={`${ids}-question`}
            rows={4}
            value={question}
            required
            maxLength={4000}
            aria-invalid={errors.question ? true : undefined}
            aria-describedby={errors.question ? `${ids}-question-error` : undefined}
            placeholder="For example: is a refund after cancelling “billing” or “cancellation”?"
            onChange={(event) => {
              setQuestion(event.target.value);
              if (errors.question) setErrors((previous) => ({ ...previous, question: undefined }));
            }}
          />
          {errors.question && (
            <p id={`${ids}-question-error`} className="field-error">
              {errors.question}
            </p>
          )}
        </div>

        <fieldset className="ask-priority">
          <legend>Priority</legend>
          <label>
            <input type="radio" name="ask-priority" value="normal" checked={priority === 'normal'} onChange={() => setPriority('normal')} /> Normal
          </label>
          <label>
            <input type="radio" name="ask-priority" value="high" checked={priority === 'high'} onChange={() => setPriority('high')} /> High: it blocks my work
          </label>
        </fieldset>

        {errors.form && (
          <p className="field-error" role="alert">
            {errors.form}
          </p>
        )}
        <div className="ask-actions">
          <button type="button" className="button" disabled={sending} onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={sending}>
            {sending ? 'Sending…' : 'Send'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Exports, escalations and the decisions that came back, for one assignment. */
export function WorkSection({ assignment }: { assignment: AssignmentDetail }) {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const [exporting, setExporting] = useState(false);
  const [asking, setAsking] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const id = assignment.id;

  const readExports = useCallback(() => client.call('exports.list', { id }), [client, id]);
  const exportEvents = useCallback(
    (reload: () => void) => [
      client.on('exports.changed', (changed) => changed.assignmentId === id && reload()),
      // The upload state of a package moves with the outbox.
      client.on('outbox.changed', reload),
    ],
    [client, id],
  );
  const readEscalations = useCallback(() => client.call('escalations.list', { assignmentId: id }), [client, id]);
  const escalationEvents = useCallback((reload: () => void) => [client.on('escalations.changed', reload), client.on('outbox.changed', reload)], [client]);
  const exports = useLive(readExports, exportEvents);
  const escalations = useLive(readEscalations, escalationEvents);

  // Opened at a decision (from its notification): once it is listed, it is brought into view and focus, once.
  const decision = useApp((state) => state.route.decision);
  const shownDecision = useRef<string | null>(null);
  useEffect(() => {
    if (!decision || shownDecision.current === decision) return;
    const decided = escalations.value?.find((escalation) => escalation.remoteId === decision && escalation.decision);
    if (decided && bringIntoView(`decision-${decided.id}`)) shownDecision.current = decision;
  }, [decision, escalations.value]);

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(timer);
  }, []);

  const canUpload = assignment.permissions.includes('upload');
  const canEscalate = assignment.permissions.includes('escalate');
  const wiped = Boolean(assignment.wiped);

  const exportNow = async () => {
    setExporting(true);
    try {
      const result = await client.call('exports.run', { id });
      toast(result.exported ? 'success' : 'info', result.message);
      setNow(Date.now());
      exports.reload();
    } catch (error) {
      toast('error', errorMessage(error));
    } finally {
      setExporting(false);
    }
  };

  const closeAsk = () => setAsking(false);

  const exportWhyNot = wiped ? 'The files were removed from this computer.' : canUpload ? undefined : 'This assignment does not allow uploading work.';
  const askWhyNot = wiped ? 'The files were removed from this computer.' : canEscalate ? undefined : 'This assignment does not allow escalating items.';

  return (
    <section aria-labelledby="work-heading" className="work-section">
      <div className="section-bar work-bar">
        <div>
          <h2 id="work-heading">Exports and reviews</h2>
          <p className="muted small work-intro">Your answers leave this computer as packages; disputed items and your questions go to the reviewers.</p>
        </div>
        <div className="work-actions">
          <button type="button" className="button" disabled={Boolean(askWhyNot)} title={askWhyNot} onClick={() => setAsking(true)}>
            Ask a reviewer…
          </button>
          <button type="button" className="button primary" disabled={exporting || Boolean(exportWhyNot)} title={exportWhyNot} onClick={() => void exportNow()}>
            {exporting ? 'Exporting…' : 'Export now'}
          </button>
        </div>
      </div>

      <div className="work-block" aria-busy={exports.value === null}>
        <div className="section-bar">
          <h3 id="exports-heading" className="work-subheading">
            Exports
          </h3>
          <a className="small" href={routeToHash({ section: 'assignments', id, view: 'lineage' })} title="Where each package came from, and what reviewers decided">
            Lineage<span aria-hidden="true"> →</span>
          </a>
        </div>
        {exports.value !== null && <ExportsTable exports={exports.value} now={now} />}
      </div>

      <AgreementSection assignmentId={id} />

      <div className="work-block" aria-busy={escalations.value === null}>
        <h3 className="work-subheading">Sent for review</h3>
        {escalations.value !== null &&
          (escalations.value.length === 0 ? (
            <p className="work-empty muted" data-testid="escalations-empty">
              Nothing sent for review yet. Exports send flagged, skipped and disputed items to the reviewers; you can also ask about any item you answered.
            </p>
          ) : (
            <ul className="escalation-list" aria-label="Items sent for review">
              {escalations.value.map((escalation) => (
                <EscalationItem key={escalation.id} escalation={escalation} now={now} />
              ))}
            </ul>
          ))}
      </div>
      {asking && <AskDialog assignment={assignment} onClose={closeAsk} />}
    </section>
  );
}

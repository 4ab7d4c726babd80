import { useEffect, useRef, useState } from 'react';
import type { ReviewDetail } from '../../../../shared/api/schemas/reviews';
import { routeToHash } from '../../../../shared/routes';
import { errorMessage } from '../../client';
import { DecisionChange } from '../../components/DecisionChange';
import { Page } from '../../components/Page';
import { formatDateTime, formatRelative } from '../../format';
import { useApp, useClient } from '../../store';
import { ACTIONS, DecisionPanel, MOD_KEY } from './Decision';
import { knows, neighbour, position, rememberOrder } from './queue';
import { Kbd, ShortcutHelp, useShortcuts, type ShortcutRow } from './shortcuts';
import { DueText, ReviewStatus } from './ReviewList';
import { TaskContent, TaskMeta } from './TaskView';
import { Versions } from './Versions';
import { useNow } from './useNow';
import { OUTCOME_WORDS, REASON_TITLES, REASON_WORDS, capitalize, noteHeading, pendingWords, personWords, sinceWords } from './words';

const ITEM_SHORTCUTS: ShortcutRow[] = [
  ...ACTIONS.map(([, words, key]): ShortcutRow => [<Kbd key={key}>{key}</Kbd>, `Choose ${words}; then Enter sends it`]),
  [
    <>
      <Kbd>1</Kbd>…<Kbd>9</Kbd>
    </>,
    'Pick that version',
  ],
  [
    <>
      <Kbd>{MOD_KEY}</Kbd>+<Kbd>Enter</Kbd>
    </>,
    'Send the decision, also from the comment field',
  ],
  [<Kbd key="esc">Esc</Kbd>, 'Leave the comment field, so the keys work again'],
  [<Kbd key="j">J</Kbd>, 'Next item in the list'],
  [<Kbd key="k">K</Kbd>, 'Previous item'],
  [<Kbd key="?">?</Kbd>, 'Show or hide these shortcuts'],
];

/** Back to the list, where this item is in it, Previous and Next, and the keys that do the same. */
function ItemNav({ id, help, onHelp }: { id: string; help: boolean; onHelp(open: boolean): void }) {
  const navigate = useApp((state) => state.navigate);
  const at = position(id);
  const previous = neighbour(id, -1);
  const next = neighbour(id, 1);
  return (
    <nav className="rv-item-nav" aria-label="Review items">
      <a className="back-link" href={routeToHash({ section: 'reviews' })}>
        ← All reviews
      </a>
      <div className="rv-item-steps">
        {at && <span className="muted small" data-testid="item-position">{`Item ${at.index + 1} of ${at.total}`}</span>}
        <button type="button" className="button ghost rv-small-button" disabled={!previous} aria-keyshortcuts="K" onClick={() => previous && navigate({ section: 'reviews', id: previous })}>
          ← Previous <Kbd>K</Kbd>
        </button>
        <button type="button" className="button ghost rv-small-button" disabled={!next} aria-keyshortcuts="J" onClick={() => next && navigate({ section: 'reviews', id: next })}>
          Next <Kbd>J</Kbd> →
        </button>
      </div>
      <ShortcutHelp rows={ITEM_SHORTCUTS} open={help} onToggle={onHelp} />
    </nav>
  );
}

/** After a decision: what was decided, by whom, and where it is on its way. */
function Outcome({ detail, comment }: { detail: ReviewDetail; comment: string | null }) {
  const navigate = useApp((state) => state.navigate);
  const status = useApp((state) => state.status);
  const now = useNow();
  const online = status?.connection === 'online';
  const pending = detail.pending;
  const decision = detail.decision;
  const who = personWords(decision?.reviewer ?? null, status?.user);
  const mine = Boolean(pending) || who === 'you';
  const outcome = pending?.outcome ?? decision?.outcome;
  const shownComment = comment ?? decision?.comment ?? null;
  const change = pending?.change ?? decision?.change ?? null;
  const next = neighbour(detail.id, 1);
  const title = useRef<HTMLHeadingElement>(null);
  // The button that sent the decision is gone: the focus goes to what happened, so a screen reader says it and J goes on.
  useEffect(() => {
    if (document.activeElement === document.body) title.current?.focus({ preventScroll: true });
  }, []);

  let heading: string;
  if (outcome) heading = mine ? `You ${OUTCOME_WORDS[outcome].toLowerCase()} this item` : `${capitalize(who ?? 'another reviewer')} ${OUTCOME_WORDS[outcome].toLowerCase()} this item`;
  else heading = 'This item is decided';

  let progress: string;
  let tone = 'banner-ok';
  if (pending) {
    progress = pendingWords(pending, online);
    if (pending.state === 'failed') {
      tone = 'banner-error';
      progress = `Not sent: ${pending.error ?? 'File 360 refused it.'} Retry or discard it in the Outbox.`;
    } else if (pending.state === 'queued' && !online) {
      tone = 'banner-warn';
      progress = 'Saved on this computer. Sent when you are online.';
    } else if (pending.state === 'discarded') {
      tone = 'banner-warn';
      progress = 'It was discarded in the Outbox and will not be sent.';
    } else progress = `Saved on this computer. ${progress}.`.replace('….', '…');
  } else if (decision) {
    const when = sinceWords(formatRelative(decision.time, now));
    progress = mine ? `Sent to File 360 ${when}. The annotator’s app puts it into Prodigy with your comment.` : `Decided ${when}.`;
  } else progress = '';

  return (
    <section className="card rv-outcome" aria-labelledby="rv-outcome-heading" data-testid="review-outcome">
      <h2 id="rv-outcome-heading" tabIndex={-1} ref={title}>
        {heading}
      </h2>
      <DecisionChange change={change} />
      {progress && (
        <div className={`banner ${tone}`} role="status" data-testid="review-outcome-state">
          {progress}
        </div>
      )}
      {shownComment && (
        <figure className="rv-outcome-comment">
          <figcaption className="muted small">Comment</figcaption>
          <blockquote>{shownComment}</blockquote>
        </figure>
      )}
      <div className="form-actions">
        {next && (
          <button type="button" className="button primary" aria-keyshortcuts="J" onClick={() => navigate({ section: 'reviews', id: next })}>
            Next item <Kbd>J</Kbd>
          </button>
        )}
        <button type="button" className={`button${next ? '' : ' primary'}`} onClick={() => navigate({ section: 'reviews' })}>
          Back to reviews
        </button>
        {pending?.state === 'failed' && (
          <button type="button" className="button" onClick={() => navigate({ section: 'outbox' })}>
            Open the Outbox
          </button>
        )}
      </div>
    </section>
  );
}

/** One escalation: opening it claims it; the reviewer reads the note and the versions, and decides. */
export function ReviewItem({ id }: { id: string }) {
  const client = useClient();
  const status = useApp((state) => state.status);
  const [detail, setDetail] = useState<ReviewDetail | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [picked, setPicked] = useState<number | null>(null);
  const [comment, setComment] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const [, setOrderKnown] = useState(knows(id));
  const navigate = useApp((state) => state.navigate);
  const now = useNow();

  // Opened from a notification or a link: Next walks the waiting items, as the list shows them.
  useEffect(() => {
    if (knows(id)) return;
    client.call('reviews.list', { state: 'open', due: 'any' }).then(
      (list) => {
        rememberOrder(list.items.map((item) => item.id));
        setOrderKnown(true);
      },
      () => undefined,
    );
  }, [client, id]);

  // Opening claims the item, so it happens once per visit, not on every change.
  useEffect(() => {
    let current = true;
    client.call('reviews.open', { id }).then(
      (opened) => {
        if (!current) return;
        setDetail(opened);
        setPicked(opened.versions.length === 1 ? 0 : null);
        setProblem(null);
      },
      (error: unknown) => current && setProblem(errorMessage(error)),
    );
    return () => {
      current = false;
    };
  }, [client, id]);

  // Later changes (sent, failed, decided elsewhere) come from the list, which does not claim again.
  useEffect(() => {
    const update = () => {
      client.call('reviews.list', { state: 'all', due: 'any' }).then(
        (list) => {
          const found = list.items.find((item) => item.id === id);
          if (found) setDetail((shown) => (shown ? { ...shown, ...found } : shown));
        },
        () => undefined,
      );
    };
    const offReviews = client.on('reviews.changed', update);
    const offOutbox = client.on('outbox.changed', update);
    return () => {
      offReviews();
      offOutbox();
    };
  }, [client, id]);

  const decided = Boolean(detail && (detail.pending || detail.decision || detail.state === 'completed'));
  const someoneElse = detail?.state === 'claimed' && !detail.mine;
  const canDecide = Boolean(detail) && !decided && !someoneElse;
  const go = (step: 1 | -1) => {
    const to = neighbour(id, step);
    if (to) navigate({ section: 'reviews', id: to });
  };
  useShortcuts({
    j: () => go(1),
    k: () => go(-1),
    '?': () => setHelp((open) => !open),
    ...Object.fromEntries((detail?.versions ?? []).slice(0, 9).map((_, index) => [String(index + 1), canDecide ? () => setPicked(index) : null])),
  });

  if (problem) {
    return (
      <Page title="Review item">
        <ItemNav id={id} help={help} onHelp={setHelp} />
        <div className="banner banner-error" role="alert">
          {problem}
        </div>
      </Page>
    );
  }
  if (!detail) {
    return (
      <Page title="Review item">
        <ItemNav id={id} help={help} onHelp={setHelp} />
        <p className="muted" aria-busy="true">
          Opening the item…
        </p>
      </Page>
    );
  }

  const me = status?.user;
  const raised = formatRelative(detail.created, now);
  const online = status?.connection === 'online';
  const claimed = detail.mine ? 'You' : detail.claimedBy;
  // Once decided by this reviewer, "already decided" says nothing new.
  const showClaimProblem = detail.claimProblem && !(decided && (detail.pending || personWords(detail.decision?.reviewer ?? null, me) === 'you'));

  return (
    <Page title={REASON_TITLES[detail.reason]} subtitle={`${detail.assignmentName ? `${detail.assignmentName} · ` : ''}Raised by ${detail.raisedBy} ${sinceWords(raised)}`}>
      <ItemNav id={id} help={help} onHelp={setHelp} />
      {showClaimProblem && (
        <div className="banner banner-warn" role="alert" data-testid="claim-problem">
          <span>
            {detail.claimProblem}
            {!canDecide && ' You can read it, but not decide it.'}
          </span>
        </div>
      )}
      <dl className="facts facts-row rv-facts">
        <div>
          <dt>Reason</dt>
          <dd>
            <span className={`badge rv-reason rv-reason-${detail.reason}`}>{REASON_WORDS[detail.reason]}</span>
          </dd>
        </div>
        <div>
          <dt>Priority</dt>
          <dd>{detail.priority === 'high' ? <span className="badge rv-high">High</span> : 'Normal'}</dd>
        </div>
        <div>
          <dt>Due</dt>
          <dd>
            <DueText review={detail} now={now} />
          </dd>
        </div>
        <div>
          <dt>Raised by</dt>
          <dd title={formatDateTime(detail.created)}>{detail.raisedBy}</dd>
        </div>
        <div>
          <dt>Claimed by</dt>
          <dd data-testid="claimed-by">{claimed ?? 'Nobody'}</dd>
        </div>
        <div>
          <dt>State</dt>
          <dd>
            <ReviewStatus review={detail} online={online} me={me} />
          </dd>
        </div>
      </dl>

      <section className="rv-note" aria-labelledby="rv-note-heading">
        <h2 id="rv-note-heading">
          {noteHeading(detail.reason, detail.raisedBy)}
        </h2>
        <p data-testid="review-note">{detail.note.trim() || 'No note was left with this item.'}</p>
      </section>

      <section className="card rv-item" aria-labelledby="rv-item-heading">
        <h2 id="rv-item-heading">The item</h2>
        <TaskContent task={detail.task} spans={[]} labels={detail.labels} />
        <TaskMeta task={detail.task} />
      </section>

      <section className="rv-versions-section" aria-labelledby="rv-versions-heading">
        <div className="section-bar">
          <h2 id="rv-versions-heading">{detail.versions.length > 1 ? `${detail.versions.length} versions, side by side` : 'The annotator’s version'}</h2>
          {canDecide && detail.versions.length > 1 && <span className="muted small">Pick the version you approve, or correct one.</span>}
        </div>
        <Versions detail={detail} picked={picked} onPick={setPicked} disabled={!canDecide} />
      </section>

      {canDecide ? (
        <DecisionPanel
          detail={detail}
          picked={picked}
          disabled={false}
          onDecided={(decidedDetail, text) => {
            setDetail(decidedDetail);
            setComment(text || null);
          }}
        />
      ) : decided ? (
        <Outcome detail={detail} comment={comment} />
      ) : null}
    </Page>
  );
}

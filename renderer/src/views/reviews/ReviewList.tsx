import { useCallback, useEffect, useRef, useState } from 'react';
import type { EscalationReason } from '../../../../shared/api/schemas/escalations';
import type { ApproveManyResult, ReviewList as ReviewListData, ReviewSummary } from '../../../../shared/api/schemas/reviews';
import { routeToHash } from '../../../../shared/routes';
import { errorMessage } from '../../client';
import { EmptyState, Page } from '../../components/Page';
import { formatDateTime, formatRelative, plural } from '../../format';
import { useApp, useClient } from '../../store';
import { BulkApproveDialog, BulkResult, bulkProblem } from './BulkApprove';
import { rememberOrder } from './queue';
import { Kbd, ShortcutHelp, useShortcuts, type ShortcutRow } from './shortcuts';
import { useNow } from './useNow';
import { OUTCOME_WORDS, REASON_WORDS, capitalize, pendingWords, personWords, sinceWords } from './words';

interface Filters {
  state: 'open' | 'claimed' | 'completed' | 'all';
  reason: EscalationReason | '';
  priority: 'normal' | 'high' | '';
  due: 'overdue' | 'day' | 'week' | 'any';
}

const DEFAULT_FILTERS: Filters = { state: 'open', reason: '', priority: '', due: 'any' };
/** The filters survive a visit to an item and back. */
let remembered: Filters = DEFAULT_FILTERS;

const STATE_OPTIONS: Array<[Filters['state'], string]> = [
  ['open', 'To do'],
  ['claimed', 'Claimed'],
  ['completed', 'Decided'],
  ['all', 'All'],
];
const DUE_OPTIONS: Array<[Filters['due'], string]> = [
  ['any', 'Any time'],
  ['overdue', 'Overdue'],
  ['day', 'Due within a day'],
  ['week', 'Due within a week'],
];

export function isOverdue(review: Pick<ReviewSummary, 'due' | 'decision' | 'pending' | 'state'>, now: number): boolean {
  return Boolean(review.due && Date.parse(review.due) < now && !review.decision && !review.pending && review.state !== 'completed');
}

/** Where an item stands: its decision, one on its way from here, or who has it. */
export function ReviewStatus({ review, online, me }: { review: ReviewSummary; online: boolean; me: { id: string; displayName: string } | null | undefined }) {
  const now = useNow();
  if (review.pending) {
    const failed = review.pending.state === 'failed';
    return (
      <div className="rv-status">
        <span className={`badge ${failed ? 'badge-problem' : review.pending.state === 'discarded' ? '' : 'rv-badge-pending'}`} data-testid="review-pending">
          {OUTCOME_WORDS[review.pending.outcome]} · {pendingWords(review.pending, online)}
        </span>
        {failed && review.pending.error && <span className="rv-status-error small">{review.pending.error}</span>}
        {failed && (
          <a className="small" href={routeToHash({ section: 'outbox' })}>
            Retry or discard it in the Outbox
          </a>
        )}
      </div>
    );
  }
  if (review.decision) {
    return (
      <div className="rv-status">
        <span className={`badge rv-outcome-${review.decision.outcome}`} data-testid="review-decision">
          {OUTCOME_WORDS[review.decision.outcome]}
        </span>
        <span className="muted small" title={formatDateTime(review.decision.time)}>
          by {personWords(review.decision.reviewer, me) ?? 'a reviewer'}, {sinceWords(formatRelative(review.decision.time, now))}
        </span>
      </div>
    );
  }
  if (review.state === 'completed') return <span className="badge">Decided</span>;
  return <span className={`badge${review.state === 'claimed' ? ' rv-badge-claimed' : ''}`}>{review.state === 'claimed' ? 'In review' : 'Open'}</span>;
}

export function DueText({ review, now }: { review: ReviewSummary; now: number }) {
  if (!review.due) return <span className="muted">—</span>;
  const overdue = isOverdue(review, now);
  return (
    <span className={overdue ? 'warn-text rv-overdue' : undefined} title={formatDateTime(review.due)}>
      {overdue ? `Overdue, due ${formatRelative(review.due, now)}` : capitalize(formatRelative(review.due, now))}
    </span>
  );
}

const LIST_SHORTCUTS: ShortcutRow[] = [
  [<Kbd key="space">Space</Kbd>, 'Select or clear the item whose box has the focus'],
  [
    <>
      <Kbd>Shift</Kbd>+<Kbd>Space</Kbd> or <Kbd>Shift</Kbd>+click
    </>,
    'Select every item from the last one you picked to this one',
  ],
  [<Kbd key="a">A</Kbd>, 'Approve the selected items (asks first)'],
  [<Kbd key="?">?</Kbd>, 'Show or hide these shortcuts'],
  [
    <>
      <Kbd>A</Kbd> <Kbd>C</Kbd> <Kbd>R</Kbd> <Kbd>J</Kbd> <Kbd>K</Kbd>
    </>,
    'On an item’s page: approve, correct, reject, next, previous',
  ],
];

interface Selection {
  selected: ReadonlySet<string>;
  /** Pick `id` (or, with `range`, every item from the last one picked to it) as `on`. */
  pick(id: string, on: boolean, range: boolean): void;
}

function ReviewRow({ review, now, online, me, selection }: { review: ReviewSummary; now: number; online: boolean; me: { id: string; displayName: string } | null | undefined; selection: Selection }) {
  const navigate = useApp((state) => state.navigate);
  const href = routeToHash({ section: 'reviews', id: review.id });
  const claimed = review.mine ? 'You' : review.claimedBy;
  const problem = bulkProblem(review);
  const checked = selection.selected.has(review.id);
  const name = `“${review.text || 'An item without text'}”`;
  return (
    <tr
      className={`rv-row${review.priority === 'high' ? ' rv-row-high' : ''}${review.decision || review.pending ? ' rv-row-done' : ''}${checked ? ' rv-row-selected' : ''}`}
      data-testid="review-row"
      onClick={(event) => {
        // The link and the box do this themselves; a click elsewhere on the row is a shortcut for opening it.
        if (!(event.target instanceof HTMLElement && event.target.closest('a, .rv-cell-select'))) navigate({ section: 'reviews', id: review.id });
      }}
    >
      <td className="rv-cell-select">
        {/* A decided item has nothing to approve; one that cannot be approved with others says why on hover and to a screen reader. */}
        {!(review.decision || review.pending || review.state === 'completed') && (
          <input
            type="checkbox"
            checked={checked}
            disabled={problem !== null}
            aria-label={problem ? `${name} cannot be approved with others: ${problem}` : `Select ${name}`}
            title={problem ?? undefined}
            onClick={(event) => {
              selection.pick(review.id, event.currentTarget.checked, event.shiftKey);
            }}
            onKeyDown={(event) => {
              // Shift+Space picks a range, as Shift+click does; plain Space toggles as any checkbox.
              if (event.key !== ' ' || !event.shiftKey) return;
              event.preventDefault();
              selection.pick(review.id, !checked, true);
            }}
            onChange={() => undefined}
          />
        )}
      </td>
      <td className="rv-cell-item">
        <a className="row-link rv-row-text" href={href}>
          {review.text || 'An item without text'}
        </a>
        {review.assignmentName && <div className="muted small">{review.assignmentName}</div>}
      </td>
      <td>
        <span className={`badge rv-reason rv-reason-${review.reason}`}>{REASON_WORDS[review.reason]}</span>
      </td>
      <td>{review.priority === 'high' ? <span className="badge rv-high">High</span> : <span className="muted">Normal</span>}</td>
      <td className="rv-cell-due">
        <DueText review={review} now={now} />
      </td>
      <td className="rv-cell-person">{review.raisedBy}</td>
      <td className="rv-cell-person">{claimed ?? <span className="muted">Nobody yet</span>}</td>
      <td>
        <ReviewStatus review={review} online={online} me={me} />
      </td>
    </tr>
  );
}

export function ReviewList() {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const status = useApp((state) => state.status);
  const [filters, setFiltersState] = useState<Filters>(remembered);
  const [list, setList] = useState<ReviewListData | null>(null);
  const [refreshing, setRefreshing] = useState(true);
  const now = useNow();
  const latest = useRef(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [approving, setApproving] = useState(false);
  const [result, setResult] = useState<ApproveManyResult | null>(null);
  const [help, setHelp] = useState(false);

  const setFilters = (next: Filters) => {
    remembered = next;
    setFiltersState(next);
  };

  const load = useCallback(() => {
    const call = ++latest.current;
    client
      .call('reviews.list', { state: filters.state, due: filters.due, ...(filters.reason ? { reason: filters.reason } : {}), ...(filters.priority ? { priority: filters.priority } : {}) })
      .then(
        (fetched) => {
          if (call !== latest.current) return;
          setList(fetched);
          // Next and Previous on an item's page follow the list as it was last shown.
          rememberOrder(fetched.items.map((item) => item.id));
        },
        (error: unknown) => toast('error', errorMessage(error)),
      );
  }, [client, filters, toast]);

  useEffect(() => load(), [load]);
  useEffect(() => {
    const offReviews = client.on('reviews.changed', load);
    // A decision on its way changes state in the Outbox (sent, failed) without changing the review list itself.
    const offOutbox = client.on('outbox.changed', load);
    return () => {
      offReviews();
      offOutbox();
    };
  }, [client, load]);

  /** Fetches what is new in File 360, then shows it with the filters of the moment. */
  const loadLatest = useRef(load);
  useEffect(() => {
    loadLatest.current = load;
  }, [load]);
  const fetchNew = useCallback(
    () =>
      client
        .call('reviews.refresh')
        .catch((error: unknown) => toast('error', errorMessage(error)))
        .finally(() => {
          setRefreshing(false);
          loadLatest.current();
        }),
    [client, toast],
  );
  const refresh = () => {
    setRefreshing(true);
    void fetchNew();
  };

  // Once per visit to the list (it starts out refreshing).
  useEffect(() => {
    void fetchNew();
  }, [fetchNew]);

  // Only what is shown and can still be approved stays selected: a filter or a decision elsewhere drops the rest.
  const selectable = (list?.items ?? []).filter((item) => bulkProblem(item) === null);
  const chosen = selectable.filter((item) => selected.has(item.id));
  const selection: Selection = {
    selected,
    pick(id, on, range) {
      const ids = selectable.map((item) => item.id);
      const from = range && anchor.current ? ids.indexOf(anchor.current) : -1;
      const to = ids.indexOf(id);
      const span = from >= 0 && to >= 0 ? ids.slice(Math.min(from, to), Math.max(from, to) + 1) : [id];
      const next = new Set(chosen.map((item) => item.id));
      for (const each of span) {
        if (on) next.add(each);
        else next.delete(each);
      }
      anchor.current = id;
      setSelected(next);
    },
  };
  const allOn = selectable.length > 0 && chosen.length === selectable.length;

  const approve = (comment: string) => {
    setApproving(true);
    client
      .call('reviews.approveMany', { ids: chosen.map((item) => item.id), comment })
      .then(
        (done) => {
          setResult(done);
          setSelected(new Set());
          setConfirming(false);
        },
        (error: unknown) => toast('error', errorMessage(error)),
      )
      .finally(() => {
        setApproving(false);
        loadLatest.current();
      });
  };

  useShortcuts({
    a: chosen.length > 0 ? () => setConfirming(true) : null,
    '?': () => setHelp((open) => !open),
  });

  const filtered = filters.state !== DEFAULT_FILTERS.state || filters.reason !== '' || filters.priority !== '' || filters.due !== 'any';
  const online = status?.connection === 'online';
  const me = status?.user;

  return (
    <Page
      title="Reviews"
      subtitle="Items escalated to you as a subject-matter expert: decide each one, and the annotator’s Prodigy gets your answer."
      actions={
        <button type="button" className="button" disabled={refreshing} onClick={refresh}>
          {refreshing ? 'Refreshing…' : 'Refresh'}
        </button>
      }
    >
      {list?.problem && (
        <div className="banner banner-warn" role="status" data-testid="reviews-problem">
          {list.problem} {list.items.length > 0 ? 'The list shows what was fetched before.' : ''}
        </div>
      )}
      {result && <BulkResult result={result} onDismiss={() => setResult(null)} />}
      <div className="rv-toolbar">
        <form className="filters" aria-label="Filter review items" onSubmit={(event) => event.preventDefault()}>
          <label>
            Show
            <select value={filters.state} onChange={(event) => setFilters({ ...filters, state: event.target.value as Filters['state'] })}>
              {STATE_OPTIONS.map(([value, words]) => (
                <option key={value} value={value}>
                  {words}
                </option>
              ))}
            </select>
          </label>
          <label>
            Reason
            <select value={filters.reason} onChange={(event) => setFilters({ ...filters, reason: event.target.value as Filters['reason'] })}>
              <option value="">Any reason</option>
              {(Object.keys(REASON_WORDS) as EscalationReason[]).map((reason) => (
                <option key={reason} value={reason}>
                  {REASON_WORDS[reason]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Priority
            <select value={filters.priority} onChange={(event) => setFilters({ ...filters, priority: event.target.value as Filters['priority'] })}>
              <option value="">Any priority</option>
              <option value="high">High</option>
              <option value="normal">Normal</option>
            </select>
          </label>
          <label>
            Due
            <select value={filters.due} onChange={(event) => setFilters({ ...filters, due: event.target.value as Filters['due'] })}>
              {DUE_OPTIONS.map(([value, words]) => (
                <option key={value} value={value}>
                  {words}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button ghost" disabled={!filtered} onClick={() => setFilters(DEFAULT_FILTERS)}>
            Clear filters
          </button>
        </form>
        <p className="muted small rv-refreshed" data-testid="reviews-refreshed">
          {list ? `${plural(list.items.length, 'item')} · ` : ''}
          {list?.refreshedAt ? <span title={formatDateTime(list.refreshedAt)}>Last refreshed {formatRelative(list.refreshedAt, now)}</span> : 'Not refreshed yet'}
        </p>
      </div>
      {list === null ? (
        <p className="muted" aria-busy="true">
          Loading…
        </p>
      ) : list.items.length === 0 ? (
        <EmptyState
          icon="reviews"
          title={filtered ? 'No items match these filters' : 'Nothing to review'}
          action={
            filtered ? (
              <button type="button" className="button" onClick={() => setFilters(DEFAULT_FILTERS)}>
                Clear filters
              </button>
            ) : undefined
          }
        >
          <p>
            {filtered
              ? 'Try another reason or due date, or show all items.'
              : 'When an annotator flags an item, asks a question, or annotators disagree on an assignment you review, it appears here with their versions and note.'}
          </p>
        </EmptyState>
      ) : (
        <>
        <div className="rv-bulk-bar" data-testid="bulk-bar">
          <p className="muted small" role="status">
            {chosen.length > 0 ? `${plural(chosen.length, 'item')} selected` : selectable.length > 0 ? 'Select waiting items to approve them together.' : 'No item here can be approved with others.'}
          </p>
          <button type="button" className="button primary" disabled={chosen.length === 0} aria-keyshortcuts="A" onClick={() => setConfirming(true)}>
            {chosen.length > 0 ? `Approve ${plural(chosen.length, 'item')}…` : 'Approve selected…'} <Kbd>A</Kbd>
          </button>
          {chosen.length > 0 && (
            <button type="button" className="button ghost" onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
          )}
          <ShortcutHelp rows={LIST_SHORTCUTS} open={help} onToggle={setHelp} />
        </div>
        <div className="table-wrap">
          <table className="table rv-table">
            <thead>
              <tr>
                <th scope="col" className="rv-cell-select">
                  <input
                    type="checkbox"
                    aria-label="Select every waiting item in the list"
                    checked={allOn}
                    disabled={selectable.length === 0}
                    ref={(box) => {
                      if (box) box.indeterminate = chosen.length > 0 && !allOn;
                    }}
                    onChange={() => setSelected(new Set(allOn ? [] : selectable.map((item) => item.id)))}
                  />
                </th>
                <th scope="col">Item</th>
                <th scope="col">Reason</th>
                <th scope="col">Priority</th>
                <th scope="col">Due</th>
                <th scope="col">Raised by</th>
                <th scope="col">Claimed by</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((review) => (
                <ReviewRow key={review.id} review={review} now={now} online={online} me={me} selection={selection} />
              ))}
            </tbody>
          </table>
        </div>
        </>
      )}
      {confirming && chosen.length > 0 && <BulkApproveDialog items={chosen} busy={approving} onCancel={() => setConfirming(false)} onConfirm={approve} />}
    </Page>
  );
}

import { useCallback, useEffect, useId, useState } from 'react';
import type { AnswerFilter, AnswerPage, AnswerRow } from '../../../../shared/api/schemas/answers';
import type { AssignmentDetail } from '../../../../shared/api/schemas/assignments';
import { ANSWER_WORDS } from '../../../../shared/decisions';
import { routeToHash } from '../../../../shared/routes';
import { errorMessage } from '../../client';
import { EmptyState, Page } from '../../components/Page';
import { formatDateTime, formatRelative, plural } from '../../format';
import { useApp, useClient } from '../../store';
import { answerProgressWords } from '../assignments/answer-progress';
import { AskDialog } from '../assignments/WorkSection';
import '../assignments/answers.css';
import '../assignments/work.css';

const PAGE_SIZE = 25;

const FILTERS: Array<{ value: AnswerFilter; label: string }> = [
  { value: 'all', label: 'Every answer' },
  { value: 'accept', label: ANSWER_WORDS.accept },
  { value: 'reject', label: ANSWER_WORDS.reject },
  { value: 'ignore', label: ANSWER_WORDS.ignore },
  { value: 'flagged', label: 'Flagged' },
];

function AnswerItem({ row, now, onAsk }: { row: AnswerRow; now: number; onAsk: (() => void) | null }) {
  const textId = useId();
  return (
    <li className="answer-item" data-testid="answer-row">
      <p id={textId} className="answer-text">
        {row.text}
      </p>
      <div className="answer-meta small">
        <span className={`answer-${row.answer}`}>{ANSWER_WORDS[row.answer]}</span>
        {row.summary && <span data-testid="answer-labels">{row.summary}</span>}
        {row.flagged && <span className="badge badge-paused">Flagged</span>}
        {row.answeredAt && (
          <time className="muted" dateTime={row.answeredAt} title={formatDateTime(row.answeredAt)}>
            {formatRelative(row.answeredAt, now) === 'now' ? 'just now' : formatRelative(row.answeredAt, now)}
          </time>
        )}
        {onAsk && (
          <button type="button" className="button small-button" aria-describedby={textId} onClick={onAsk}>
            Ask a reviewer…
          </button>
        )}
      </div>
    </li>
  );
}

/** My answers: the signed-in person's own answers in one assignment, newest first, searched and paged in the core. */
export function AnswersView({ id }: { id: string }) {
  const client = useClient();
  const version = useApp((state) => state.assignmentsVersion);
  const [assignment, setAssignment] = useState<AssignmentDetail | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<AnswerFilter>('all');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<AnswerPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [answersVersion, setAnswersVersion] = useState(0);
  const [asking, setAsking] = useState<AnswerRow | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const ids = useId();

  useEffect(() => {
    let current = true;
    client.call('assignments.get', { id }).then(
      (detail) => {
        if (current) setAssignment(detail);
      },
      (e: unknown) => {
        if (current) setMissing(errorMessage(e));
      },
    );
    return () => {
      current = false;
    };
  }, [client, id, version]);

  // New answers arrive while a session runs: its count moving is the cue to read the page again.
  useEffect(() => {
    let timer: number | null = null;
    const stop = client.on('sessions.changed', (changed) => {
      if (changed.assignmentId !== id || timer !== null) return;
      timer = window.setTimeout(() => {
        timer = null;
        setAnswersVersion((n) => n + 1);
      }, 300);
    });
    return () => {
      stop();
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [client, id]);

  const read = useCallback(
    () => client.call('answers.list', { assignmentId: id, query: query.trim(), answer: filter, offset, limit: PAGE_SIZE }),
    [client, id, query, filter, offset],
  );

  useEffect(() => {
    let current = true;
    // Typing settles for a moment before the search runs.
    const timer = window.setTimeout(
      () =>
        read().then(
          (next) => {
            if (!current) return;
            setPage(next);
            setError(null);
            setNow(Date.now());
          },
          (e: unknown) => {
            if (current) setError(errorMessage(e));
          },
        ),
      query ? 250 : 0,
    );
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [read, query, answersVersion]);

  const back = (
    <a className="back-link" href={routeToHash({ section: 'assignments', id })}>
      ← {assignment?.name ?? 'The assignment'}
    </a>
  );
  if (missing) {
    return (
      <Page title="My answers">
        {back}
        <div className="banner banner-error">{missing}</div>
      </Page>
    );
  }

  const progress = assignment?.answers ? answerProgressWords(assignment.answers) : null;
  const canAsk = Boolean(assignment && !assignment.wiped && assignment.permissions.includes('escalate'));
  const searching = query.trim() !== '' || filter !== 'all';
  const last = page ? Math.min(page.total, page.offset + page.rows.length) : 0;

  return (
    <Page title="My answers" subtitle={assignment ? `Your answers in “${assignment.name}”, newest first` : undefined}>
      {back}
      <p className="muted answers-revisit" data-testid="answers-revisit">
        Prodigy cannot open one answered item again: a session shows only items not answered yet, and each answer is saved as you give it, so there is
        nothing left to undo. To change an answer, ask a reviewer about the item; their decision goes back into Prodigy.
      </p>
      <div className="answers-bar">
        <div className="answers-field">
          <label htmlFor={`${ids}-search`}>Search</label>
          <input
            id={`${ids}-search`}
            type="search"
            value={query}
            placeholder="Words from the text, or a label"
            aria-controls={`${ids}-list`}
            onChange={(event) => {
              setQuery(event.target.value);
              setOffset(0);
            }}
          />
        </div>
        <div className="answers-field">
          <label htmlFor={`${ids}-filter`}>Show</label>
          <select
            id={`${ids}-filter`}
            value={filter}
            onChange={(event) => {
              setFilter(event.target.value as AnswerFilter);
              setOffset(0);
            }}
          >
            {FILTERS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        {progress && (
          <p className="muted small answers-progress" data-testid="answers-progress">
            {progress.mine} · {progress.all}
          </p>
        )}
      </div>
      {error && (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      )}
      <div id={`${ids}-list`} aria-busy={page === null} aria-live="polite">
        {page !== null &&
          (page.total === 0 ? (
            searching ? (
              <p className="muted" data-testid="answers-none">
                No answer matches{query.trim() ? ` “${query.trim()}”` : ''}
                {filter !== 'all' ? ` among ${FILTERS.find((option) => option.value === filter)?.label.toLowerCase()} answers` : ''}.
              </p>
            ) : (
              <EmptyState icon="assignments" title="No answers yet">
                <p>Start annotating this assignment; your answers appear here as you give them.</p>
              </EmptyState>
            )
          ) : (
            <>
              <p className="small muted" data-testid="answers-count">
                {page.offset + 1}–{last} of {plural(page.total, searching ? 'matching answer' : 'answer')}
              </p>
              <ul className="answer-list" aria-label="Your answers">
                {page.rows.map((row) => (
                  <AnswerItem key={row.key} row={row} now={now} onAsk={canAsk ? () => setAsking(row) : null} />
                ))}
              </ul>
              {page.total > PAGE_SIZE && (
                <nav className="answers-pager" aria-label="Pages of answers">
                  <button type="button" className="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
                    Newer
                  </button>
                  <button type="button" className="button" disabled={last >= page.total} onClick={() => setOffset(offset + PAGE_SIZE)}>
                    Older
                  </button>
                </nav>
              )}
            </>
          ))}
      </div>
      {asking && assignment && (
        <AskDialog assignment={assignment} about={{ key: asking.key, text: asking.text, answer: asking.answer, summary: asking.summary }} onClose={() => setAsking(null)} />
      )}
    </Page>
  );
}

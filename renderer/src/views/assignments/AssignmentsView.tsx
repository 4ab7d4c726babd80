import type { AssignmentSummary } from '../../../../shared/api/schemas/assignments';
import { routeToHash } from '../../../../shared/routes';
import { WIPE_REASON_WORDS } from '../../../../shared/words';
import { errorMessage } from '../../client';
import { EmptyState, Page } from '../../components/Page';
import { SignInCard } from '../../components/SignInCard';
import { SyncBadge } from '../../components/SyncBits';
import { expiryCountdown, formatBytes, formatDay, formatRelative } from '../../format';
import { useApp, useClient } from '../../store';
import { AnswersView } from '../answers/AnswersView';
import { LineageView } from '../lineage/LineageView';
import { IN_ALL_NOTE, answerProgressWords } from './answer-progress';
import { AssignmentView } from './AssignmentView';
import { useAssignments, useMinuteClock } from './useAssignments';
import './answers.css';

/** Assignments: the list, one assignment when the route names it, or a page of it. */
export function AssignmentsSection() {
  const id = useApp((state) => state.route.id);
  const page = useApp((state) => state.route.view);
  if (id && page === 'lineage') return <LineageView id={id} />;
  if (id && page === 'answers') return <AnswersView id={id} />;
  return id ? <AssignmentView id={id} /> : <AssignmentsView />;
}

const RECENT_MS = 7 * 24 * 3600 * 1000;

function ProgressCell({ assignment }: { assignment: AssignmentSummary }) {
  if (!assignment.answers) return <span className="muted">—</span>;
  const words = answerProgressWords(assignment.answers);
  if (!words) return <span className="muted">Not started</span>;
  return (
    <a className="progress-cell" href={routeToHash({ section: 'assignments', id: assignment.id, view: 'answers' })} title="See your answers">
      <span>{words.mine}</span>
      <span className="muted small">{words.all}</span>
    </a>
  );
}

function AssignmentsView() {
  const client = useClient();
  const status = useApp((state) => state.status);
  const progress = useApp((state) => state.progress);
  const toast = useApp((state) => state.toast);
  const { assignments, error } = useAssignments({ followSessions: true });
  const now = useMinuteClock();
  const signedIn = Boolean(status?.user);
  const syncAll = () => client.call('sync.start', {}).catch((e: unknown) => toast('error', errorMessage(e)));

  if (!status || assignments === null) {
    return <Page title="Assignments">{error && <div className="banner banner-error">{error}</div>}</Page>;
  }
  if (!signedIn && assignments.length === 0) {
    return (
      <Page title="Assignments" subtitle="Files shared with you in File 360, ready to annotate offline.">
        <SignInCard />
      </Page>
    );
  }

  const recentlyWiped = assignments.filter((a) => a.wiped && now - Date.parse(a.wiped.at) < RECENT_MS);
  return (
    <Page
      title="Assignments"
      subtitle="Files shared with you in File 360, ready to annotate offline."
      actions={
        signedIn && (
          <button type="button" className="button primary" onClick={() => void syncAll()}>
            Sync all
          </button>
        )
      }
    >
      {!signedIn && (
        <div className="banner banner-warn" role="status">
          You are not signed in. Your files stay available here; sign in to get changes and new assignments.
        </div>
      )}
      {!signedIn && <SignInCard />}
      {recentlyWiped.map((a) => (
        <div key={a.id} className="banner banner-warn" role="status" data-testid="wipe-notice">
          “{a.name}” {WIPE_REASON_WORDS[a.wiped?.reason ?? 'removed']}, so its files were removed from this computer on {formatDay(a.wiped?.at ?? null)}.
          {a.wiped?.detail ? ` ${a.wiped.detail}` : ''}
        </div>
      ))}
      {assignments.length === 0 ? (
        <EmptyState icon="assignments" title="Nothing is shared with you yet">
          <p>When a project manager shares files with you in File 360, they appear here with their due date.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table assignments-table">
            <thead>
              <tr>
                <th scope="col">Assignment</th>
                <th scope="col">Due</th>
                <th scope="col">Expires</th>
                <th scope="col" className="num">Files</th>
                <th scope="col" className="num">Size</th>
                <th scope="col">Answered</th>
                <th scope="col">State</th>
                <th scope="col">Last synced</th>
              </tr>
            </thead>
            <tbody>
              {assignments.map((a) => {
                const expiry = expiryCountdown(a.expiration, now);
                return (
                  <tr key={a.id} className={a.wiped ? 'row-muted' : undefined} data-testid="assignment-row">
                    <td>
                      <a className="row-link" href={routeToHash({ section: 'assignments', id: a.id })}>
                        {a.name}
                      </a>
                      <div className="muted small">
                        {a.role === 'reviewer' ? 'Reviewer' : 'Annotator'}
                        {a.sharer ? ` · shared by ${a.sharer}` : ''}
                      </div>
                    </td>
                    <td className="nowrap" title={a.dueDate ?? undefined}>
                      {a.dueDate ? `${formatDay(a.dueDate)} (${formatRelative(a.dueDate, now)})` : '—'}
                    </td>
                    <td className={`nowrap${expiry.urgent && !a.wiped ? ' warn-text' : ''}`} title={a.expiration ?? undefined}>
                      {a.wiped ? '—' : expiry.text}
                    </td>
                    <td className="num">{a.fileCount.toLocaleString()}</td>
                    <td className="num nowrap">{formatBytes(a.totalSize)}</td>
                    <td data-testid="assignment-progress">
                      <ProgressCell assignment={a} />
                    </td>
                    <td>
                      <SyncBadge assignment={a} progress={progress[a.id]} />
                    </td>
                    <td className="nowrap">{a.sync.lastSyncedAt ? formatRelative(a.sync.lastSyncedAt, now) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {assignments.some((a) => a.answers && answerProgressWords(a.answers)) && (
            <p className="muted small table-note" data-testid="in-all-note">
              {IN_ALL_NOTE}
            </p>
          )}
        </div>
      )}
    </Page>
  );
}

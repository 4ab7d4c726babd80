import { useEffect, useState } from 'react';
import type { AssignmentDetail } from '../../../../shared/api/schemas/assignments';
import { routeToHash } from '../../../../shared/routes';
import { WIPE_REASON_WORDS, atTime, deliveryRuleWords } from '../../../../shared/words';
import { errorMessage } from '../../client';
import { Page } from '../../components/Page';
import { SessionActions, useSessions } from '../../components/SessionActions';
import { ProgressBar, SyncBadge, isSyncing } from '../../components/SyncBits';
import { expiryCountdown, formatBytes, formatDay, formatRelative, plural } from '../../format';
import { useApp, useClient } from '../../store';
import { IN_ALL_NOTE, answerProgressWords } from './answer-progress';
import { FileList } from './FileList';
import { GuidelinesSection } from './GuidelinesSection';
import { useMinuteClock } from './useAssignments';
import { WorkSection } from './WorkSection';

const DAY_MS = 86_400_000;

export function AssignmentView({ id }: { id: string }) {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const version = useApp((state) => state.assignmentsVersion);
  const progress = useApp((state) => state.progress[id]);
  const signedIn = useApp((state) => Boolean(state.status?.user));
  const [assignment, setAssignment] = useState<AssignmentDetail | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [problemsOnly, setProblemsOnly] = useState(false);
  const now = useMinuteClock();
  // A session to start, or for a reviewer's assignment the way to its work under Reviews; nothing that cannot be used.
  const session = useSessions()?.find((candidate) => candidate.assignmentId === id && (candidate.startable || candidate.inReviews)) ?? null;

  // Re-read when assignments change and when a run starts or ends; during a run the bar follows the progress events themselves.
  const refreshKey = `${version}:${progress?.state ?? ''}`;

  useEffect(() => {
    let current = true;
    client.call('assignments.get', { id }).then(
      (detail) => current && setAssignment(detail),
      (e: unknown) => current && setMissing(errorMessage(e)),
    );
    return () => {
      current = false;
    };
  }, [client, id, refreshKey]);

  const back = (
    <a className="back-link" href={routeToHash({ section: 'assignments' })}>
      ← All assignments
    </a>
  );
  if (missing) {
    return (
      <Page title="Assignment not found">
        {back}
        <div className="banner banner-error">{missing}</div>
      </Page>
    );
  }
  if (!assignment) return <Page title="Assignment">{back}</Page>;

  const syncing = isSyncing(assignment, progress);
  const act = (method: 'sync.start' | 'sync.pause' | 'sync.cancel') => client.call(method, { id }).catch((e: unknown) => toast('error', errorMessage(e)));
  // During a run, what the run has fetched since the page last read the assignment (at the run's start), partial files included.
  const running = syncing && progress?.state === 'syncing' ? progress : null;
  const onDisk = {
    files: Math.min(assignment.fileCount, assignment.sync.filesOnDisk + (running?.filesDone ?? 0)),
    bytes: assignment.sync.bytesOnDisk + (running?.bytesDone ?? 0),
  };
  const expiry = expiryCountdown(assignment.expiration, now);
  const answered = assignment.answers ? answerProgressWords(assignment.answers) : null;
  // Annotating (or, for a reviewer, Reviews) is the main action where there is one; syncing then steps back.
  const syncActions = syncing ? (
    <>
      <button type="button" className="button" onClick={() => void act('sync.pause')}>
        Pause
      </button>
      <button type="button" className="button ghost" onClick={() => void act('sync.cancel')}>
        Cancel
      </button>
    </>
  ) : (
    <button type="button" className={`button${session ? '' : ' primary'}`} disabled={!signedIn} title={signedIn ? undefined : 'Sign in to sync'} onClick={() => void act('sync.start')}>
      {assignment.sync.state === 'paused' ? 'Resume sync' : 'Sync'}
    </button>
  );
  // The rule for the last stretch is shown from a day before access ends, when the app starts sending at every session stop.
  const closingSoon = assignment.closing !== null && Date.parse(assignment.closing.endsAt) - now <= DAY_MS && Date.parse(assignment.closing.endsAt) > now;

  return (
    <Page
      title={assignment.name}
      subtitle={`${assignment.role === 'reviewer' ? 'Reviewer' : 'Annotator'}${assignment.sharer ? ` · shared by ${assignment.sharer}` : ''} · ${assignment.project.recipe} on “${assignment.project.dataset}”`}
      actions={
        !assignment.wiped && (
          <>
            {session && <SessionActions session={session} />}
            {syncActions}
          </>
        )
      }
    >
      {back}
      {assignment.wiped && (
        <div className="banner banner-warn" role="status">
          This assignment {WIPE_REASON_WORDS[assignment.wiped.reason]}, so its files were removed from this computer on{' '}
          {formatDay(assignment.wiped.at)}.{assignment.wiped.detail ? ` ${assignment.wiped.detail}` : ''}
        </div>
      )}
      {closingSoon && assignment.closing && (
        <div className="banner banner-warn" role="status" data-testid="delivery-rule">
          {deliveryRuleWords(atTime(Date.parse(assignment.closing.sendAt), now), atTime(Date.parse(assignment.closing.endsAt), now), now >= Date.parse(assignment.closing.sendAt))}
        </div>
      )}
      {assignment.sync.error && !syncing && (
        <div className="banner banner-error" role="alert">
          {assignment.sync.error}
        </div>
      )}
      {progress && <ProgressBar progress={progress} />}
      <dl className="facts facts-row">
        <div>
          <dt>State</dt>
          <dd>
            <SyncBadge assignment={assignment} progress={progress} />
          </dd>
        </div>
        <div>
          <dt>Due</dt>
          <dd>{assignment.dueDate ? `${formatDay(assignment.dueDate)} (${formatRelative(assignment.dueDate, now)})` : '—'}</dd>
        </div>
        <div>
          <dt>Expires</dt>
          <dd className={expiry.urgent ? 'warn-text' : undefined}>{assignment.wiped ? '—' : `${formatDay(assignment.expiration)} · ${expiry.text}`}</dd>
        </div>
        <div>
          <dt>On this computer</dt>
          <dd data-testid="on-disk">
            {plural(onDisk.files, 'file')} of {assignment.fileCount.toLocaleString()} · {formatBytes(onDisk.bytes)}
          </dd>
        </div>
        <div>
          <dt>Last synced</dt>
          <dd>{assignment.sync.lastSyncedAt ? formatRelative(assignment.sync.lastSyncedAt, now) : 'Never'}</dd>
        </div>
        {assignment.answers && (
          <div>
            <dt>Answered</dt>
            <dd data-testid="assignment-answered">
              {answered ? (
                <>
                  {answered.mine} · <span title={IN_ALL_NOTE}>{answered.all}</span> ·{' '}
                </>
              ) : (
                'Not started · '
              )}
              <a href={routeToHash({ section: 'assignments', id, view: 'answers' })}>My answers</a>
            </dd>
          </div>
        )}
        {assignment.project.labels.length > 0 && (
          <div>
            <dt>Labels</dt>
            <dd>{assignment.project.labels.join(', ')}</dd>
          </div>
        )}
      </dl>
      <GuidelinesSection assignmentId={id} refreshKey={refreshKey} />
      {assignment.role === 'annotator' && <WorkSection assignment={assignment} />}
      {!assignment.wiped && (
        <section aria-labelledby="files-heading" className="files-section">
          <div className="section-bar">
            <h2 id="files-heading">Files</h2>
            <label className="toggle">
              <input type="checkbox" checked={problemsOnly} onChange={(event) => setProblemsOnly(event.target.checked)} />
              Only files with problems ({assignment.sync.problems.toLocaleString()})
            </label>
          </div>
          <FileList key={`${id}:${problemsOnly}`} id={id} problemsOnly={problemsOnly} refreshKey={refreshKey} />
        </section>
      )}
    </Page>
  );
}

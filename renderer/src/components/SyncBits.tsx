import type { AssignmentSummary, SyncProgress } from '../../../shared/api/schemas/assignments';
import { formatBytes, formatDuration, formatRate, plural } from '../format';

const STATE_WORDS: Record<AssignmentSummary['sync']['state'], string> = {
  never: 'Not synced yet',
  syncing: 'Syncing',
  paused: 'Paused',
  synced: 'Up to date',
  changed: 'Changes to download',
  problem: 'Needs attention',
  wiped: 'Removed',
};

const AFTER_RUN: Record<SyncProgress['state'], AssignmentSummary['sync']['state']> = { syncing: 'syncing', finished: 'synced', paused: 'paused', stopped: 'problem' };

/**
 * Whether a run is going on, from the freshest source: the progress events
 * (a run's first and last event are sent as it starts and ends) when there
 * are any, else the assignment as last read.
 */
export function isSyncing(assignment: AssignmentSummary, progress: SyncProgress | undefined): boolean {
  return progress ? progress.state === 'syncing' : assignment.sync.state === 'syncing';
}

export function SyncBadge({ assignment, progress }: { assignment: AssignmentSummary; progress?: SyncProgress }) {
  const syncing = isSyncing(assignment, progress);
  // The run just ended and the assignment was read before it did: the end event says how it ended.
  const state = syncing ? 'syncing' : assignment.sync.state === 'syncing' && progress ? AFTER_RUN[progress.state] : assignment.sync.state;
  const running = syncing && progress?.state === 'syncing' && progress.bytesTotal > 0;
  const label = assignment.wiped
    ? 'Removed'
    : running
      ? `Syncing ${Math.floor((progress.bytesDone / progress.bytesTotal) * 100)}%`
      : STATE_WORDS[state];
  return <span className={`badge badge-${state}`}>{label}</span>;
}

const STOPPED_WORDS: Partial<Record<SyncProgress['state'], string>> = { finished: 'Sync finished', paused: 'Paused', stopped: 'Stopped' };

/** The bar the user watches during a sync: files, bytes, speed and time left, read out politely. */
export function ProgressBar({ progress }: { progress: SyncProgress }) {
  // A sync that found nothing to fetch has no counts worth reading: "0 files of 0" says less than "up to date".
  const noCounts = progress.filesTotal === 0;
  const notStarted = progress.state === 'stopped' && noCounts && progress.message !== null;
  const checking = progress.state === 'syncing' && noCounts;
  const fraction = progress.bytesTotal > 0 ? progress.bytesDone / progress.bytesTotal : !noCounts ? progress.filesDone / progress.filesTotal : notStarted || checking ? 0 : 1;
  const percent = Math.floor(fraction * 100);
  const parts = notStarted
    ? [progress.message ?? '']
    : checking
      ? ['comparing with File 360']
      : progress.state === 'finished' && noCounts
        ? ['every file was already up to date']
        : [`${plural(progress.filesDone, 'file')} of ${progress.filesTotal.toLocaleString()}`, `${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`];
  if (progress.state === 'syncing' && progress.rateBytesPerSecond > 0) parts.push(formatRate(progress.rateBytesPerSecond));
  if (progress.state === 'syncing' && progress.etaSeconds !== null && progress.etaSeconds > 0) parts.push(`about ${formatDuration(progress.etaSeconds)} left`);
  return (
    <div className="progress" data-testid="sync-progress">
      <div
        className={`progress-track progress-${progress.state}`}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%: ${parts.join(', ')}`}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="progress-text">
        <strong>{notStarted ? 'Not synced' : checking ? 'Checking for changes…' : STOPPED_WORDS[progress.state] ?? `${percent}%`}</strong>
        <span className="muted">{parts.join(' · ')}</span>
      </div>
    </div>
  );
}

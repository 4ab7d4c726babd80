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

export function SyncBadge({ assignment, progress }: { assignment: AssignmentSummary; progress?: SyncProgress }) {
  const state = assignment.sync.state;
  const running = state === 'syncing' && progress?.state === 'syncing' && progress.bytesTotal > 0;
  const label = assignment.wiped
    ? 'Removed'
    : running
      ? `Syncing ${Math.floor((progress.bytesDone / progress.bytesTotal) * 100)}%`
      : STATE_WORDS[state];
  return <span className={`badge badge-${state}`}>{label}</span>;
}

/** The bar the user watches during a sync: files, bytes, speed and time left, read out politely. */
export function ProgressBar({ progress }: { progress: SyncProgress }) {
  const fraction = progress.bytesTotal > 0 ? progress.bytesDone / progress.bytesTotal : progress.filesTotal > 0 ? progress.filesDone / progress.filesTotal : 1;
  const percent = Math.floor(fraction * 100);
  // A sync that found nothing to fetch has no counts worth reading: "0 files of 0" says less than "up to date".
  const nothingToFetch = progress.state === 'finished' && progress.filesTotal === 0;
  const parts = nothingToFetch
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
        <strong>{progress.state === 'finished' ? 'Sync finished' : progress.state === 'paused' ? 'Paused' : progress.state === 'stopped' ? 'Stopped' : `${percent}%`}</strong>
        <span className="muted">{parts.join(' · ')}</span>
      </div>
    </div>
  );
}

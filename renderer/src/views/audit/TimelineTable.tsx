import type { TimelineEntry } from '../../../../shared/api/schemas/audit';
import { AUDIT_TYPE_LABELS, type AuditType } from '../../../../shared/audit-types';
import { formatDateTime } from '../../format';
import { SOURCE_WORDS } from './TimelineFilters';

function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

/** This app's words for its own events; File 360's name for its. */
const eventWords = (entry: TimelineEntry) => (entry.source === 'local' ? (AUDIT_TYPE_LABELS[entry.type as AuditType] ?? entry.type) : (entry.name ?? entry.type));

export function TimelineTable({ entries, loading }: { entries: TimelineEntry[]; loading: boolean }) {
  return (
    <table className="table audit-table" aria-busy={loading}>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Recorded by</th>
          <th scope="col">#</th>
          <th scope="col">Event</th>
          <th scope="col">By</th>
          <th scope="col">Assignment</th>
          <th scope="col">File</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={`${entry.source}:${entry.key}`} data-testid="audit-row" data-source={entry.source}>
            <td className="nowrap">{formatDateTime(entry.ts)}</td>
            <td className="nowrap">
              <span className={`chip audit-source-${entry.source}`}>{SOURCE_WORDS[entry.source]}</span>
            </td>
            <td className="num">{entry.id ?? '—'}</td>
            <td>{eventWords(entry)}</td>
            <td className="nowrap">{entry.actor}</td>
            <td>{entry.assignmentId ?? '—'}</td>
            <td>{entry.fileId ?? '—'}</td>
            <td className="details" title={entry.hash ?? undefined}>
              {describeDetails(entry.details) || '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

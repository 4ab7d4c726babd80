import type { TimelineEntry } from '../../../../shared/api/schemas/audit';
import { AUDIT_TYPE_LABELS, type AuditType } from '../../../../shared/audit-types';
import { formatDateTime, formatDay, formatTime } from '../../format';
import { describeDetails } from './details';
import { SOURCE_WORDS } from './TimelineFilters';

/** This app's words for its own events; File 360's name for its. */
const eventWords = (entry: TimelineEntry) => (entry.source === 'local' ? (AUDIT_TYPE_LABELS[entry.type as AuditType] ?? entry.type) : (entry.name ?? entry.type));

/** Who did it, by name; the user id when this computer was never told the name; no one before anyone signed in. */
function byWords(entry: TimelineEntry): string {
  if (entry.actorName) return entry.actorName;
  return entry.actor.startsWith('user:') ? entry.actor.slice('user:'.length) : 'No one signed in';
}

/** A name, with its id on hover; the id itself when no name is known here. */
function Named({ name, id, what }: { name: string | null; id: string | null; what: 'assignment' | 'file' }) {
  if (id === null) return <td>—</td>;
  return (
    <td className={`named named-${what}`} title={id}>
      {name ?? <code>{id}</code>}
    </td>
  );
}

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
        {entries.map((entry) => {
          const details = describeDetails(entry);
          return (
            <tr key={`${entry.source}:${entry.key}`} data-testid="audit-row" data-source={entry.source}>
              {/* Day and time may sit on two lines, so that the details keep room to be read. */}
              <td className="audit-time" title={formatDateTime(entry.ts)}>
                <span>{formatDay(entry.ts)}</span> <span>{formatTime(entry.ts)}</span>
              </td>
              <td className="nowrap">
                <span className={`chip audit-source-${entry.source}`}>{SOURCE_WORDS[entry.source]}</span>
              </td>
              <td className="num">{entry.id ?? '—'}</td>
              <td>{eventWords(entry)}</td>
              <td title={entry.actor} data-testid="audit-by">
                {byWords(entry)}
              </td>
              <Named name={entry.assignmentName} id={entry.assignmentId} what="assignment" />
              <Named name={entry.fileName} id={entry.fileId} what="file" />
              <td className="details" title={details.hover || undefined}>
                {details.text || '—'}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

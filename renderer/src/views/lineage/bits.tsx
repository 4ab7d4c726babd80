import { formatDateTime, formatRelative } from '../../format';
import { useApp } from '../../store';

/** A hash or id shown short, with its whole value in the tooltip and a click away. */
export function Copyable({ value, label, keep = 12 }: { value: string; label: string; keep?: number }) {
  const toast = useApp((state) => state.toast);
  const shown = value.length > keep + 1 ? `${value.slice(0, keep)}…` : value;
  const copy = () =>
    navigator.clipboard.writeText(value).then(
      () => toast('success', `${label} copied.`),
      () => toast('error', `Copying was not allowed here. The ${label.toLowerCase()} is ${value}`),
    );
  return (
    <span className="copyable">
      <code title={value} data-value={value}>
        {shown}
      </code>
      <button type="button" className="bare-button copy-button" aria-label={`Copy the ${label.toLowerCase()}`} title={`Copy the ${label.toLowerCase()}`} onClick={() => void copy()}>
        Copy
      </button>
    </span>
  );
}

/** A time as an auditor needs it (exact), with how long ago for everyone else. */
export function When({ iso }: { iso: string }) {
  const ago = formatRelative(iso);
  return (
    <time className="lineage-time" dateTime={iso} title={iso}>
      {formatDateTime(iso)} <span className="muted">({ago === 'now' ? 'just now' : ago})</span>
    </time>
  );
}

/** A person by name, their File 360 id on hover (shown only when no name is known). */
export function Person({ person, organisation = null }: { person: { id: string; name: string | null }; organisation?: string | null }) {
  return (
    <span className="lineage-person" title={person.id}>
      <strong>{person.name ?? person.id}</strong>
      {organisation && <span className="muted"> ({organisation})</span>}
    </span>
  );
}

import type { AuditFacets, AuditSource } from '../../../../shared/api/schemas/audit';
import { AUDIT_TYPE_LABELS } from '../../../../shared/audit-types';

export interface Filters {
  source: AuditSource | '';
  type: string;
  assignmentId: string;
  from: string;
  to: string;
}

export const NO_FILTERS: Filters = { source: '', type: '', assignmentId: '', from: '', to: '' };

export const SOURCE_WORDS: Record<AuditSource, string> = { local: 'This computer', file360: 'File 360' };

export function TimelineFilters({ filters, facets, onChange }: { filters: Filters; facets: AuditFacets; onChange(filters: Filters): void }) {
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  const filtered = Object.values(filters).some(Boolean);
  return (
    <form className="filters audit-filters" onSubmit={(event) => event.preventDefault()} aria-label="Filter audit entries">
      <label>
        Recorded by
        <select value={filters.source} onChange={(e) => set({ source: e.target.value as Filters['source'] })}>
          <option value="">Both</option>
          <option value="local">{SOURCE_WORDS.local}</option>
          <option value="file360">{SOURCE_WORDS.file360}</option>
        </select>
      </label>
      <label>
        Event
        <select value={filters.type} onChange={(e) => set({ type: e.target.value })}>
          <option value="">All events</option>
          <optgroup label={SOURCE_WORDS.local}>
            {facets.types.map((type) => (
              <option key={type} value={type}>
                {AUDIT_TYPE_LABELS[type]}
              </option>
            ))}
          </optgroup>
          {facets.remoteTypes.length > 0 && (
            <optgroup label={SOURCE_WORDS.file360}>
              {facets.remoteTypes.map(({ type, name }) => (
                <option key={type} value={type}>
                  {name}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      <label>
        Assignment
        <select value={filters.assignmentId} onChange={(e) => set({ assignmentId: e.target.value })}>
          <option value="">All assignments</option>
          {facets.assignments.map(({ id, name }) => (
            <option key={id} value={id} title={id}>
              {name ?? id}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <input type="date" value={filters.from} onChange={(e) => set({ from: e.target.value })} />
      </label>
      <label>
        To
        <input type="date" value={filters.to} onChange={(e) => set({ to: e.target.value })} />
      </label>
      <button type="button" className="button ghost" disabled={!filtered} onClick={() => onChange(NO_FILTERS)}>
        Clear filters
      </button>
    </form>
  );
}

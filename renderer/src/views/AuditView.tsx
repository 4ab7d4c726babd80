import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry, AuditFacets, AuditVerification } from '../../../shared/api/schemas/audit';
import { AUDIT_TYPE_LABELS, type AuditType } from '../../../shared/audit-types';
import { errorMessage } from '../client';
import { Icon } from '../components/Icon';
import { EmptyState, Page } from '../components/Page';
import { dayBoundary, formatDateTime, plural } from '../format';
import { useApp, useClient } from '../store';

interface Filters {
  type: AuditType | '';
  assignmentId: string;
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { type: '', assignmentId: '', from: '', to: '' };
const PAGE = 100;

function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

function VerificationBanner({ result }: { result: AuditVerification | null }) {
  if (!result) return null;
  if (result.ok) {
    return (
      <div className="banner banner-ok" data-testid="audit-verification">
        <Icon name="shield-check" /> Chain intact: {plural(result.checked, 'entry', 'entries')} checked at {formatDateTime(result.verifiedAt)}.
      </div>
    );
  }
  return (
    <div className="banner banner-error" role="alert" data-testid="audit-verification">
      <Icon name="alert" /> The audit chain is broken at entry {result.firstBad?.id}: {result.firstBad?.reason} Entries before it were
      checked and are intact.
    </div>
  );
}

export function AuditView() {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [nextBeforeId, setNextBeforeId] = useState<number | null>(null);
  const [facets, setFacets] = useState<AuditFacets>({ types: [], assignments: [] });
  const verification = useApp((state) => state.auditVerification);
  const [loading, setLoading] = useState(true);

  const query = useCallback(
    (beforeId?: number) =>
      client.call('audit.list', {
        limit: PAGE,
        beforeId,
        type: filters.type || undefined,
        assignmentId: filters.assignmentId || undefined,
        from: dayBoundary(filters.from, 'start'),
        to: dayBoundary(filters.to, 'end'),
      }),
    [client, filters],
  );

  useEffect(() => {
    let current = true;
    Promise.all([query(), client.call('audit.facets')]).then(
      ([page, found]) => {
        if (!current) return;
        setEntries(page.entries);
        setNextBeforeId(page.nextBeforeId);
        setFacets(found);
        setLoading(false);
      },
      (error: unknown) => current && toast('error', errorMessage(error)),
    );
    return () => {
      current = false;
    };
  }, [client, query, toast]);

  // Walking the chain reads every entry, so it runs once per app session (and when asked), not on every visit.
  const verify = useCallback(
    () => client.call('audit.verify').then((auditVerification) => useApp.setState({ auditVerification }), (error: unknown) => toast('error', errorMessage(error))),
    [client, toast],
  );
  useEffect(() => {
    if (!useApp.getState().auditVerification) void verify();
  }, [verify]);

  const loadOlder = async () => {
    if (!nextBeforeId) return;
    try {
      const page = await query(nextBeforeId);
      setEntries((current) => [...current, ...page.entries]);
      setNextBeforeId(page.nextBeforeId);
    } catch (error) {
      toast('error', errorMessage(error));
    }
  };

  const filtered = filters !== NO_FILTERS && Object.values(filters).some(Boolean);

  return (
    <Page
      title="Audit log"
      subtitle="Every access and change made on this computer, chained so that any later edit shows."
      actions={
        <button type="button" className="button" onClick={() => void verify()}>
          Verify chain
        </button>
      }
    >
      <VerificationBanner result={verification} />
      <form className="filters" onSubmit={(event) => event.preventDefault()} aria-label="Filter audit entries">
        <label>
          Event
          <select value={filters.type} onChange={(e) => setFilters({ ...filters, type: e.target.value as AuditType | '' })}>
            <option value="">All events</option>
            {facets.types.map((type) => (
              <option key={type} value={type}>
                {AUDIT_TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Assignment
          <select value={filters.assignmentId} onChange={(e) => setFilters({ ...filters, assignmentId: e.target.value })}>
            <option value="">All assignments</option>
            {facets.assignments.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.target.value })} />
        </label>
        <label>
          To
          <input type="date" value={filters.to} onChange={(e) => setFilters({ ...filters, to: e.target.value })} />
        </label>
        <button type="button" className="button ghost" disabled={!filtered} onClick={() => setFilters(NO_FILTERS)}>
          Clear filters
        </button>
      </form>

      {!loading && entries.length === 0 ? (
        <EmptyState icon="audit" title={filtered ? 'No entries match these filters' : 'No audit entries yet'}>
          <p>{filtered ? 'Try a wider date range or another event type.' : 'Entries appear as soon as the app does something worth recording.'}</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-busy={loading}>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">By</th>
                <th scope="col">Assignment</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-testid="audit-row">
                  <td className="num">{entry.id}</td>
                  <td className="nowrap">{formatDateTime(entry.ts)}</td>
                  <td>{AUDIT_TYPE_LABELS[entry.type]}</td>
                  <td>{entry.actor}</td>
                  <td>{entry.assignmentId ?? '—'}</td>
                  <td className="details" title={entry.hash}>
                    {describeDetails(entry.details) || '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {nextBeforeId && (
            <button type="button" className="button ghost load-more" onClick={() => void loadOlder()}>
              Load older entries
            </button>
          )}
        </div>
      )}
    </Page>
  );
}

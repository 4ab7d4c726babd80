import { useCallback, useEffect, useState } from 'react';
import type { AuditFacets, TimelineCursor, TimelineEntry } from '../../../shared/api/schemas/audit';
import { errorMessage } from '../client';
import { EmptyState, Page } from '../components/Page';
import { dayBoundary } from '../format';
import { useApp, useClient } from '../store';
import { NO_FILTERS, TimelineFilters, type Filters } from './audit/TimelineFilters';
import { TimelineTable } from './audit/TimelineTable';
import { VerificationBanner } from './audit/VerificationBanner';
import './audit/audit.css';

const PAGE = 100;

export function AuditView() {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [entries, setEntries] = useState<TimelineEntry[]>([]);
  const [next, setNext] = useState<TimelineCursor | null>(null);
  const [facets, setFacets] = useState<AuditFacets>({ types: [], remoteTypes: [], assignments: [] });
  const verification = useApp((state) => state.auditVerification);
  const [loading, setLoading] = useState(true);

  const query = useCallback(
    (before?: TimelineCursor) =>
      client.call('audit.timeline', {
        limit: PAGE,
        before,
        source: filters.source || undefined,
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
        setNext(page.next);
        setFacets(found);
        setLoading(false);
      },
      (error: unknown) => current && toast('error', errorMessage(error)),
    );
    return () => {
      current = false;
    };
  }, [client, query, toast]);

  // The app checked the log at start; the view shows that result and walks the log again only when asked.
  useEffect(() => {
    if (useApp.getState().auditVerification) return;
    client.call('audit.lastCheck').then(
      (auditVerification) => useApp.setState({ auditVerification }),
      (error: unknown) => toast('error', errorMessage(error)),
    );
  }, [client, toast]);
  const verify = () =>
    client.call('audit.verify').then(
      (auditVerification) => useApp.setState({ auditVerification }),
      (error: unknown) => toast('error', errorMessage(error)),
    );

  const loadOlder = async () => {
    if (!next) return;
    try {
      const page = await query(next);
      setEntries((current) => [...current, ...page.entries]);
      setNext(page.next);
    } catch (error) {
      toast('error', errorMessage(error));
    }
  };

  const filtered = Object.values(filters).some(Boolean);

  return (
    <Page
      title="Audit log"
      subtitle="Every access and change on this computer, chained so that any later edit shows, beside File 360’s own record of the same assignments."
      actions={
        <button type="button" className="button" onClick={() => void verify()}>
          Verify log
        </button>
      }
    >
      <VerificationBanner result={verification} />
      <TimelineFilters filters={filters} facets={facets} onChange={setFilters} />

      {!loading && entries.length === 0 ? (
        <EmptyState icon="audit" title={filtered ? 'No entries match these filters' : 'No audit entries yet'}>
          <p>{filtered ? 'Try a wider date range, another event type or both sources.' : 'Entries appear as soon as the app does something worth recording.'}</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <TimelineTable entries={entries} loading={loading} />
          {next && (
            <button type="button" className="button ghost load-more" onClick={() => void loadOlder()}>
              Load older entries
            </button>
          )}
        </div>
      )}
    </Page>
  );
}

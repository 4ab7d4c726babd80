import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditFacets, TimelineCursor, TimelineEntry } from '../../../shared/api/schemas/audit';
import { errorMessage } from '../client';
import { EmptyState, Page } from '../components/Page';
import { dayBoundary } from '../format';
import { useApp, useClient } from '../store';
import { useLive } from './assignments/useLive';
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

  // Older pages loaded: the reader is in the history, so new entries do not shift the list under them.
  const [paged, setPaged] = useState(false);
  const generation = useRef(0);
  const loadFirst = useCallback(() => {
    const mine = ++generation.current;
    Promise.all([query(), client.call('audit.facets')]).then(
      ([page, found]) => {
        if (mine !== generation.current) return;
        setPaged(false);
        setEntries(page.entries);
        setNext(page.next);
        setFacets(found);
        setLoading(false);
      },
      (error: unknown) => mine === generation.current && toast('error', errorMessage(error)),
    );
  }, [client, query, toast]);

  useEffect(() => {
    loadFirst();
    return () => {
      generation.current += 1;
    };
  }, [loadFirst]);
  // File 360's side is brought up to date as the view opens; what it adds arrives as audit.changed. When File 360
  // cannot be reached the history as last fetched is what there is, and the view says nothing more about it.
  useEffect(() => {
    client.call('audit.fetchHistory').catch(() => undefined);
  }, [client]);
  useEffect(() => {
    if (paged) return;
    // Entries come in bursts (a sync writes one per file): one re-read per burst.
    let timer: number | null = null;
    const stop = client.on('audit.changed', () => {
      if (timer === null) timer = window.setTimeout(() => ((timer = null), loadFirst()), 150);
    });
    return () => {
      stop();
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [client, loadFirst, paged]);

  // The app checked the log at start: the banner shows where the chain stands from that check on, and follows
  // entries as they are written and batches as File 360 acknowledges them; it walks the log again only when asked.
  const readChain = useCallback(() => client.call('audit.chain'), [client]);
  const chainEvents = useCallback((reload: () => void) => [client.on('audit.changed', reload), client.on('outbox.changed', reload)], [client]);
  const chain = useLive(readChain, chainEvents);
  const verify = () =>
    client.call('audit.verify').then(
      () => chain.reload(),
      (error: unknown) => toast('error', errorMessage(error)),
    );

  const loadOlder = async () => {
    if (!next) return;
    try {
      const page = await query(next);
      setPaged(true);
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
      <VerificationBanner chain={chain.value} />
      <TimelineFilters filters={filters} facets={facets} onChange={setFilters} />

      {!loading && entries.length === 0 ? (
        <EmptyState icon="audit" title={filtered ? 'No entries match these filters' : 'No audit entries yet'}>
          <p>{filtered ? 'Try a wider date range, another event type or both sources.' : 'Entries appear as soon as the app does something worth recording.'}</p>
        </EmptyState>
      ) : (
        <div
          className="table-wrap"
          // Focusable, so that a table wider than the window can be scrolled from the keyboard.
          role="region"
          aria-label="Audit entries"
          tabIndex={0}
        >
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

import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { FileRowView } from '../../../../shared/api/schemas/assignments';
import { errorMessage } from '../../client';
import { formatBytes } from '../../format';
import { useApp, useClient } from '../../store';

const PAGE = 500;
const ROW_HEIGHT = 34;

const STATE_WORDS: Record<FileRowView['state'], string> = {
  pending: 'Waiting',
  done: 'On this computer',
  error: 'Failed',
  rejected: 'Refused',
};

/**
 * Every file of an assignment, however many: only the rows in view are in the
 * DOM (react-virtual), and only the pages in view are fetched. The parent keys
 * it by assignment and filter, so another list starts empty and at the top; a
 * refresh re-reads the pages in view and keeps showing the old rows meanwhile.
 */
export function FileList({ id, problemsOnly, refreshKey }: { id: string; problemsOnly: boolean; refreshKey: unknown }) {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const scroller = useRef<HTMLDivElement>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [pages, setPages] = useState<Map<number, FileRowView[]>>(new Map());
  /** Which refresh each page was last fetched for. */
  const fetched = useRef(new Map<number, unknown>());

  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const firstPage = Math.floor((items[0]?.index ?? 0) / PAGE);
  const lastPage = Math.floor((items.at(-1)?.index ?? 0) / PAGE);

  useEffect(() => {
    // Page 0 always: it also carries the total.
    for (const page of new Set([0, ...Array.from({ length: lastPage - firstPage + 1 }, (_, i) => firstPage + i)])) {
      if (fetched.current.get(page) === refreshKey) continue;
      fetched.current.set(page, refreshKey);
      client.call('assignments.files', { id, offset: page * PAGE, limit: PAGE, problemsOnly }).then(
        (result) => {
          if (page === 0) setTotal(result.total);
          setPages((known) => new Map(known).set(page, result.rows));
        },
        (e: unknown) => {
          fetched.current.delete(page);
          toast('error', errorMessage(e));
        },
      );
    }
  }, [client, id, problemsOnly, refreshKey, firstPage, lastPage, toast]);

  if (total === 0) return <p className="muted file-list-empty">{problemsOnly ? 'No file has a problem.' : 'No files yet.'}</p>;

  return (
    <div className="file-list" role="table" aria-label="Files" aria-rowcount={(total ?? 0) + 1}>
      <div className="file-row file-head" role="row">
        <span role="columnheader">Path</span>
        <span role="columnheader" className="num">
          Size
        </span>
        <span role="columnheader">State</span>
      </div>
      {/* The scroller is the rowgroup itself: a focusable wrapper with no role between the table and its rows breaks the table for screen readers. */}
      <div ref={scroller} className="file-scroller" role="rowgroup" style={{ height: (total ?? 1) * ROW_HEIGHT }} tabIndex={0} data-testid="file-scroller">
        <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = pages.get(Math.floor(item.index / PAGE))?.[item.index % PAGE];
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                className={`file-row${row?.state === 'error' || row?.state === 'rejected' ? ' file-problem' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                data-testid="file-row"
              >
                <span role="cell" className="file-path" title={row?.path}>
                  {row?.path ?? '…'}
                </span>
                <span role="cell" className="num">
                  {row ? formatBytes(row.size) : ''}
                </span>
                <span role="cell" className={`file-state state-${row?.state ?? 'pending'}`} title={row?.error ?? undefined}>
                  {row ? (row.error ? `${STATE_WORDS[row.state]}: ${row.error}` : STATE_WORDS[row.state]) : ''}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

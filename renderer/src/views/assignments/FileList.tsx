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
 * DOM (react-virtual), and only the pages in view are fetched.
 */
export function FileList({ id, problemsOnly, refreshKey }: { id: string; problemsOnly: boolean; refreshKey: unknown }) {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const scroller = useRef<HTMLDivElement>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [pages, setPages] = useState<Map<number, FileRowView[]>>(new Map());
  const asked = useRef(new Set<number>());

  // Another assignment or another filter is a different list: start it at the top.
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [id, problemsOnly]);

  useEffect(() => {
    // A new filter or a change on disk: start over, keeping what is shown until the new page arrives.
    asked.current = new Set([0]);
    let current = true;
    client.call('assignments.files', { id, offset: 0, limit: PAGE, problemsOnly }).then(
      (page) => {
        if (!current) return;
        setTotal(page.total);
        setPages(new Map([[0, page.rows]]));
      },
      (e: unknown) => current && toast('error', errorMessage(e)),
    );
    return () => {
      current = false;
    };
  }, [client, id, problemsOnly, refreshKey, toast]);

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
    for (let page = firstPage; page <= lastPage; page += 1) {
      if (asked.current.has(page)) continue;
      asked.current.add(page);
      client.call('assignments.files', { id, offset: page * PAGE, limit: PAGE, problemsOnly }).then(
        (result) => setPages((known) => new Map(known).set(page, result.rows)),
        () => asked.current.delete(page),
      );
    }
  }, [client, id, problemsOnly, firstPage, lastPage]);

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
      <div ref={scroller} className="file-scroller" tabIndex={0} data-testid="file-scroller">
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
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

import { useCallback, useEffect, useRef, useState } from 'react';
import type { NotificationPage } from '../../../../shared/api/schemas/notifications';
import { errorMessage } from '../../client';
import { useApp, useClient } from '../../store';

export interface Filters {
  filter: 'all' | 'unread';
  /** '' for every type. */
  type: string;
}

const PAGE = 50;
/** The most `notifications.list` returns at once. */
const MAX_LIMIT = 500;

/**
 * The notification center's list: the newest page, older pages on request,
 * re-read when anything changes. A re-read covers as many items as are shown,
 * so "Show older" pages do not fold away when a new one arrives.
 */
export function useNotifications({ filter, type }: Filters) {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const [page, setPage] = useState<NotificationPage | null>(null);
  const [hasOlder, setHasOlder] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const latest = useRef(0);
  const shown = useRef(PAGE);

  const reload = useCallback(() => {
    const call = ++latest.current;
    const limit = Math.min(MAX_LIMIT, Math.max(PAGE, shown.current));
    client.call('notifications.list', { filter, limit, ...(type ? { type } : {}) }).then(
      (result) => {
        if (call !== latest.current) return;
        shown.current = result.items.length;
        setPage(result);
        setHasOlder(result.items.length === limit);
      },
      (error: unknown) => toast('error', errorMessage(error)),
    );
  }, [client, filter, type, toast]);

  useEffect(() => {
    shown.current = PAGE;
    reload();
  }, [reload]);

  useEffect(() => {
    // Arrivals come in bursts (a catch-up after sleep): one re-read per burst is enough.
    let timer: number | null = null;
    const soon = () => {
      if (timer === null) timer = window.setTimeout(() => ((timer = null), reload()), 150);
    };
    const stops = [client.on('notifications.changed', soon), client.on('status.changed', soon)];
    return () => {
      for (const stop of stops) stop();
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [client, reload]);

  const showOlder = () => {
    const oldest = page?.items.at(-1);
    if (!oldest) return;
    const call = ++latest.current;
    setLoadingOlder(true);
    client
      .call('notifications.list', { filter, limit: PAGE, beforeId: oldest.id, ...(type ? { type } : {}) })
      .then(
        (result) => {
          if (call !== latest.current) return;
          setPage((current) => (current ? { ...result, items: [...current.items, ...result.items] } : result));
          shown.current += result.items.length;
          setHasOlder(result.items.length === PAGE);
        },
        (error: unknown) => toast('error', errorMessage(error)),
      )
      .finally(() => setLoadingOlder(false));
  };

  return { page, hasOlder, loadingOlder, reload, showOlder };
}

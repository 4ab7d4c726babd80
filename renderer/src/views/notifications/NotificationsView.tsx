import { useEffect, useRef, useState, type RefObject } from 'react';
import type { NotificationItem } from '../../../../shared/api/schemas/notifications';
import { APP_EVENT_LABELS, APP_EVENT_TYPES, PUSH_EVENT_LABELS, PUSH_EVENT_TYPES } from '../../../../shared/push-events';
import { reachability } from '../../../../shared/words';
import { errorMessage } from '../../client';
import { Icon } from '../../components/Icon';
import { EmptyState, Page } from '../../components/Page';
import { useApp, useClient } from '../../store';
import { useNow } from '../reviews/useNow';
import { ConfirmClearAll } from './ConfirmClearAll';
import { NotificationRow } from './NotificationRow';
import { useNotifications, type Filters } from './useNotifications';
import './notifications.css';

const ALL: Filters = { filter: 'all', type: '' };
/** The filters survive a visit to a notification's place and back. */
let remembered: Filters = ALL;

function PushIndicator() {
  const status = useApp((state) => state.status);
  if (!status) return null;
  const words = reachability(status.connection, status.push);
  return (
    <p className={`nf-push nf-push-${words.tone}`} title={words.detail} data-testid="push-state">
      <span className="nf-push-dot" aria-hidden="true" />
      <span>
        <span className="nf-push-label">File 360: </span>
        {words.text}
      </span>
    </p>
  );
}

function FilterBar({ filters, onChange }: { filters: Filters; onChange(next: Filters): void }) {
  return (
    <form className="filters nf-filters" aria-label="Filter notifications" onSubmit={(event) => event.preventDefault()}>
      <div className="nf-segmented" role="radiogroup" aria-label="Show">
        {(['all', 'unread'] as const).map((filter) => (
          <label key={filter} className="nf-segment">
            <input type="radio" name="nf-filter" value={filter} checked={filters.filter === filter} onChange={() => onChange({ ...filters, filter })} />
            <span>{filter === 'all' ? 'All' : 'Unread'}</span>
          </label>
        ))}
      </div>
      <label>
        Kind
        <select value={filters.type} onChange={(event) => onChange({ ...filters, type: event.target.value })}>
          <option value="">All kinds</option>
          {PUSH_EVENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {PUSH_EVENT_LABELS[type]}
            </option>
          ))}
          {APP_EVENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {APP_EVENT_LABELS[type]}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}

function Empty({ filters, onShowAll }: { filters: Filters; onShowAll(): void }) {
  const showAll = (
    <button type="button" className="button" onClick={onShowAll}>
      Show all notifications
    </button>
  );
  if (filters.type)
    return (
      <EmptyState icon="notifications" title="None of this kind" action={showAll}>
        <p>{filters.filter === 'unread' ? 'Nothing unread of this kind.' : 'No notifications of this kind are in the list.'} Pick another kind, or show them all.</p>
      </EmptyState>
    );
  if (filters.filter === 'unread')
    return (
      <EmptyState icon="notifications" title="You’re all caught up" action={showAll}>
        <p>Nothing unread. Notifications you have read are still under All.</p>
      </EmptyState>
    );
  return (
    <EmptyState icon="notifications" title="No notifications yet">
      <p>
        New batches and assignments, review requests, decisions, failures and reminders about due dates will appear here — also those that arrived
        while the app was closed or during quiet hours.
      </p>
    </EmptyState>
  );
}

/** Signed out, the list is not empty but out of reach: it belongs to the account. */
function SignedOut({ onSignIn }: { onSignIn(): void }) {
  return (
    <EmptyState
      icon="notifications"
      title="You are signed out"
      action={
        <button type="button" className="button primary" onClick={onSignIn}>
          Sign in on Assignments
        </button>
      }
    >
      <p>
        Notifications belong to your File 360 account, so they are shown while you are signed in. Those you had stay on this computer; sign in again
        to see them, with any that were sent while you were away.
      </p>
    </EmptyState>
  );
}

/**
 * Where the focus goes when an action took away what had it (a row, or a button
 * now disabled): the notification acted on, else its neighbours, else the list's
 * heading, else the page's.
 */
function useRefocus(items: NotificationItem[] | undefined, heading: RefObject<HTMLHeadingElement | null>) {
  const candidates = useRef<number[] | null>(null);
  useEffect(() => {
    const ids = candidates.current;
    if (!ids || !items) return;
    candidates.current = null;
    const active = document.activeElement;
    const lost = !active || active === document.body || !active.isConnected || (active instanceof HTMLButtonElement && active.disabled);
    if (!lost) return;
    for (const id of ids) {
      const open = document.querySelector<HTMLElement>(`[data-notification-id="${id}"] .nf-open`);
      if (open) return open.focus();
    }
    (heading.current ?? document.querySelector<HTMLElement>('h1'))?.focus();
  }, [items, heading]);
  /** Call once the change is made: a re-read that started before it would still show the list as it was. */
  return (item: NotificationItem | null) => {
    const at = item && items ? items.indexOf(item) : -1;
    candidates.current = item ? [item.id, items?.[at + 1]?.id, items?.[at - 1]?.id].filter((id) => id !== undefined) : [];
  };
}

export function NotificationsView() {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const navigate = useApp((state) => state.navigate);
  const setUnread = useApp((state) => state.setUnread);
  const [filters, setFiltersState] = useState<Filters>(remembered);
  const [confirming, setConfirming] = useState(false);
  const [clearing, setClearing] = useState(false);
  const { page, hasOlder, loadingOlder, reload, showOlder } = useNotifications(filters);
  const listHeading = useRef<HTMLHeadingElement>(null);
  const refocusAfter = useRefocus(page?.items, listHeading);
  const now = useNow();

  const setFilters = (next: Filters) => {
    remembered = next;
    setFiltersState(next);
  };

  /** `from`: the notification acted on, or null for all of them; the focus stays near it if the change takes it away. */
  const change = async (method: 'notifications.markRead' | 'notifications.clear', ids: number[] | 'all', from: NotificationItem | null) => {
    try {
      setUnread((await client.call(method, { ids })).unread);
      refocusAfter(from);
    } catch (error) {
      toast('error', errorMessage(error));
    } finally {
      reload();
    }
  };

  const open = async (item: NotificationItem) => {
    try {
      const route = await client.call('notifications.open', { id: item.id });
      if (route && route.section !== 'notifications') return navigate(route);
      refocusAfter(item);
      reload();
    } catch (error) {
      toast('error', errorMessage(error));
    }
  };

  const clearAll = async () => {
    setClearing(true);
    await change('notifications.clear', 'all', null);
    setClearing(false);
    setConfirming(false);
  };

  const signedOut = useApp((state) => state.status !== null && state.status.user === null);
  const unread = page?.unread ?? 0;
  const items = page?.items;
  const filtered = filters.filter !== 'all' || filters.type !== '';
  const subtitle = 'New work, review requests, decisions and due dates, kept here after they pop up.';
  if (signedOut) {
    return (
      <Page title="Notifications" subtitle={subtitle}>
        <SignedOut onSignIn={() => navigate({ section: 'assignments' })} />
      </Page>
    );
  }
  return (
    <Page title="Notifications" subtitle={subtitle} actions={<PushIndicator />}>
      {page?.gap && (
        <div className="banner banner-warn" role="status" data-testid="notifications-gap">
          <Icon name="alert" />
          <span>{page.gap}</span>
        </div>
      )}
      <div className="nf-toolbar">
        <FilterBar filters={filters} onChange={setFilters} />
        <div className="nf-bulk">
          <button type="button" className="button" disabled={unread === 0} onClick={() => void change('notifications.markRead', 'all', null)}>
            Mark all read
          </button>
          <button type="button" className="button ghost" disabled={!items || (items.length === 0 && !filtered)} onClick={() => setConfirming(true)}>
            Clear all…
          </button>
        </div>
      </div>
      {!items ? (
        <p className="muted" aria-busy="true">
          Loading…
        </p>
      ) : items.length === 0 ? (
        <Empty filters={filters} onShowAll={() => setFilters(ALL)} />
      ) : (
        <section aria-labelledby="nf-list-heading" className="nf-section">
          <h2 id="nf-list-heading" className="nf-list-heading" tabIndex={-1} ref={listHeading}>
            {filters.filter === 'unread' ? 'Unread, newest first' : 'Newest first'}
            {unread > 0 && filters.filter === 'all' ? ` · ${unread.toLocaleString()} unread` : ''}
          </h2>
          <ul className="nf-list">
            {items.map((item) => (
              <NotificationRow
                key={item.id}
                item={item}
                now={now}
                onOpen={() => void open(item)}
                onRead={() => void change('notifications.markRead', [item.id], item)}
                onClear={() => void change('notifications.clear', [item.id], item)}
              />
            ))}
          </ul>
          {hasOlder && (
            <button type="button" className="button nf-older" disabled={loadingOlder} onClick={showOlder}>
              {loadingOlder ? 'Loading…' : 'Show older'}
            </button>
          )}
        </section>
      )}
      {confirming && <ConfirmClearAll busy={clearing} onCancel={() => setConfirming(false)} onConfirm={() => void clearAll()} />}
    </Page>
  );
}

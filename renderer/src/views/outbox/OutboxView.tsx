import { useCallback, useEffect, useRef, useState } from 'react';
import type { OutboxCounts, OutboxItem, OutboxKind, OutboxState } from '../../../../shared/api/schemas/outbox';
import { errorMessage } from '../../client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Icon } from '../../components/Icon';
import { EmptyState, Page } from '../../components/Page';
import { formatBytes, formatDateTime, formatRelative, plural } from '../../format';
import { useApp, useClient } from '../../store';
import './outbox.css';

const KIND_WORDS: Record<OutboxKind, string> = {
  package: 'Package',
  escalation: 'Escalation',
  decision: 'Decision',
  audit: 'Audit trail',
  push: 'Notification',
};

const STATE_WORDS: Record<OutboxState, string> = {
  queued: 'Waiting',
  sending: 'Sending…',
  sent: 'Sent',
  failed: 'Failed',
  discarded: 'Discarded',
};

/** Failed items first: they are the ones that need the user. */
const ORDER: Record<OutboxState, number> = { failed: 0, sending: 1, queued: 2, sent: 3, discarded: 3 };

/** What else goes when this item is discarded, in words. */
const ALSO_ENDS: Partial<Record<OutboxKind, string>> = {
  escalation: 'The reviewers’ notification that waits for it is discarded with it.',
};

/** A clock for "next try in …" that ticks every few seconds while the view is open. */
function useClock(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}

/** "2 minutes ago", or "just now" rather than a bare "now". */
function ago(iso: string, now: number): string {
  const words = formatRelative(iso, now);
  return words === 'now' ? 'just now' : words;
}

function nextTry(item: OutboxItem, now: number): string | null {
  if (item.state !== 'queued' || !item.nextAttemptAt) return null;
  const words = formatRelative(item.nextAttemptAt, now);
  return Date.parse(item.nextAttemptAt) <= now || words === 'now' ? 'next try in a moment' : `next try ${words}`;
}

function ConfirmDiscard({ item, busy, onCancel, onConfirm }: { item: OutboxItem; busy: boolean; onCancel(): void; onConfirm(): void }) {
  return (
    <ConfirmDialog id="discard" title={`Discard this ${KIND_WORDS[item.kind].toLowerCase()}?`} keepLabel="Keep it" confirmLabel="Discard" busyLabel="Discarding…" busy={busy} onCancel={onCancel} onConfirm={onConfirm}>
      <p className="outbox-discard-label" data-testid="discard-label">
        {item.label}
      </p>
      <p>
        If you discard this {KIND_WORDS[item.kind].toLowerCase()}, it will never be sent to File 360; this is recorded in the audit log.
        {ALSO_ENDS[item.kind] ? ` ${ALSO_ENDS[item.kind]}` : ''}
      </p>
      {item.state === 'failed' && <p className="muted">To send it after all, choose Retry instead.</p>}
    </ConfirmDialog>
  );
}

function OutboxRow({ item, now, onRetry, onDiscard, busy }: { item: OutboxItem; now: number; onRetry(): void; onDiscard(): void; busy: boolean }) {
  const actionable = item.state === 'failed' || item.state === 'queued';
  const facts = [
    item.kind === 'package' && item.size > 0 ? formatBytes(item.size) : null,
    item.attempts > 0 ? plural(item.attempts, 'attempt') : item.state === 'queued' ? 'not tried yet' : null,
    nextTry(item, now),
    item.sentAt ? `${item.state === 'sent' ? 'sent' : 'ended'} ${ago(item.sentAt, now)}` : `added ${ago(item.createdAt, now)}`,
  ].filter(Boolean);
  const titleId = `outbox-item-${item.id}`;
  return (
    <li className={`card outbox-item outbox-${item.state}`} aria-labelledby={titleId} data-testid="outbox-item">
      <div className="outbox-main">
        <div className="outbox-title">
          <span className={`chip kind-${item.kind}`}>{KIND_WORDS[item.kind]}</span>
          <h2 id={titleId} className="outbox-label" title={item.label}>
            {item.label}
          </h2>
        </div>
        <p className="outbox-facts" title={`Added ${formatDateTime(item.createdAt)}`}>
          {facts.join(' · ')}
        </p>
        {item.state === 'failed' && item.lastError && (
          <p className="outbox-error" data-testid="outbox-error">
            <Icon name="alert" size={16} />
            <span>
              <strong>Could not be sent:</strong> {item.lastError}
            </span>
          </p>
        )}
        {item.state !== 'failed' && item.waiting && (
          <p className="outbox-waiting" data-testid="outbox-waiting">
            {item.waiting}
          </p>
        )}
        {item.state !== 'failed' && item.lastError && (
          <p className="outbox-last-error" data-testid="outbox-error">
            {item.state === 'discarded' ? item.lastError : `Last try: ${item.lastError}`}
          </p>
        )}
      </div>
      <span className={`badge outbox-state state-badge-${item.state}`} data-testid="outbox-state">
        {STATE_WORDS[item.state]}
      </span>
      <div className="outbox-actions">
        {actionable && (
          <>
            {item.canRetry && (
              <button type="button" className={`button${item.state === 'failed' ? ' primary' : ''}`} disabled={busy} onClick={onRetry}>
                Retry
              </button>
            )}
            <button type="button" className="button ghost" disabled={busy} onClick={onDiscard}>
              Discard…
            </button>
          </>
        )}
      </div>
    </li>
  );
}

function Counts({ counts }: { counts: OutboxCounts }) {
  const tiles: Array<{ key: keyof OutboxCounts; label: string }> = [
    { key: 'queued', label: 'Waiting' },
    { key: 'sending', label: 'Sending' },
    { key: 'failed', label: 'Failed' },
  ];
  return (
    <dl className="outbox-counts" aria-label="Outbox counts">
      {tiles.map((tile) => (
        <div key={tile.key} className={`outbox-count${tile.key === 'failed' && counts.failed > 0 ? ' outbox-count-failed' : ''}`} data-testid={`count-${tile.key}`}>
          <dt>{tile.label}</dt>
          <dd>{counts[tile.key].toLocaleString()}</dd>
        </div>
      ))}
    </dl>
  );
}

export function OutboxView() {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const [showSent, setShowSent] = useState(false);
  const [items, setItems] = useState<OutboxItem[] | null>(null);
  const [counts, setCounts] = useState<OutboxCounts>({ queued: 0, sending: 0, failed: 0 });
  const [busy, setBusy] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<OutboxItem | null>(null);
  const listHeading = useRef<HTMLHeadingElement>(null);
  /** Set after a discard: once the item has left the list, the focus goes to the list's heading instead of being lost. */
  const refocus = useRef(false);
  const now = useClock(15_000);

  const load = useCallback(() => {
    client.call('outbox.list', { show: showSent ? 'all' : 'pending' }).then(
      (page) => {
        setItems(page.items);
        setCounts(page.counts);
      },
      (error: unknown) => toast('error', errorMessage(error)),
    );
  }, [client, showSent, toast]);

  useEffect(() => {
    load();
    // Sends come in bursts: one re-read per burst is enough.
    let timer: number | null = null;
    const soon = () => {
      if (timer === null) timer = window.setTimeout(() => ((timer = null), load()), 150);
    };
    const stops = [client.on('outbox.changed', soon), client.on('status.changed', soon)];
    return () => {
      for (const stop of stops) stop();
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [client, load]);

  useEffect(() => {
    if (!refocus.current || items === null) return;
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) (listHeading.current ?? document.querySelector<HTMLElement>('h1'))?.focus();
    refocus.current = false;
  }, [items]);

  const retry = async (item: OutboxItem) => {
    setBusy(item.id);
    try {
      await client.call('outbox.retry', { id: item.id });
      toast('info', `Trying again now: ${item.label}`);
    } catch (error) {
      toast('error', errorMessage(error));
    } finally {
      setBusy(null);
      load();
    }
  };

  const discard = async (item: OutboxItem) => {
    setBusy(item.id);
    try {
      await client.call('outbox.discard', { id: item.id });
      toast('success', `Discarded, and will not be sent: ${item.label}`);
      refocus.current = true;
      setConfirming(null);
    } catch (error) {
      toast('error', errorMessage(error));
      setConfirming(null);
    } finally {
      setBusy(null);
      load();
    }
  };

  const sorted = [...(items ?? [])].sort((a, b) => ORDER[a.state] - ORDER[b.state]);
  const failed = sorted.filter((item) => item.state === 'failed').length;

  return (
    <Page
      title="Outbox"
      subtitle="Everything that leaves this computer waits here until File 360 has it. It is kept safe if the app closes or the network drops."
      actions={
        <label className="toggle">
          <input type="checkbox" checked={showSent} onChange={(event) => setShowSent(event.target.checked)} />
          Show sent
        </label>
      }
    >
      <Counts counts={counts} />
      {counts.failed > 0 && (
        <div className="banner banner-error outbox-banner" role="alert">
          <Icon name="alert" />
          <span>
            {counts.failed === 1 ? '1 item could not be sent.' : `${counts.failed.toLocaleString()} items could not be sent.`} Fix what the reason says, then Retry; or
            Discard it if it should never go.
          </span>
        </div>
      )}
      {items !== null && sorted.length === 0 ? (
        <EmptyState icon="outbox" title={showSent ? 'Nothing has left this computer yet' : 'Nothing waiting to upload'}>
          <p>
            Exports, escalations, review decisions and the audit trail are queued here and uploaded once, as soon as you are online. They are
            safe if the app closes or the Wi-Fi drops.
          </p>
        </EmptyState>
      ) : (
        <section aria-labelledby="outbox-list-heading" className="outbox-section" aria-busy={items === null}>
          <h2 id="outbox-list-heading" className="outbox-list-heading" tabIndex={-1} ref={listHeading}>
            {showSent ? 'Items, with those already sent' : 'Items still to send'}
            {failed > 0 ? ` (${failed} failed)` : ''}
          </h2>
          <ul className="outbox-list">
            {sorted.map((item) => (
              <OutboxRow
                key={item.id}
                item={item}
                now={now}
                busy={busy === item.id}
                onRetry={() => void retry(item)}
                onDiscard={() => setConfirming(item)}
              />
            ))}
          </ul>
        </section>
      )}
      {confirming && <ConfirmDiscard item={confirming} busy={busy === confirming.id} onCancel={() => setConfirming(null)} onConfirm={() => void discard(confirming)} />}
    </Page>
  );
}

import type { NotificationItem } from '../../../../shared/api/schemas/notifications';
import { Icon } from '../../components/Icon';
import { formatDateTime } from '../../format';
import { DELIVERY_WORDS, ago, typeIcon, typeLabel } from './words';

interface RowProps {
  item: NotificationItem;
  now: number;
  onOpen(): void;
  onRead(): void;
  onClear(): void;
}

/** One notification: the whole row opens it; its own actions show on hover or focus. */
export function NotificationRow({ item, now, onOpen, onRead, onClear }: RowProps) {
  const note = DELIVERY_WORDS[item.delivery];
  return (
    <li className={`nf-item${item.read ? '' : ' nf-unread'}`} data-notification-id={item.id} data-testid="notification">
      <button
        type="button"
        className="nf-open bare-button"
        onClick={onOpen}
        // Named by all it shows ("Unread:", title, summary, time), not by the title alone: a name must hold every word a voice-control user sees on the button.
      >
        <span className={`nf-icon nf-icon-${typeIcon(item)}`} title={typeLabel(item.type)}>
          <Icon name={typeIcon(item)} />
        </span>
        <span className="nf-text">
          <span className="nf-title-line">
            {!item.read && <span className="nf-dot" role="img" aria-label="Unread:" />}
            <span className="nf-title">
              {item.title}
            </span>
          </span>
          {item.summary && (
            <span className="nf-summary">
              {item.summary}
            </span>
          )}
          <span className="nf-meta">
            <time dateTime={item.created} title={formatDateTime(item.created)}>
              {ago(item.created, now)}
            </time>
            {item.source === 'reminder' && (
              <span className="nf-source chip" title="Made on this computer from the due dates it knows, so it comes even offline.">
                Reminder
              </span>
            )}
            {note && (
              <span className={`nf-delivery nf-delivery-${item.delivery}`} data-testid="notification-delivery">
                {note}
              </span>
            )}
          </span>
        </span>
      </button>
      <div className="nf-actions">
        {!item.read && (
          <button type="button" className="button ghost nf-action" onClick={onRead} aria-label={`Mark read: ${item.title}`}>
            Mark read
          </button>
        )}
        <button type="button" className="button ghost nf-action" onClick={onClear} aria-label={`Clear: ${item.title}`}>
          Clear
        </button>
      </div>
    </li>
  );
}

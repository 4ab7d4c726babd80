import type { PushState } from '../../../shared/api/schemas/app';
import type { Handlers } from '../kernel/api/router';
import type { NotificationCenter } from './center';

export interface NotificationHandlerDeps {
  center: NotificationCenter;
  push(): PushState;
  /** Words for notifications that expired on the server before this computer fetched them, if that happened. */
  gap(): string | null;
}

type NotificationHandlers = Pick<Handlers, 'notifications.list' | 'notifications.markRead' | 'notifications.clear' | 'notifications.open'>;

export function notificationHandlers({ center, push, gap }: NotificationHandlerDeps): NotificationHandlers {
  return {
    'notifications.list': (input) => ({ items: center.list(input), unread: center.unreadCount(), push: push(), gap: gap() }),
    'notifications.markRead': ({ ids }) => {
      center.markRead(ids);
      return { unread: center.unreadCount() };
    },
    'notifications.clear': ({ ids }) => {
      center.clear(ids);
      return { unread: center.unreadCount() };
    },
    'notifications.open': ({ id }) => center.open(id),
  };
}

import { Notification } from 'electron';
import type { NotificationPayload } from '../shared/api/schemas/app';
import type { Logger, Notifier } from './core/kernel/ports';

/**
 * Native notifications. Each one is held until it closes: Electron only keeps
 * a weak reference, and a collected notification stops reporting clicks.
 */
export function createElectronNotifier(onClick: (payload: NotificationPayload) => void, logger: Logger): Notifier {
  const live = new Set<Notification>();
  return {
    show(payload: NotificationPayload) {
      if (!Notification.isSupported()) {
        logger.warn('native notifications are not supported here');
        return;
      }
      const notification = new Notification({ title: payload.title, body: payload.body });
      live.add(notification);
      const release = () => live.delete(notification);
      notification.on('click', () => {
        release();
        onClick(payload);
      });
      notification.on('close', release);
      notification.on('failed', (_event, error) => {
        release();
        logger.warn('notification failed', { error });
      });
      notification.show();
    },
  };
}

import type { Logger, Notifier } from '../kernel/ports';

/**
 * The shell's notifier as the core uses it. Showing a notification is never
 * part of the work it reports: a notifier that throws (a shell that is not
 * ready, a desktop without notifications) is logged, and the wipe or sync
 * that called it has still happened and is still recorded.
 */
export function guardedNotifier(notifier: Notifier, logger: Logger): Notifier {
  return {
    show(notification) {
      try {
        notifier.show(notification);
      } catch (error) {
        logger.warn('a notification could not be shown', { error });
      }
    },
  };
}

import type { IncomingNotification } from '../kernel/incoming';
import type { Core, Feature } from '../services/feature';
import { DEFAULT_REMINDER_SETTINGS, Reminders } from './reminders';

/** Local reminders of due dates, expiries and review SLAs; they follow whatever may have moved the next one. */
export function remindersFeature(core: Core, deliver: (batch: IncomingNotification[]) => void): Feature {
  const reminders = new Reminders({
    db: () => core.data.require().db,
    owner: () => core.connection()?.owner ?? null,
    clock: core.clock,
    logger: core.logger,
    settings: () => ({ ...DEFAULT_REMINDER_SETTINGS, offsetsHours: core.settings().reminderHours, sendBeforeExpiryMinutes: core.settings().sendBeforeExpiryMinutes }),
    deliver,
  });
  const refresh = () => reminders.refresh();
  // New due dates, review items, another account, a night's sleep: the next reminder may have moved.
  for (const event of ['assignments.refreshed', 'reviews.refreshed', 'account.changed', 'app.resumed'] as const) core.bus.on(event, refresh);
  core.bus.on('settings.changed', ({ keys }) => {
    if (keys.includes('reminderHours') || keys.includes('sendBeforeExpiryMinutes')) refresh();
  });
  return {
    start: () => reminders.start(),
    close: () => reminders.stop(),
  };
}

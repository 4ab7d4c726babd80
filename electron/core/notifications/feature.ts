import type { TopicChoice } from '../../../shared/api/schemas/settings';
import type { Owner } from '../kernel/identity';
import type { IncomingNotification } from '../kernel/incoming';
import { throttle } from '../kernel/platform/throttle';
import { topicChoices } from '../remote/push/topics';
import { pushSender } from '../services/outbox/push-sender';
import type { Core, Feature } from '../services/feature';
import { NotificationCenter } from './center';
import { localNotification } from './local';
import { notificationHandlers } from './notifications-handlers';
import { notificationRules } from './rules';
import { notificationsWipeStep } from './wipe-step';

export interface NotificationsFeature extends Feature {
  /** Push's sink: stores a batch, and tells the other features what the live ones announce. */
  fromPush(batch: IncomingNotification[]): number;
  /** Stores what the app itself made (reminders) for the signed-in account. */
  deliver(batch: IncomingNotification[]): void;
  /** A notification the app makes itself about one assignment, for an account signed in or not. */
  tell(owner: Owner, notice: Parameters<typeof localNotification>[0]): void;
  unread(): number;
  /** The Push topics the signed-in user can mute. */
  topicChoices(): TopicChoice[];
}

/** The signed-in account's Push topics: its groups, and its own assignments still on this computer. */
function topicsOf(core: Core) {
  const subscriber = () => {
    const account = core.file360.session()?.account();
    if (!account || core.data.problem()) return null;
    return { account, assignments: core.store.assignments(account).filter((a) => a.user_id === account.userId && a.wiped_at === null) };
  };
  return {
    subscriber,
    async syncTopics() {
      const found = subscriber();
      if (found) await core.push.syncTopics(found.assignments, found.account.groups);
    },
  };
}

/** The notification center, fed by Push and by the app itself, and the Push subscription of the signed-in account. */
export function notificationsFeature(core: Core): NotificationsFeature {
  const { bus, data, clock, logger, push } = core;
  const owner = () => core.connection()?.owner ?? null;
  const unread = () => (data.problem() || !core.connection() ? 0 : center.unreadCount());
  const changed = throttle(() => {
    core.events.emit('notifications.changed', { unread: unread() });
    bus.emit('status.stale', {});
  }, 250);
  const center: NotificationCenter = new NotificationCenter({
    db: () => data.require().db,
    owner,
    clock,
    notifier: core.notifier,
    logger,
    rules: () => notificationRules(core.settings()),
    onChange: () => changed.poke(),
    wipedHere: (id) => {
      const row = core.store.assignment(id);
      return row?.wiped_at ? row.name : null;
    },
  });

  const { subscriber, syncTopics } = topicsOf(core);
  const follow = () => {
    if (!push.follow()) return;
    void syncTopics();
    // Another account: its own held notifications and reminders.
    center.start();
    bus.emit('account.changed', {});
    bus.emit('status.stale', {});
  };

  bus.on('connection.changed', follow);
  bus.on('push.gapChanged', () => changed.poke());
  // New assignments get their topics, ended ones lose them.
  bus.on('assignments.refreshed', syncTopics);
  bus.on('file360.due', syncTopics);
  bus.on('settings.changed', ({ keys }) => {
    if (keys.includes('quietHours') || keys.includes('mutedNotificationTypes') || keys.includes('mutedTopics')) center.start();
  });
  bus.on('app.resumed', () => center.start());

  return {
    handlers: notificationHandlers({ center, push: () => push.state(), gap: () => push.gap() }),
    outboxKinds: { push: pushSender(push) },
    wipeSteps: [notificationsWipeStep(clock)],
    fromPush(batch) {
      const stored = center.receive(batch);
      // After the transaction that stored them: what they announce is fetched at once, not at the next sync.
      // A new device's history is already covered by the sync and refresh that follow sign-in.
      const types = new Set(batch.filter((n) => !n.history).map((n) => n.type));
      if (types.size > 0) setImmediate(() => bus.emit('push.received', { types }));
      return stored;
    },
    deliver: (batch) => void center.receive(batch),
    tell: (who, notice) => center.record(who, [localNotification(notice, clock.now())]),
    unread,
    topicChoices() {
      const found = subscriber();
      return found ? topicChoices(found.assignments, found.account.groups) : [];
    },
    start() {
      // From the database alone: held notifications come offline too.
      center.start();
      follow();
    },
    close() {
      center.stop();
      changed.cancel();
    },
  };
}

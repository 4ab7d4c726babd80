import { EmptyState, Page } from '../components/Page';

/**
 * Sections whose content arrives with the outbox and push. Until then
 * each says what will appear here and what the user can do first.
 */
export function OutboxView() {
  return (
    <Page title="Outbox" subtitle="Work waiting to leave this computer.">
      <EmptyState icon="outbox" title="Nothing waiting to upload">
        <p>
          Exports, escalations and review decisions are queued here and uploaded once, as soon as you are online. They
          are safe if the app closes or the Wi-Fi drops.
        </p>
      </EmptyState>
    </Page>
  );
}

export function ReviewsView() {
  return (
    <Page title="Reviews" subtitle="Items escalated to you as a subject-matter expert.">
      <EmptyState icon="reviews" title="No items to review">
        <p>When an annotator escalates an item to one of your reviewer groups, it appears here with the competing labels and their note.</p>
      </EmptyState>
    </Page>
  );
}

export function NotificationsView() {
  return (
    <Page title="Notifications" subtitle="New batches, review requests, decisions and deadlines.">
      <EmptyState icon="notifications" title="You're all caught up">
        <p>Notifications from File 360 and reminders about due dates will be kept here, even the ones you dismissed.</p>
      </EmptyState>
    </Page>
  );
}

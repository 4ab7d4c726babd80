import { EmptyState, Page } from '../components/Page';

/**
 * Sections whose content arrives with push. Until then each says what will
 * appear here and what the user can do first.
 */
export function NotificationsView() {
  return (
    <Page title="Notifications" subtitle="New batches, review requests, decisions and deadlines.">
      <EmptyState icon="notifications" title="You're all caught up">
        <p>Notifications from File 360 and reminders about due dates will be kept here, even the ones you dismissed.</p>
      </EmptyState>
    </Page>
  );
}

import { EmptyState, Page } from '../../components/Page';

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

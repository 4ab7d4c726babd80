import { SECTIONS, type Section } from '../../shared/routes';

export const SECTION_LABELS: Record<Section, string> = {
  assignments: 'Assignments',
  sessions: 'Sessions',
  outbox: 'Outbox',
  reviews: 'Reviews',
  notifications: 'Notifications',
  audit: 'Audit',
  settings: 'Settings',
};

export { SECTIONS };

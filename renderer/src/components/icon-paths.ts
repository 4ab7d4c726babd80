// Plain data so that code outside React (words for notifications, tested in Node) can name an icon.
import type { Section } from '../../../shared/routes';

const CIRCLE = 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z';

type Extra = 'shield-check' | 'alert' | 'inbox' | 'clipboard' | 'clock' | 'relabel' | 'x-circle' | 'database' | 'message' | 'trash';

export const PATHS: Record<Section | Extra, string[]> = {
  assignments: ['M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z'],
  sessions: [CIRCLE, 'M10 8.5v7l5.5-3.5z'],
  outbox: ['M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3', 'M12 4v11', 'M7.5 8.5 12 4l4.5 4.5'],
  reviews: ['M9 11.5 11.5 14 16 9', CIRCLE],
  notifications: ['M18 9a6 6 0 0 0-12 0c0 6.5-2.5 8.5-2.5 8.5h17S18 15.5 18 9', 'M10.3 20.5a2 2 0 0 0 3.4 0'],
  audit: ['M12 21s7.5-3.5 7.5-9.5V5.5L12 3 4.5 5.5v6c0 6 7.5 9.5 7.5 9.5z', 'M9 11.5h6', 'M9 15h4'],
  settings: ['M4 20v-6', 'M4 10V4', 'M12 20v-8', 'M12 8V4', 'M20 20v-4', 'M20 12V4', 'M2 14h4', 'M10 8h4', 'M18 16h4'],
  'shield-check': ['M12 21s7.5-3.5 7.5-9.5V5.5L12 3 4.5 5.5v6c0 6 7.5 9.5 7.5 9.5z', 'M9 12l2 2 4-4'],
  alert: ['M12 3 2.5 20h19z', 'M12 10v4.5', 'M12 17.5v.01'],
  inbox: ['M3 13h5l1.5 3h5l1.5-3h5', 'M5.5 5h13L21 13v5a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-5z'],
  clipboard: [
    'M9 3.5h6v3H9z',
    'M9 5H6.5A1.5 1.5 0 0 0 5 6.5v13A1.5 1.5 0 0 0 6.5 21h11a1.5 1.5 0 0 0 1.5-1.5v-13A1.5 1.5 0 0 0 17.5 5H15',
    'M9 12h6',
    'M9 16h4',
  ],
  clock: [CIRCLE, 'M12 7.5V12l3 2'],
  relabel: ['M19.5 10.5A7.5 7.5 0 0 0 6 6.5L4.5 8', 'M4.5 4v4h4', 'M4.5 13.5A7.5 7.5 0 0 0 18 17.5l1.5-1.5', 'M19.5 20v-4h-4'],
  'x-circle': [CIRCLE, 'M9.5 9.5l5 5', 'M14.5 9.5l-5 5'],
  database: ['M12 3c4.4 0 8 1.3 8 3s-3.6 3-8 3-8-1.3-8-3 3.6-3 8-3z', 'M4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6', 'M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3'],
  trash: ['M4 7h16', 'M10 11v6', 'M14 11v6', 'M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12', 'M9 7V4.5h6V7'],
  message: ['M20 15a2 2 0 0 1-2 2H8l-4 4V5a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2z', 'M8.5 8.5h7', 'M8.5 12h4.5'],
};

export type IconName = keyof typeof PATHS;

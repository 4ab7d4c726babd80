import type { Section } from '../../../shared/routes';

const PATHS: Record<Section | 'shield-check' | 'alert', string[]> = {
  assignments: ['M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z'],
  sessions: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z', 'M10 8.5v7l5.5-3.5z'],
  outbox: ['M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3', 'M12 4v11', 'M7.5 8.5 12 4l4.5 4.5'],
  reviews: ['M9 11.5 11.5 14 16 9', 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z'],
  notifications: ['M18 9a6 6 0 0 0-12 0c0 6.5-2.5 8.5-2.5 8.5h17S18 15.5 18 9', 'M10.3 20.5a2 2 0 0 0 3.4 0'],
  audit: ['M12 21s7.5-3.5 7.5-9.5V5.5L12 3 4.5 5.5v6c0 6 7.5 9.5 7.5 9.5z', 'M9 11.5h6', 'M9 15h4'],
  settings: ['M4 20v-6', 'M4 10V4', 'M12 20v-8', 'M12 8V4', 'M20 20v-4', 'M20 12V4', 'M2 14h4', 'M10 8h4', 'M18 16h4'],
  'shield-check': ['M12 21s7.5-3.5 7.5-9.5V5.5L12 3 4.5 5.5v6c0 6 7.5 9.5 7.5 9.5z', 'M9 12l2 2 4-4'],
  alert: ['M12 3 2.5 20h19z', 'M12 10v4.5', 'M12 17.5v.01'],
};

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 18 }: { name: IconName; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[name].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}

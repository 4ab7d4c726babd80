import { REMOTE_ID } from './ids';
import { parseUrl } from './url';

/**
 * Where the UI can be: one section, optionally one item in it. Shared by main
 * (deep links, notification clicks, the tray) and the renderer (hash routing),
 * so a `companion://` link and a `#/` hash always mean the same place.
 */
export const SECTIONS = [
  'assignments',
  'sessions',
  'outbox',
  'reviews',
  'notifications',
  'audit',
  'settings',
] as const;

export type Section = (typeof SECTIONS)[number];

/** What each section is called, in the sidebar, the menu and the tray alike. */
export const SECTION_LABELS: Record<Section, string> = {
  assignments: 'Assignments',
  sessions: 'Sessions',
  outbox: 'Outbox',
  reviews: 'Reviews',
  notifications: 'Notifications',
  audit: 'Audit',
  settings: 'Settings',
};

/** Pages inside one assignment, the hash's third part: `#/assignments/asg-1/lineage`. */
export const ASSIGNMENT_PAGES = ['lineage', 'answers'] as const;
export type AssignmentPage = (typeof ASSIGNMENT_PAGES)[number];

export interface Route {
  section: Section;
  id?: string;
  view?: AssignmentPage;
}

export const DEFAULT_ROUTE: Route = { section: 'assignments' };
export const DEEP_LINK_SCHEME = 'companion';


export function isSection(value: unknown): value is Section {
  return typeof value === 'string' && (SECTIONS as readonly string[]).includes(value);
}

function routeFromParts(section: string | undefined, id: string | undefined): Route | null {
  if (!isSection(section)) return null;
  if (id === undefined || id === '') return { section };
  let decoded: string;
  try {
    decoded = decodeURIComponent(id);
  } catch {
    return null;
  }
  return REMOTE_ID.test(decoded) ? { section, id: decoded } : null;
}

/** `companion://reviews/esc-42` → `{section:'reviews', id:'esc-42'}`; anything else → null. */
export function parseDeepLink(link: string): Route | null {
  const url = parseUrl(link);
  if (!url || url.protocol !== `${DEEP_LINK_SCHEME}:`) return null;
  if (url.username || url.password || url.port) return null;
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts.length > 1) return null;
  return routeFromParts(url.hostname, parts[0]);
}

/** `#/reviews/esc-42` → route; an unknown hash → null. */
export function parseHash(hash: string): Route | null {
  const path = hash.replace(/^#\/?/, '');
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0 || parts.length > 3) return null;
  const route = routeFromParts(parts[0], parts[1]);
  if (parts.length < 3) return route;
  const view = ASSIGNMENT_PAGES.find((name) => name === parts[2]);
  return route?.section === 'assignments' && view ? { ...route, view } : null;
}

export function routeToHash(route: Route): string {
  if (!route.id) return `#/${route.section}`;
  return `#/${route.section}/${encodeURIComponent(route.id)}${route.view ? `/${route.view}` : ''}`;
}

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
  /**
   * On an assignment's page, the escalation (File 360's id) whose decision to
   * bring into view: `#/assignments/asg-1/decision/esc-7`, where a decision
   * notification leads.
   */
  decision?: string;
}

export const DEFAULT_ROUTE: Route = { section: 'assignments' };
export const DEEP_LINK_SCHEME = 'companion';

/** Who is signed in, as far as the sections are concerned. */
export interface SectionUser {
  /** File 360 may send them escalations to decide. */
  reviews: boolean;
  /** File 360 shares assignments with them to annotate. */
  annotates: boolean;
}

/**
 * Reviews is shown to those who review; the others reach it only by a link.
 * Hidden sections keep their place, so Ctrl+4 is Reviews and Ctrl+5 is
 * Notifications for everyone.
 */
export function sectionShown(section: Section, user: SectionUser | null): boolean {
  return section !== 'reviews' || Boolean(user?.reviews);
}

/** Where the app opens when nothing asked for a place: a reviewer's work is in Reviews, everyone else's in Assignments. */
export function homeSection(user: SectionUser | null): Section {
  return user?.reviews && !user.annotates ? 'reviews' : 'assignments';
}

export function isSection(value: unknown): value is Section {
  return typeof value === 'string' && (SECTIONS as readonly string[]).includes(value);
}

/** A route's id part, decoded; null when it is not an id File 360 could have given. */
function idFromPart(part: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(part);
  } catch {
    return null;
  }
  return REMOTE_ID.test(decoded) ? decoded : null;
}

function routeFromParts(section: string | undefined, id: string | undefined): Route | null {
  if (!isSection(section)) return null;
  if (id === undefined || id === '') return { section };
  const decoded = idFromPart(id);
  return decoded === null ? null : { section, id: decoded };
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

/**
 * `#/reviews/esc-42` → route; an unknown hash → null. Only an assignment has
 * more parts: a page (`/lineage`) or a decision to show (`/decision/esc-7`).
 */
export function parseHash(hash: string): Route | null {
  const path = hash.replace(/^#\/?/, '');
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0 || parts.length > 4) return null;
  const route = routeFromParts(parts[0], parts[1]);
  if (parts.length < 3) return route;
  if (route?.section !== 'assignments') return null;
  if (parts[2] === 'decision') {
    const decision = parts.length === 4 ? idFromPart(parts[3] as string) : null;
    return decision === null ? null : { ...route, decision };
  }
  const view = ASSIGNMENT_PAGES.find((name) => name === parts[2]);
  return view && parts.length === 3 ? { ...route, view } : null;
}

export function routeToHash(route: Route): string {
  if (!route.id) return `#/${route.section}`;
  const place = `#/${route.section}/${encodeURIComponent(route.id)}`;
  if (route.view) return `${place}/${route.view}`;
  return route.decision ? `${place}/decision/${encodeURIComponent(route.decision)}` : place;
}

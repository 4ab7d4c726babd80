import { describe, expect, it } from 'vitest';
import { RouteSchema } from '../../shared/api/schemas/app';
import { homeSection, parseDeepLink, parseHash, routeToHash, sectionShown, SECTIONS } from '../../shared/routes';

describe('the address of a decision on its assignment’s page', () => {
  it('names the assignment and the escalation, and reads back as the same place', () => {
    const route = { section: 'assignments', id: 'asg:7', decision: 'esc:8' } as const;
    expect(routeToHash(route)).toBe('#/assignments/asg%3A7/decision/esc%3A8');
    expect(parseHash(routeToHash(route))).toEqual(route);
    expect(parseHash('#/assignments/asg-7/decision/esc-8')).toEqual({ section: 'assignments', id: 'asg-7', decision: 'esc-8' });
    // The assignment alone is still its page, without a decision to show.
    expect(parseHash('#/assignments/asg-7')).toEqual({ section: 'assignments', id: 'asg-7' });
  });

  it('is refused without an escalation, with more parts, with a bad id, or outside Assignments', () => {
    for (const hash of [
      '#/assignments/asg-1/decision',
      '#/assignments/asg-1/decision/esc-1/more',
      '#/assignments/asg-1/decision/esc%20one',
      '#/assignments/asg-1/decision/%E0%A4%A',
      '#/assignments/asg-1/decisions/esc-1',
      '#/assignments/asg-1/lineage/esc-1',
      '#/reviews/esc-1/decision/esc-1',
      '#/notifications/n-1/decision/esc-1',
    ]) {
      expect(parseHash(hash), hash).toBeNull();
    }
    // Deep links still name a place, not a spot on its page.
    expect(parseDeepLink('companion://assignments/asg-1/decision/esc-1')).toBeNull();
  });

  it('crosses the API only on an assignment’s page', () => {
    expect(RouteSchema.safeParse({ section: 'assignments', id: 'asg-1', decision: 'esc-1' }).success).toBe(true);
    expect(RouteSchema.safeParse({ section: 'assignments', decision: 'esc-1' }).success).toBe(false);
    expect(RouteSchema.safeParse({ section: 'reviews', id: 'esc-1', decision: 'esc-1' }).success).toBe(false);
    expect(RouteSchema.safeParse({ section: 'assignments', id: 'asg-1', decision: '../x' }).success).toBe(false);
  });
});

describe('which sections a person sees, and where the app opens for them', () => {
  const annotator = { reviews: false, annotates: true };
  const reviewer = { reviews: true, annotates: false };
  const both = { reviews: true, annotates: true };

  it('shows Reviews to reviewers only, and keeps every other section for everyone', () => {
    expect(SECTIONS.filter((section) => !sectionShown(section, annotator))).toEqual(['reviews']);
    expect(SECTIONS.filter((section) => !sectionShown(section, null))).toEqual(['reviews']);
    expect(SECTIONS.every((section) => sectionShown(section, reviewer))).toBe(true);
    expect(SECTIONS.every((section) => sectionShown(section, both))).toBe(true);
  });

  it('opens on Reviews for a reviewer, on Assignments for anyone who annotates or is not signed in', () => {
    expect(homeSection(reviewer)).toBe('reviews');
    expect(homeSection(both)).toBe('assignments');
    expect(homeSection(annotator)).toBe('assignments');
    expect(homeSection(null)).toBe('assignments');
  });
});

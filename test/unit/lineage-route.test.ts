import { describe, expect, it } from 'vitest';
import { parseDeepLink, parseHash, routeToHash } from '../../shared/routes';

describe('the Lineage page’s address', () => {
  it('is a page of one assignment, and reads back as the same place', () => {
    const route = { section: 'assignments', id: 'asg:7', view: 'lineage' } as const;
    expect(routeToHash(route)).toBe('#/assignments/asg%3A7/lineage');
    expect(parseHash(routeToHash(route))).toEqual(route);
    expect(parseHash('#/assignments/asg-1')).toEqual({ section: 'assignments', id: 'asg-1' });
  });

  it('is refused on other sections, and for a page that does not exist', () => {
    for (const hash of ['#/reviews/esc-1/lineage', '#/assignments/asg-1/files', '#/assignments/asg-1/lineage/more']) expect(parseHash(hash), hash).toBeNull();
    // Deep links name a place, not a page of it.
    expect(parseDeepLink('companion://assignments/asg-1/lineage')).toBeNull();
  });
});

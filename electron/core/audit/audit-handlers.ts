import type { Handlers } from '../api/router';
import type { LocalData } from '../db/local-data';

export function auditHandlers(data: LocalData) {
  return {
    'audit.list': (filter) => data.require().audit.list(filter),
    'audit.facets': () => data.require().audit.facets(),
    'audit.verify': () => data.require().audit.verify(),
  } satisfies Pick<Handlers, 'audit.list' | 'audit.facets' | 'audit.verify'>;
}

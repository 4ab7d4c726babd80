import type { Handlers } from '../kernel/api/router';
import type { LocalData } from '../kernel/db/local-data';
import type { AuditIntegrity } from '../kernel/db/integrity';
import { auditFacets, auditTimeline } from './timeline';

export function auditHandlers(data: LocalData, integrity: AuditIntegrity) {
  return {
    'audit.list': (filter) => data.require().audit.list(filter),
    'audit.timeline': (query) => auditTimeline(data.require().db, query),
    'audit.facets': () => auditFacets(data.require().db),
    'audit.verify': () => integrity.verify('user'),
    'audit.chain': () => integrity.chain(),
  } satisfies Pick<Handlers, 'audit.list' | 'audit.timeline' | 'audit.facets' | 'audit.verify' | 'audit.chain'>;
}

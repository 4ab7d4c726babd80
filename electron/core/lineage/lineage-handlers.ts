import type { Handlers } from '../kernel/api/router';
import type { LineageService } from './service';

export function lineageHandlers(lineage: LineageService) {
  return {
    'lineage.get': ({ assignmentId }) => lineage.view(assignmentId),
    'lineage.export': ({ assignmentId }) => lineage.prov(assignmentId),
  } satisfies Pick<Handlers, 'lineage.get' | 'lineage.export'>;
}

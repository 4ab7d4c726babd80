import type { Handlers } from '../kernel/api/router';
import type { ExportService } from './service';

export function exportHandlers(exports: ExportService) {
  return {
    'exports.run': ({ id }) => exports.run(id, 'manual'),
    'exports.list': ({ id }) => exports.list(id),
    'exports.agreement': ({ id }) => exports.agreement(id),
  } satisfies Pick<Handlers, 'exports.run' | 'exports.list' | 'exports.agreement'>;
}

import type { Handlers } from '../kernel/api/router';
import type { UpdateService } from './service';

export function updatesHandlers(updates: UpdateService) {
  return {
    'updates.status': () => updates.status(),
    'updates.check': () => updates.check(),
    'updates.restart': () => updates.restart(),
  } satisfies Pick<Handlers, 'updates.status' | 'updates.check' | 'updates.restart'>;
}

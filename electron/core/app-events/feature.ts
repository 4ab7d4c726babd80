import type { Core, Feature } from '../services/feature';
import { Announcer } from './announce';

/** F8: finished work and failures announced to the assignment's manager through Push. */
export function appEventsFeature(core: Core): Feature {
  const announcer = new Announcer({ outbox: core.outbox, db: () => core.data.require().db, assignment: (id) => core.store.assignment(id) });
  core.bus.on('session.failed', ({ assignmentId, reason, message }) =>
    announcer.pipelineFailed(assignmentId, reason === 'crashed' ? 'Prodigy crashed' : 'Task files could not be read', message, { reason }),
  );
  core.bus.on('package.uploaded', ({ row, remote }) => announcer.packageUploaded(row, remote));
  return {};
}

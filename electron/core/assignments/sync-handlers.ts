import type { Handlers } from '../kernel/api/router';
import { AppError } from '../kernel/errors';
import type { Logger } from '../kernel/ports';
import type { SyncEngine } from './engine';

export function syncHandlers(engine: SyncEngine, logger: Logger) {
  return {
    'assignments.list': () => engine.list(),
    'assignments.get': ({ id }) => engine.detail(id),
    'assignments.guidelines': ({ id }) => engine.guidelines(id),
    'assignments.files': ({ id, offset, limit, problemsOnly }) => engine.files(id, offset, limit, problemsOnly),
    // Refreshing the list is awaited, so being offline or signed out is reported; the download
    // itself runs on and reports through `sync.progress`.
    'sync.start': async ({ id }) => {
      try {
        await engine.refresh();
      } catch (error) {
        if (error instanceof AppError && error.code === 'OFFLINE') engine.notStarted(engine.targets(id), error.message);
        throw error;
      }
      void engine.syncAll(engine.targets(id)).catch((error: unknown) => logger.warn('sync did not finish', { error }));
      return null;
    },
    'sync.pause': async ({ id }) => {
      await engine.pause(id);
      return null;
    },
    'sync.cancel': async ({ id }) => {
      await engine.cancel(id);
      return null;
    },
  } satisfies Pick<Handlers, 'assignments.list' | 'assignments.get' | 'assignments.guidelines' | 'assignments.files' | 'sync.start' | 'sync.pause' | 'sync.cancel'>;
}

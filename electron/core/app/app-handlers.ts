import type { Route } from '../../../shared/routes';
import type { AppInfo, Status } from '../../../shared/api/schemas/app';
import type { Handlers } from '../kernel/api/router';
import type { LocalData } from '../kernel/db/local-data';
import type { EventHub } from '../kernel/ports';

export interface AppHandlerDeps {
  data: LocalData;
  events: EventHub;
  info(): AppInfo;
  status(): Status;
  takePendingRoute(): Route | null;
  /** Starts what needed the database, once a fresh one is open. */
  recovered(): Promise<void>;
}

export function appHandlers({ data, events, info, status, takePendingRoute, recovered }: AppHandlerDeps) {
  return {
    'app.info': () => info(),
    'app.status': () => status(),
    'app.takePendingRoute': () => takePendingRoute(),
    'app.recoverDatabase': async () => {
      const movedTo = data.moveAside();
      data.transaction(({ audit }) => audit.append({ type: 'database.moved_aside', details: { file: data.file, movedTo } }));
      await recovered();
      events.emit('status.changed', status());
      return info();
    },
  } satisfies Pick<Handlers, 'app.info' | 'app.status' | 'app.takePendingRoute' | 'app.recoverDatabase'>;
}

import type { Core, Feature } from '../services/feature';
import { UpdateService } from './service';
import { updatesHandlers } from './updates-handlers';

/** The app updating itself (desktop shell); the sandbox workspace and the browser shell say why they do not. */
export function updatesFeature(core: Core): Feature {
  const updates = new UpdateService({
    port: core.ports.updater ?? null,
    off: core.config.sandboxWorkspace ? 'This is the sandbox workspace, run from this folder: it never updates itself. Packaged releases do.' : null,
    version: core.config.version,
    data: core.data,
    events: core.events,
    clock: core.clock,
    logger: core.logger,
    notifier: core.notifier,
    channel: () => core.settings().updateChannel,
    online: () => core.file360.connectionState() !== 'offline',
    uploadsInFlight: () => core.outbox.store.pending().sending,
  });
  core.bus.on('settings.changed', ({ keys }) => {
    if (keys.includes('updateChannel')) updates.channelChanged();
  });
  return {
    handlers: updatesHandlers(updates),
    launch: () => updates.start(),
    close: () => updates.close(),
  };
}

import type { Status } from '../../../shared/api/schemas/app';
import type { Core, Feature } from '../services/feature';
import { authHandlers } from './auth-handlers';

/** Signing in and out of File 360; another server or tenant in the settings means another session. */
export function authFeature(core: Core, status: () => Status): Feature {
  const { bus, file360 } = core;
  bus.on('settings.changed', async ({ keys }) => {
    if (!keys.includes('server') && !keys.includes('tenant')) return;
    await file360.follow();
    bus.emit('status.stale', {});
  });
  return {
    handlers: authHandlers(file360, status, () => bus.emit('auth.signedOut', {})),
  };
}

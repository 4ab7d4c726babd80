import type { Logger, SecretStore } from '../ports';
import type { KeychainStatus } from '../../../../shared/api/schemas/app';
import { KEYCHAIN_SERVICE, KeyringSecretStore, keychainName } from './keyring-store';
import { MemorySecretStore } from './memory-store';

/** `<server>|<user>`: one keychain entry per File 360 account. */
export function accountKey(server: string, userId: string): string {
  return `${server.replace(/\/+$/, '')}|${userId}`;
}

/**
 * The OS keychain when one answers; otherwise memory for this run, with a
 * status the UI shows in plain words. Secrets never fall back to a file.
 */
export async function openSecretStore(logger: Logger, service = KEYCHAIN_SERVICE): Promise<SecretStore> {
  const keyring = new KeyringSecretStore(service);
  try {
    await keyring.probe();
    return keyring;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn('no keychain available; secrets kept in memory for this run', { reason });
    return new MemorySecretStore(noKeychain(reason));
  }
}

/** What the user reads when no keychain answered: words first; the keychain's own error (often a raw D-Bus one) only as `reason`. */
export function noKeychain(reason: string, platform: NodeJS.Platform = process.platform): KeychainStatus {
  return {
    kind: 'memory',
    detail:
      `The ${keychainName(platform)} is not available, so your sign-in lasts only until you quit. Nothing secret is written to disk.` +
      (platform === 'linux' ? ' Start a Secret Service keyring (for example gnome-keyring) to stay signed in.' : ''),
    reason,
  };
}

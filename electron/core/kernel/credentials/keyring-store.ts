import { AsyncEntry, findCredentialsAsync, type EntryOptions } from '@napi-rs/keyring';
import type { KeychainStatus } from '../../../../shared/api/schemas/app';
import type { SecretStore } from '../ports';

export const KEYCHAIN_SERVICE = 'annotator-companion';

/**
 * On Linux the library's default falls back to the kernel keyring, which is
 * lost at reboot and refuses writes in many sandboxes. Pin Secret Service so a
 * missing keychain is reported, not papered over.
 */
function entryOptions(platform: NodeJS.Platform): EntryOptions | undefined {
  return platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined;
}

const KEYCHAIN_NAMES: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'macOS Keychain',
  win32: 'Windows Credential Manager',
  linux: 'system keychain (Secret Service)',
};

/** The keychain this platform keeps secrets in, as its users know it. */
export function keychainName(platform: NodeJS.Platform): string {
  return KEYCHAIN_NAMES[platform] ?? 'OS keychain';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class KeyringSecretStore implements SecretStore {
  readonly status: KeychainStatus;

  constructor(
    private readonly service = KEYCHAIN_SERVICE,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.status = { kind: 'keychain', detail: `Credentials are kept in the ${keychainName(platform)}.` };
  }

  private entry(account: string): AsyncEntry {
    return new AsyncEntry(this.service, account, entryOptions(this.platform));
  }

  // async so a constructor that throws (no D-Bus) rejects instead of throwing.
  async get(account: string) {
    return this.entry(account).getPassword();
  }

  async set(account: string, secret: string) {
    return this.entry(account).setPassword(secret);
  }

  async delete(account: string) {
    return this.entry(account).deletePassword();
  }

  async list() {
    const found = await findCredentialsAsync(this.service);
    return found.map((credential) => credential.account).sort();
  }

  /** Throws, with the platform's reason, when no keychain answers. */
  async probe(): Promise<void> {
    try {
      await this.entry('probe').getPassword();
    } catch (error) {
      throw new Error(describe(error));
    }
  }
}

import type { KeychainStatus } from '../../../../shared/api/schemas/app';
import type { SecretStore } from '../ports';

/** Secrets for this run only, for when no keychain is reachable. Never written anywhere. */
export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();

  constructor(readonly status: KeychainStatus) {}

  async get(account: string) {
    return this.secrets.get(account) ?? null;
  }

  async set(account: string, secret: string) {
    this.secrets.set(account, secret);
  }

  async delete(account: string) {
    return this.secrets.delete(account);
  }

  async list() {
    return [...this.secrets.keys()].sort();
  }
}

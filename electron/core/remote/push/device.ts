import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { prepared } from '../../kernel/platform/statements';
import type { DeviceRegistration, PushApi } from './api';
import type { Owner } from '../../kernel/identity';

export function runtimeOf(platform: NodeJS.Platform): DeviceRegistration['runtime'] {
  if (platform === 'darwin') return 'desktop-mac';
  if (platform === 'win32') return 'desktop-win';
  return 'desktop-linux';
}

/**
 * The same for every try of one installation and account, so a registration
 * whose answer was lost returns the same device instead of a second one.
 * Shaped as an RFC 9562 version 8 (name-based, custom hash) UUID.
 */
export function deviceKey(installationId: string, owner: Owner): string {
  const hex = createHash('sha256').update([installationId, owner.server, owner.tenant, owner.userId].join('\n')).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface DeviceRow {
  device_id: string;
  topics: string;
}

const where = 'server = ? AND tenant = ? AND user_id = ?';
const keyOf = (owner: Owner): [string, string, string] => [owner.server, owner.tenant, owner.userId];

/** This installation's Push device for each account, registered once and kept in `push_devices`. */
export class PushDevices {
  private readonly registering = new Map<string, Promise<string>>();

  constructor(
    private readonly db: () => Database.Database,
    private readonly api: PushApi,
    private readonly registration: () => Omit<DeviceRegistration, 'runtime'>,
  ) {}

  private row(owner: Owner): DeviceRow | undefined {
    return prepared<[string, string, string], DeviceRow>(this.db(), `SELECT device_id, topics FROM push_devices WHERE ${where}`).get(...keyOf(owner));
  }

  /** The device id, registering it first if this account has none here; concurrent callers share one registration. */
  ensure(owner: Owner, signal?: AbortSignal): Promise<string> {
    const known = this.row(owner)?.device_id;
    if (known) return Promise.resolve(known);
    const slot = keyOf(owner).join('\n');
    let pending = this.registering.get(slot);
    if (!pending) {
      pending = this.register(owner, signal).finally(() => this.registering.delete(slot));
      this.registering.set(slot, pending);
    }
    return pending;
  }

  private async register(owner: Owner, signal?: AbortSignal): Promise<string> {
    const registration = this.registration();
    const id = await this.api.registerDevice(deviceKey(registration.installation_id, owner), { ...registration, runtime: runtimeOf(process.platform) }, signal);
    prepared(this.db(), 'INSERT INTO push_devices (server, tenant, user_id, device_id) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET device_id = excluded.device_id').run(
      ...keyOf(owner),
      id,
    );
    return id;
  }

  topics(owner: Owner): string[] {
    return JSON.parse(this.row(owner)?.topics ?? '[]') as string[];
  }

  saveTopics(owner: Owner, topics: Iterable<string>): void {
    prepared(this.db(), `UPDATE push_devices SET topics = ? WHERE ${where}`).run(JSON.stringify([...topics].sort()), ...keyOf(owner));
  }
}

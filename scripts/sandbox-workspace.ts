import fs from 'node:fs';
import path from 'node:path';
import { createSettingsService } from '../electron/core/settings/settings-service';
import { SETTINGS_NAME } from '../electron/core/companion';
import type { CompanionConfig } from '../electron/core/kernel/config/config';
import { sampleFixture, startFile360Sandbox, type File360Sandbox } from '../sandbox/file360';

const PREFERRED_PORT = 4360;

/** True when neither a flag, an environment variable nor the settings file names a File 360 server. */
export function noServerConfigured(config: CompanionConfig): boolean {
  const settings = createSettingsService(path.join(config.dataDir, SETTINGS_NAME), config.overrides).values();
  return !settings.server || !settings.tenant;
}

/**
 * The local File 360 stand-in with sample assignments, and a data folder of its
 * own inside the app's, so demo activity never mixes into a real audit log.
 */
export async function startSandboxWorkspace(config: CompanionConfig): Promise<{ sandbox: File360Sandbox; args: string[]; dataDir: string; env: NodeJS.ProcessEnv }> {
  const root = path.join(config.dataDir, 'sandbox-workspace');
  const dataDir = path.join(root, 'app');
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  const options = { dataDir: path.join(root, 'file360'), fixture: sampleFixture() };
  // A stable port keeps the workspace's assignments tied to one server address across runs.
  const sandbox = await startFile360Sandbox({ ...options, port: PREFERRED_PORT }).catch(() => startFile360Sandbox({ ...options, port: 0 }));
  // The Prodigy stand-in (sandbox/prodigy) answers to `python3 -m prodigy`, so sessions work without a licence.
  const pythonPath = [path.resolve('sandbox'), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  return { sandbox, dataDir, env: { PYTHONPATH: pythonPath }, args: ['--data-dir', dataDir, '--server', sandbox.url, '--tenant', sandbox.tenant, '--sandbox-workspace'] };
}

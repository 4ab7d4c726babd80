import path from 'node:path';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { SettingsSchema, ServerUrl, Tenant } from '../../../../shared/api/schemas/settings';
import type { Shell } from '../../../../shared/api/schemas/app';

export const APP_NAME = 'Annotator Companion';

/** Settings a flag or an environment variable may fix for one run. */
export type OverridableKey = 'server' | 'tenant' | 'prodigyCommand';

export interface Override {
  value: string;
  source: 'flag' | 'env';
  /** What set it, in the words the UI shows: `--server`, `COMPANION_SERVER`, or `the sandbox workspace`. */
  name: string;
}

export interface CompanionConfig {
  appName: string;
  version: string;
  shell: Shell;
  platform: NodeJS.Platform;
  dataDir: string;
  overrides: Partial<Record<OverridableKey, Override>>;
  /** Pointed at the local File 360 stand-in by `npm start` (no real server configured). */
  sandboxWorkspace: boolean;
  /** The environment child processes (Prodigy) inherit. */
  env: NodeJS.ProcessEnv;
  /** The user's home folder (their own ~/.prodigy is there). */
  homedir: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface ConfigInput {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homedir: string;
  version: string;
  shell: Shell;
}

/** The folder each OS expects an app's data in; the same one Electron's `userData` uses. */
export function defaultDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, homedir: string): string {
  if (platform === 'darwin') return path.join(homedir, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(homedir, 'AppData', 'Roaming'), APP_NAME);
  return path.join(env.XDG_CONFIG_HOME || path.join(homedir, '.config'), APP_NAME);
}

const FLAGS = {
  'data-dir': { type: 'string' },
  server: { type: 'string' },
  tenant: { type: 'string' },
  // The way to set the program the app runs without going through a window (settings.update refuses it from the browser shell).
  'prodigy-command': { type: 'string' },
  'sandbox-workspace': { type: 'boolean' },
} as const;

const ENV_NAMES: Record<OverridableKey | 'dataDir', string> = {
  dataDir: 'COMPANION_DATA_DIR',
  server: 'COMPANION_SERVER',
  tenant: 'COMPANION_TENANT',
  prodigyCommand: 'COMPANION_PRODIGY_COMMAND',
};

const FLAG_NAMES: Record<OverridableKey, Exclude<keyof typeof FLAGS, 'sandbox-workspace'>> = {
  server: 'server',
  tenant: 'tenant',
  prodigyCommand: 'prodigy-command',
};

/** What the sandbox workspace points at its File 360 stand-in. */
const SANDBOX_SETS: ReadonlySet<OverridableKey> = new Set(['server', 'tenant']);

const VALIDATORS: Record<OverridableKey, z.ZodType<string>> = {
  server: ServerUrl,
  tenant: Tenant,
  prodigyCommand: SettingsSchema.shape.prodigyCommand,
};

/**
 * Flags beat environment variables; the settings file and defaults come after
 * (see the settings service). A bad value is refused here, before anything starts.
 */
export function resolveConfig(input: ConfigInput): CompanionConfig {
  // Electron and Chromium add their own switches; only ours are read.
  const { values: flags } = parseArgs({ args: [...input.argv], options: FLAGS, strict: false, allowPositionals: true });
  const flag = (name: Exclude<keyof typeof FLAGS, 'sandbox-workspace'>) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);

  const sandboxWorkspace = flags['sandbox-workspace'] === true;
  const overrides: CompanionConfig['overrides'] = {};
  for (const key of ['server', 'tenant', 'prodigyCommand'] as const) {
    const fromFlag = flag(FLAG_NAMES[key]);
    const fromEnv = input.env[ENV_NAMES[key]] || undefined;
    // `npm start` passes the sandbox's --server and --tenant itself (scripts/sandbox-workspace.ts): the user typed no flag, so none is named.
    const flagName = sandboxWorkspace && SANDBOX_SETS.has(key) ? 'the sandbox workspace' : `--${FLAG_NAMES[key]}`;
    const override: Override | undefined =
      fromFlag !== undefined
        ? { value: fromFlag, source: 'flag', name: flagName }
        : fromEnv !== undefined
          ? { value: fromEnv, source: 'env', name: ENV_NAMES[key] }
          : undefined;
    if (!override) continue;
    const checked = VALIDATORS[key].safeParse(override.value);
    if (!checked.success) {
      throw new ConfigError(`${override.name} is not valid: ${checked.error.issues[0]?.message ?? 'invalid value'}.`);
    }
    overrides[key] = { ...override, value: checked.data };
  }

  const dataDirRaw = flag('data-dir') ?? (input.env[ENV_NAMES.dataDir] || undefined);
  const dataDir = dataDirRaw ? path.resolve(dataDirRaw) : defaultDataDir(input.platform, input.env, input.homedir);

  return {
    appName: APP_NAME,
    version: input.version,
    shell: input.shell,
    platform: input.platform,
    dataDir,
    overrides,
    sandboxWorkspace,
    env: input.env,
    homedir: input.homedir,
  };
}

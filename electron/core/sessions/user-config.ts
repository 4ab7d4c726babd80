import fs from 'node:fs';
import path from 'node:path';

/**
 * The user's own Prodigy settings, as Prodigy itself would find them
 * (prodi.gy/docs/install#config, CONTRACTS §C): the file named by
 * PRODIGY_CONFIG, else `$PRODIGY_HOME/prodigy.json` (home `~/.prodigy`), with
 * PRODIGY_CONFIG_OVERRIDES merged over it. Each session runs in a Prodigy home
 * of the app's, so without this the user's themes, batch size or
 * keyboard settings would be lost; what the app must decide is not taken.
 */

/**
 * Keys the app decides: where answers are stored, where Prodigy listens, how
 * tasks are routed between sessions, that every answer reaches the database
 * at once (so a stop loses none), that the flag button shows (flags become
 * escalations), and the assignment's instructions.
 */
export const APP_CONTROLLED = new Set([
  'db',
  'db_settings',
  'host',
  'port',
  'feed_overlap',
  'annotations_per_task',
  'allow_work_stealing',
  'instant_submit',
  'show_flag',
  'instructions',
]);

export interface UserConfig {
  /** The file read, or where it would be. */
  file: string;
  found: boolean;
  /** Settings taken over into every session. */
  kept: Record<string, unknown>;
  /** Keys the user set that the app decides instead. */
  ignored: string[];
  /** What could not be read, in words; the session starts without it. */
  problems: string[];
}

function readObject(text: string, what: string, problems: string[]): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    problems.push(`${what} is not a JSON object, so it was not used.`);
  } catch (error) {
    problems.push(`${what} is not valid JSON (${(error as Error).message}), so it was not used.`);
  }
  return {};
}

export function readUserConfig(env: NodeJS.ProcessEnv, homedir: string): UserConfig {
  const home = env.PRODIGY_HOME || path.join(homedir, '.prodigy');
  const file = env.PRODIGY_CONFIG || path.join(home, 'prodigy.json');
  const problems: string[] = [];
  let merged: Record<string, unknown> = {};
  let found = false;
  try {
    merged = readObject(fs.readFileSync(file, 'utf8'), file, problems);
    found = true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') problems.push(`${file} could not be read (${code ?? (error as Error).message}), so it was not used.`);
  }
  const overrides = env.PRODIGY_CONFIG_OVERRIDES?.trim();
  if (overrides) merged = { ...merged, ...readObject(overrides, 'PRODIGY_CONFIG_OVERRIDES', problems) };
  const kept: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(merged)) {
    if (APP_CONTROLLED.has(key)) ignored.push(key);
    else kept[key] = value;
  }
  return { file, found, kept, ignored: ignored.sort(), problems };
}

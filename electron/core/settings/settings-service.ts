import fs from 'node:fs';
import {
  DEFAULT_SETTINGS,
  SETTING_KEYS,
  SettingsSchema,
  type SettingKey,
  type Settings,
  type SettingSource,
  type SettingsView,
} from '../../../shared/api/schemas/settings';
import type { CompanionConfig } from '../kernel/config/config';
import { AppError } from '../kernel/errors';
import { writeFileAtomic } from '../kernel/platform/atomic-file';

interface FileState {
  values: Partial<Settings>;
  /** Keys a newer version wrote; kept so saving here does not drop them. */
  unknown: Record<string, unknown>;
  problem: string | null;
  /** The file exists but is not a JSON object, so saving must set it aside first. */
  unusable: boolean;
}

export interface SettingChange {
  key: SettingKey;
  from: unknown;
  to: unknown;
}

export interface SettingsUpdatePlan {
  changes: SettingChange[];
  /** Writes the file; call it inside the transaction that audits `changes`. */
  commit(): void;
}

function readFileState(file: string): FileState {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { values: {}, unknown: {}, problem: null, unusable: false };
    return { values: {}, unknown: {}, problem: `${file} could not be read (${(error as Error).message}); defaults are in use.`, unusable: true };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      values: {},
      unknown: {},
      problem: `${file} is not valid JSON (${(error as Error).message}). Defaults are in use; saving settings replaces it and keeps the old file beside it.`,
      unusable: true,
    };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { values: {}, unknown: {}, problem: `${file} does not hold a JSON object; defaults are in use.`, unusable: true };
  }
  const values: Partial<Settings> = {};
  const unknown: Record<string, unknown> = {};
  const bad: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (!(SETTING_KEYS as string[]).includes(key)) {
      unknown[key] = value;
      continue;
    }
    const checked = SettingsSchema.shape[key as SettingKey].safeParse(value);
    if (checked.success) Object.assign(values, { [key]: checked.data });
    else bad.push(`${key} (${checked.error.issues[0]?.message ?? 'invalid'})`);
  }
  const problem = bad.length ? `Some values in ${file} are not valid and the defaults are used instead: ${bad.join('; ')}.` : null;
  return { values, unknown, problem, unusable: false };
}

export interface SettingsService {
  values(): Settings;
  /** The view without `topicChoices`, which come from the user's assignments, not from settings. */
  view(): Omit<SettingsView, 'topicChoices'>;
  /** Checks the change and says what it would do; nothing is written until `commit`. */
  plan(patch: Partial<Settings>, now: Date): SettingsUpdatePlan;
}

export function createSettingsService(file: string, overrides: CompanionConfig['overrides']): SettingsService {
  let state = readFileState(file);

  const sourceOf = (key: SettingKey): SettingSource => {
    const override = overrides[key as keyof typeof overrides];
    if (override) return override.source;
    return key in state.values ? 'file' : 'default';
  };

  const values = (): Settings => {
    const out = { ...DEFAULT_SETTINGS, ...state.values };
    for (const [key, override] of Object.entries(overrides)) if (override) Object.assign(out, { [key]: override.value });
    return out;
  };

  return {
    values,

    view() {
      const lockedBy: Record<string, string> = {};
      for (const [key, override] of Object.entries(overrides)) {
        if (override) lockedBy[key] = `Set by ${override.name} for this run`;
      }
      return {
        values: values(),
        sources: Object.fromEntries(SETTING_KEYS.map((key) => [key, sourceOf(key)])) as Record<SettingKey, SettingSource>,
        lockedBy,
        file,
        fileProblem: state.problem,
      };
    },

    plan(patch, now) {
      const current = values();
      const changes: SettingChange[] = [];
      for (const key of Object.keys(patch) as SettingKey[]) {
        const override = overrides[key as keyof typeof overrides];
        if (override) {
          throw new AppError('SETTING_LOCKED', `"${key}" is set by ${override.name} for this run, so it cannot be changed here.`);
        }
        if (current[key] !== patch[key]) changes.push({ key, from: current[key], to: patch[key] });
      }
      return {
        changes,
        commit() {
          if (changes.length === 0) return;
          if (state.unusable && fs.existsSync(file)) {
            fs.renameSync(file, `${file}.invalid-${now.toISOString().replace(/[:.]/g, '-')}`);
          }
          const next = { ...state.unknown, ...state.values, ...patch };
          writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
          state = { values: { ...state.values, ...patch }, unknown: state.unknown, problem: null, unusable: false };
        },
      };
    },
  };
}

import { CONFIRMED_SETTINGS, type SettingKey, type TopicChoice } from '../../../shared/api/schemas/settings';
import type { Handlers } from '../kernel/api/router';
import { AppError } from '../kernel/errors';
import type { LocalData } from '../kernel/db/local-data';
import type { Clock } from '../kernel/ports';
import type { SettingsService } from './settings-service';

export interface SettingsHandlerDeps {
  settings: SettingsService;
  data: LocalData;
  clock: Clock;
  /** Called after a change is saved, so dependants (status, sync) can follow it. */
  changed(keys: SettingKey[]): void;
  /** The Push topics the signed-in user can mute. */
  topicChoices(): TopicChoice[];
}

export function settingsHandlers({ settings, data, clock, changed, topicChoices }: SettingsHandlerDeps) {
  const view = () => ({ ...settings.view(), topicChoices: topicChoices() });
  return {
    'settings.get': view,
    'settings.update': ({ values, confirm }) => {
      const plan = settings.plan(values, clock.now());
      if (plan.changes.length === 0) return view();
      for (const key of CONFIRMED_SETTINGS) {
        const change = plan.changes.find((candidate) => candidate.key === key);
        if (change && confirm?.[key] !== change.to) {
          throw new AppError('CONFIRMATION_REQUIRED', 'The command that starts Prodigy is a program this app runs: type the new command a second time, exactly, to confirm it.');
        }
      }
      // Settings decide where data goes, so a change is only saved together with its audit entries.
      data.transaction(({ audit }) => {
        for (const change of plan.changes) {
          audit.append({ type: 'settings.changed', details: { key: change.key, from: change.from ?? null, to: change.to ?? null } });
        }
        plan.commit();
      });
      changed(plan.changes.map((change) => change.key));
      return view();
    },
  } satisfies Pick<Handlers, 'settings.get' | 'settings.update'>;
}

import type { TopicChoice } from '../../../shared/api/schemas/settings';
import type { Core, Feature } from '../services/feature';
import { settingsHandlers } from './settings-handlers';
import type { SettingsService } from './settings-service';

/** Settings: saved with their audit entries; whoever follows a setting subscribes to `settings.changed`. */
export function settingsFeature(core: Core, settings: SettingsService, topicChoices: () => TopicChoice[]): Feature {
  return {
    handlers: settingsHandlers({
      settings,
      data: core.data,
      clock: core.clock,
      topicChoices,
      changed: (keys) => core.bus.emit('settings.changed', { keys }),
    }),
  };
}

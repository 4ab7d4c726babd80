import type { Core, Feature } from '../services/feature';
import { lineageHandlers } from './lineage-handlers';
import { LineageService } from './service';

export interface LineageFeature extends Feature {
  readonly lineage: LineageService;
}

/** Where an assignment's packages came from and what became of them (W3C PROV). */
export function lineageFeature(core: Core): LineageFeature {
  const lineage = new LineageService({ data: core.data, store: core.store, app: { name: core.config.appName, version: core.config.version } });
  return { lineage, handlers: lineageHandlers(lineage) };
}

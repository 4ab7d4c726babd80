import path from 'node:path';
import { onTestFinished } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/wire';
import { createCompanion, type Companion, type CompanionTuning } from '../../electron/core/companion';
import { resolveConfig } from '../../electron/core/kernel/config/config';
import type { Ports } from '../../electron/core/kernel/ports';
import { testPorts, type TestPorts } from './ports';

export interface Started {
  companion: Companion;
  /** The recording test ports, with whatever the test swapped in. */
  ports: TestPorts & Ports;
  dataDir: string;
  /** A call that must succeed; returns its value. */
  call<M extends MethodName>(method: M, input?: MethodInput<M>): Promise<MethodOutput<M>>;
  /** A call as the UI sees it, success or failure. */
  raw(method: string, input?: unknown): Promise<CallResult>;
}

/** A real core on a real data folder, closed when the test ends. */
export interface StartOptions {
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  ports?: Partial<Ports>;
  tuning?: CompanionTuning;
  /** The app's version (a newer build starting on the same folder). */
  version?: string;
}

export async function startCompanion(dataDir: string, options: StartOptions = {}): Promise<Started> {
  const config = resolveConfig({
    argv: ['--data-dir', dataDir, ...(options.argv ?? [])],
    env: options.env ?? {},
    platform: 'linux',
    homedir: path.dirname(dataDir),
    version: options.version ?? '0.1.0-test',
    shell: 'browser',
  });
  // Whatever the test swapped in replaces a default; the rest keep their recording types.
  const ports = testPorts(options.ports) as TestPorts & Ports;
  const companion = await createCompanion(config, ports, options.tuning);
  let closed = false;
  const close = companion.close.bind(companion);
  companion.close = async () => {
    if (closed) return;
    closed = true;
    await close();
  };
  onTestFinished(() => companion.close());
  const raw = (method: string, input: unknown = {}) => companion.router.call(method, input);
  return {
    companion,
    ports,
    dataDir,
    raw,
    async call(method, input) {
      const result = await raw(method, input ?? {});
      if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
      return result.value as never;
    },
  };
}

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { cruise, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp';

/**
 * The core's tier rules (.dependency-cruiser.cjs, run by `npm run lint`), held
 * to what they must refuse: each case writes a two-file tree in a temporary
 * folder and cruises it with the project's own rules.
 */
const config = createRequire(import.meta.url)(path.resolve('.dependency-cruiser.cjs')) as IConfiguration;

async function violations(files: Record<string, string>): Promise<string[]> {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const result = await cruise(['electron'], { ruleSet: { forbidden: config.forbidden }, validate: true, tsPreCompilationDeps: true, baseDir: dir }, { extensions: ['.ts'] });
    if (typeof result.output === 'string') throw new Error(result.output);
    return result.output.summary.violations.map((violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`);
  } finally {
    process.chdir(cwd);
  }
}

describe('the core’s tiers', () => {
  it('lets a feature import the kernel and a remote client', async () => {
    expect(
      await violations({
        'electron/core/kernel/identity.ts': 'export interface Owner { userId: string }\n',
        'electron/core/remote/file360/client.ts': "import type { Owner } from '../../kernel/identity';\nexport const client = (owner: Owner) => owner;\n",
        'electron/core/sync/engine.ts': "import { client } from '../remote/file360/client';\nexport const run = client;\n",
      }),
    ).toEqual([]);
  });

  it('refuses the kernel importing a feature', async () => {
    expect(
      await violations({
        'electron/core/kernel/db/names.ts': "import { store } from '../../sync/store';\nexport const names = store;\n",
        'electron/core/sync/store.ts': 'export const store = 1;\n',
      }),
    ).toEqual(['kernel-imports-only-kernel: electron/core/kernel/db/names.ts → electron/core/sync/store.ts']);
  });

  it('refuses a remote client importing a feature or the other client', async () => {
    expect(
      await violations({
        'electron/core/remote/push/cursor.ts': "import { kind } from '../../notifications/types';\nimport { http } from '../file360/http';\nexport const cursor = [kind, http];\n",
        'electron/core/notifications/types.ts': 'export const kind = 1;\n',
        'electron/core/remote/file360/http.ts': 'export const http = 1;\n',
      }),
    ).toEqual([
      'remote-imports-only-kernel: electron/core/remote/push/cursor.ts → electron/core/notifications/types.ts',
      'remote-imports-only-kernel: electron/core/remote/push/cursor.ts → electron/core/remote/file360/http.ts',
    ]);
  });

  it('refuses a shared service importing a feature', async () => {
    expect(
      await violations({
        'electron/core/services/outbox/kind.ts': "import type { Payload } from '../../exports/package-sender';\nexport type Kind = Payload;\n",
        'electron/core/exports/package-sender.ts': 'export type Payload = { file: string };\n',
      }),
    ).toEqual(['services-import-only-below: electron/core/services/outbox/kind.ts → electron/core/exports/package-sender.ts']);
  });

  it('refuses a feature importing another feature, type-only too, and lets it import the shared services', async () => {
    expect(
      await violations({
        'electron/core/sync/engine.ts': "import { start } from '../prodigy/service';\nexport const run = start;\n",
        'electron/core/prodigy/service.ts': 'export const start = 1;\n',
        'electron/core/exports/service.ts':
          "import type { Chain } from '../lineage/record';\nimport { decide } from '../reviews/service';\nimport { taskText } from '../services/prodigy/text';\nexport const both: [Chain, number, number] = [1, decide, taskText];\n",
        'electron/core/lineage/record.ts': 'export type Chain = number;\n',
        'electron/core/reviews/service.ts': 'export const decide = 1;\n',
        'electron/core/services/prodigy/text.ts': 'export const taskText = 1;\n',
      }),
    ).toEqual([
      'features-import-no-feature: electron/core/exports/service.ts → electron/core/lineage/record.ts',
      'features-import-no-feature: electron/core/exports/service.ts → electron/core/reviews/service.ts',
      'features-import-no-feature: electron/core/sync/engine.ts → electron/core/prodigy/service.ts',
    ]);
  });

  it('refuses an import cycle, type-only or not, and a feature importing the composition root', async () => {
    const found = await violations({
      'electron/core/audit/history.ts': "import type { Row } from './view';\nexport type History = Row;\n",
      'electron/core/audit/view.ts': "import type { History } from './history';\nexport type Row = { h?: History };\n",
      'electron/core/exports/service.ts': "import { DATABASE_NAME } from '../companion';\nexport const name = DATABASE_NAME;\n",
      'electron/core/companion.ts': "export const DATABASE_NAME = 'companion.db';\n",
    });
    expect(found).toContain('nothing-imports-the-root: electron/core/exports/service.ts → electron/core/companion.ts');
    expect(found.filter((line) => line.startsWith('no-circular:'))).toHaveLength(1);
  });

  it('has no cycle between the core’s folders either (the kernel’s, the clients’, the services’ and the features’), only inside one', () => {
    // dependency-cruiser finds cycles of files; a cycle of folders (db opens the audit log, the audit reads the db) makes tiers meaningless too.
    const root = path.resolve('electron/core');
    const unit = (file: string) => {
      const parts = path.relative(root, file).split(path.sep);
      if (parts.length === 1) return '(root)';
      if (['kernel', 'remote', 'services'].includes(parts[0] ?? '')) return parts.length > 2 ? `${parts[0]}/${parts[1]}` : `${parts[0]}/(files)`;
      return parts[0] ?? '';
    };
    const edges = new Map<string, Set<string>>();
    for (const file of fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts')).map((name) => path.join(root, name))) {
      for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = path.resolve(path.dirname(file), spec ?? '');
        if (!target.startsWith(root + path.sep)) continue;
        const [from, to] = [unit(file), unit(target)];
        if (from !== to) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    const cycles: string[] = [];
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      [...(edges.get(from) ?? [])].some((next) => next === to || (!seen.has(next) && (seen.add(next), reaches(next, to, seen))));
    for (const [from, targets] of edges) for (const to of targets) if (reaches(to, from)) cycles.push(`${from} → ${to}`);
    expect(edges.size).toBeGreaterThan(10);
    expect(cycles).toEqual([]);
  });
});

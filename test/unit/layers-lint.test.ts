import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'project/layers').map((m) => m.message);
}

describe('the layer rule (npm run lint)', () => {
  const forbidden: Array<[string, string, RegExp]> = [
    ['electron/core/sync/engine.ts', "import { app } from 'electron';", /plain Node/],
    ['electron/core/sync/engine.ts', "const { app } = require('electron');", /plain Node/],
    ['electron/core/sync/engine.ts', "import { bindIpc } from '../../ipc';", /glue/],
    ['electron/core/sync/engine.ts', "import { App } from '../../../renderer/src/App';", /renderer/],
    ['electron/host/server2.ts', "import { BrowserWindow } from 'electron';", /plain Node/],
    ['renderer/src/views/X.tsx', "import fs from 'node:fs';", /Node built-in/],
    ['renderer/src/views/X.tsx', "import path from 'path';", /Node built-in/],
    ['renderer/src/views/X.tsx', "import Database from 'better-sqlite3';", /better-sqlite3/],
    ['renderer/src/views/X.tsx', "import { Entry } from '@napi-rs/keyring';", /keyring/],
    ['renderer/src/views/X.tsx', "import { ipcRenderer } from 'electron';", /electron/],
    ['renderer/src/views/X.tsx', "import { createCompanion } from '../../../electron/core/companion';", /only renderer\/ and shared\//],
    ['renderer/src/views/X.tsx', "import { methods } from '../../../shared/api/contract';", /import type/],
    ['renderer/src/views/X.tsx', "import { z } from 'zod';", /import type/],
    ['shared/thing.ts', "import { Router } from '../electron/core/api/router';", /shared\/ may not import/],
    ['shared/thing.ts', "import { App } from '../renderer/src/App';", /shared\/ may not import/],
    ['shared/thing.ts', "import crypto from 'node:crypto';", /Node built-in/],
    ['shared/thing.ts', "export * from '../electron/core/errors';", /shared\/ may not import/],
    ['sandbox/file360/server.ts', "import { AppError } from '../../electron/core/kernel/errors';", /only know the wire contract/],
    ['electron/core/sync/engine.ts', "import { startFile360Sandbox } from '../../../sandbox/file360/server';", /may not import sandbox/],
    ['test/shell/x.test.ts', "import { HIDDEN_FLAG } from '../../electron/login-item';", /download of its binary/],
    ['test/unit/x.test.ts', "import { app } from 'electron';", /Electron double/],
    ['scripts/x.ts', "const electron = require('electron');", /download of its binary/],
  ];

  for (const [file, code, reason] of forbidden) {
    it(`fails ${file}: ${code}`, async () => {
      const errors = await layerErrors(file, code);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(reason);
    });
  }

  const allowed: Array<[string, string]> = [
    ['electron/main.ts', "import { app } from 'electron';"],
    ['electron/main.ts', "import { createCompanion } from './core/companion';"],
    ['electron/core/sync/engine.ts', "import fs from 'node:fs';\nimport Database from 'better-sqlite3';"],
    ['electron/core/sync/engine.ts', "import { methods } from '../../../shared/api/contract';"],
    ['electron/host/server2.ts', "import { createCompanion } from '../core/companion';"],
    ['renderer/src/views/X.tsx', "import type { MethodName } from '../../../shared/api/contract';"],
    ['renderer/src/views/X.tsx', "import { SECTIONS } from '../../../shared/routes';"],
    ['renderer/src/views/X.tsx', "import { useState } from 'react';"],
    ['shared/thing.ts', "import { z } from 'zod';"],
    ['sandbox/file360/server.ts', "import http from 'node:http';\nimport { z } from 'zod';"],
    ['test/shell/x.test.ts', "import type { UpdaterPort } from '../../electron/core/kernel/ports';\nimport { startFile360Sandbox } from '../../sandbox/file360';"],
    ['test/support/x.ts', "import type { BrowserWindow } from 'electron';"],
  ];

  for (const [file, code] of allowed) {
    it(`allows ${file}: ${code.split('\n')[0]}`, async () => {
      expect(await layerErrors(file, code)).toEqual([]);
    });
  }
});

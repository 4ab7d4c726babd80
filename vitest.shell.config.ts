import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * The tests that execute the Electron shell, for `npm run coverage:shell`
 * (scripts/coverage-shell.ts measures them with c8). Only these files: mergeConfig
 * would add them to the suite's list instead.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/shell/**/*.test.ts', 'test/e2e/electron-double.test.ts'],
    // Each worker writes what V8 counted before it goes (NODE_V8_COVERAGE is set by the script).
    setupFiles: ['test/support/electron-double/take-coverage.ts'],
  },
});

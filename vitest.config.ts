import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fails the run if the last-line handler fired in any app process a test started.
    globalSetup: ['test/global-setup.ts'],
    // Native modules and child processes are happiest in forked workers.
    pool: 'forks',
    testTimeout: 30_000,
    // expect.poll waits 1 s by default: what a UI shows after a click can take longer on a busy two-core machine.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 60_000,
    // Two cores: keep Chromium and the servers from starving each other.
    maxWorkers: 2,
    // Lists every test, and the reason beside every skipped one.
    reporters: ['verbose'],
    // oidc-provider's development login page is what the real-server suite drives, by design; its notice about it is noise.
    onConsoleLog: (log) => !log.includes('oidc-provider WARNING: a quick start development-only feature devInteractions'),
  },
});

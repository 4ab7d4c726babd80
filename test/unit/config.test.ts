import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultDataDir, resolveConfig, type ConfigInput } from '../../electron/core/kernel/config/config';
import { SERVER_ADDRESS_HINT } from '../../shared/url';

const base: ConfigInput = { argv: [], env: {}, platform: 'linux', homedir: '/home/ana', version: '1.0.0', shell: 'browser' };

describe('configuration', () => {
  it('puts data where each OS expects an app’s data', () => {
    expect(defaultDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.config/Annotator Companion');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ana')).toBe('/xdg/Annotator Companion');
    expect(defaultDataDir('darwin', {}, '/Users/ana')).toBe('/Users/ana/Library/Application Support/Annotator Companion');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana')).toBe(
      path.join('C:\\Users\\ana\\AppData\\Roaming', 'Annotator Companion'),
    );
  });

  it('takes a flag over an environment variable over nothing', () => {
    expect(resolveConfig(base).overrides).toEqual({});
    const fromEnv = resolveConfig({ ...base, env: { COMPANION_SERVER: 'https://env.example', COMPANION_TENANT: 'env-t' } });
    expect(fromEnv.overrides.server).toEqual({ value: 'https://env.example', source: 'env', name: 'COMPANION_SERVER' });
    const fromFlag = resolveConfig({ ...base, argv: ['--server=https://flag.example'], env: { COMPANION_SERVER: 'https://env.example' } });
    expect(fromFlag.overrides.server).toEqual({ value: 'https://flag.example', source: 'flag', name: '--server' });
  });

  it('says the sandbox workspace set its server and tenant, not a flag the user never typed', () => {
    const config = resolveConfig({ ...base, argv: ['--prodigy-command', 'python3 -m prodigy', '--server', 'http://127.0.0.1:4360', '--tenant', 'acme', '--sandbox-workspace'] });
    expect(config.overrides.server).toEqual({ value: 'http://127.0.0.1:4360', source: 'flag', name: 'the sandbox workspace' });
    expect(config.overrides.tenant?.name).toBe('the sandbox workspace');
    expect(config.overrides.prodigyCommand?.name).toBe('--prodigy-command');
  });

  it('takes the data folder from --data-dir, then COMPANION_DATA_DIR, then the OS default', () => {
    expect(resolveConfig(base).dataDir).toBe('/home/ana/.config/Annotator Companion');
    expect(resolveConfig({ ...base, env: { COMPANION_DATA_DIR: '/srv/env-data' } }).dataDir).toBe('/srv/env-data');
    expect(resolveConfig({ ...base, argv: ['--data-dir', '/srv/flag'], env: { COMPANION_DATA_DIR: '/srv/env' } }).dataDir).toBe('/srv/flag');
  });

  it('ignores the switches Electron and Chromium add', () => {
    const config = resolveConfig({ ...base, argv: ['--inspect=0', '--remote-debugging-port=0', 'companion://audit', '--tenant', 'acme'] });
    expect(config.overrides.tenant?.value).toBe('acme');
  });

  it('refuses a bad server or tenant before anything starts, naming where it came from', () => {
    expect(() => resolveConfig({ ...base, argv: ['--server', 'http://file360.example.com'] })).toThrow(ConfigError);
    expect(() => resolveConfig({ ...base, argv: ['--server', 'http://file360.example.com'] })).toThrow(/--server is not valid: Use an https/);
    // Not an address at all (no scheme, another scheme): the words say what to type.
    for (const typed of ['file360.example.com', 'ftp://file360.example.com']) {
      expect(() => resolveConfig({ ...base, argv: ['--server', typed] })).toThrow(`--server is not valid: ${SERVER_ADDRESS_HINT}.`);
    }
    expect(() => resolveConfig({ ...base, env: { COMPANION_TENANT: 'a b' } })).toThrow(/COMPANION_TENANT is not valid/);
    expect(resolveConfig({ ...base, argv: ['--server', 'http://127.0.0.1:8080'] }).overrides.server?.value).toBe('http://127.0.0.1:8080');
  });
});

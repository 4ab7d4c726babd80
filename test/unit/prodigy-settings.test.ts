import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readUserConfig } from '../../electron/core/sessions/user-config';
import { isSupported, versionParts, versionWords } from '../../electron/core/sessions/version';
import { tempDir } from '../support/tmp';

describe('the user’s own Prodigy settings', () => {
  it('are read from ~/.prodigy/prodigy.json with PRODIGY_CONFIG_OVERRIDES over them, keeping what the app does not decide', () => {
    const home = tempDir();
    fs.mkdirSync(path.join(home, '.prodigy'));
    fs.writeFileSync(path.join(home, '.prodigy', 'prodigy.json'), JSON.stringify({ batch_size: 25, custom_theme: { cardMaxWidth: 1200 }, port: 9000, db: 'postgresql', instant_submit: false }));
    const user = readUserConfig({ PRODIGY_CONFIG_OVERRIDES: '{"show_stats": true, "batch_size": 5, "db_settings": {"sqlite": {"path": "/elsewhere"}}}' }, home);
    expect(user).toEqual({
      file: path.join(home, '.prodigy', 'prodigy.json'),
      found: true,
      kept: { batch_size: 5, custom_theme: { cardMaxWidth: 1200 }, show_stats: true },
      ignored: ['db', 'db_settings', 'instant_submit', 'port'],
      problems: [],
    });
  });

  it('follow PRODIGY_CONFIG and PRODIGY_HOME as Prodigy does, and say what could not be read instead of failing', () => {
    const dir = tempDir();
    const team = path.join(dir, 'team.json');
    fs.writeFileSync(team, '{"batch_size": 2,}');
    const broken = readUserConfig({ PRODIGY_CONFIG: team, PRODIGY_CONFIG_OVERRIDES: '[1]' }, dir);
    expect(broken.kept).toEqual({});
    expect(broken.problems).toEqual([expect.stringMatching(new RegExp(`^${team.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON \\(.+\\), so it was not used\\.$`)), 'PRODIGY_CONFIG_OVERRIDES is not a JSON object, so it was not used.']);
    const none = readUserConfig({ PRODIGY_HOME: path.join(dir, 'nowhere') }, dir);
    expect(none).toMatchObject({ file: path.join(dir, 'nowhere', 'prodigy.json'), found: false, kept: {}, problems: [] });
  });
});

describe('which Prodigy versions the app supports', () => {
  it('reads versions as Prodigy prints them, and compares them with 1.12.0', () => {
    expect(versionParts('1.18.4')).toEqual([1, 18, 4]);
    expect(versionParts('1.18.4-sandbox')).toEqual([1, 18, 4]);
    expect(versionParts('v1.12')).toEqual([1, 12, 0]);
    expect(versionParts('nightly')).toBeNull();
    expect([isSupported('1.12.0'), isSupported('1.11.14'), isSupported('2.0.0'), isSupported('1.9.10'), isSupported('?')]).toEqual([true, false, true, false, null]);
  });

  it('warns in words when Prodigy is too old, and says what to do', () => {
    expect(versionWords('1.11.8', null)).toBe(
      'Prodigy 1.11.8 is older than 1.12.0, the oldest version this app supports. Sessions may not start, or may lose how tasks are shared between annotators. Ask for Prodigy to be upgraded (pip install --upgrade prodigy).',
    );
    expect(versionWords('1.18.4', null)).toBe('Prodigy 1.18.4: supported (1.12.0 or newer).');
    expect(versionWords(null, 'Prodigy could not be asked for its version: not installed')).toBe('Prodigy could not be asked for its version: not installed');
  });
});

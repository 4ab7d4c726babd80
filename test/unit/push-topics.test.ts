import { describe, expect, it } from 'vitest';
import { deviceKey, runtimeOf } from '../../electron/core/remote/push/device';
import { diffTopics, topicChoices, wantedTopics } from '../../electron/core/remote/push/topics';

describe('Push topics follow the user', () => {
  it('are the active assignments, the reviewed groups and the user, each once', () => {
    const assignments = [
      { id: 'asg-1', status: 'active' },
      { id: 'asg-2', status: 'expired' },
      { id: 'asg-3', status: 'revoked' },
      { id: 'asg-4', status: 'active' },
      { id: 'asg-1', status: 'active' },
    ];
    expect(wantedTopics(assignments, ['support-sme', 'legal'], 'u-ana')).toEqual(['assignment.asg-1', 'assignment.asg-4', 'escalations.legal', 'escalations.support-sme', 'user.u-ana']);
    expect(wantedTopics([], [], 'u-ana')).toEqual(['user.u-ana']);
  });

  it('can be muted by name: the active assignments and the review queues, not the user’s own topic', () => {
    const assignments = [
      { id: 'asg-2', status: 'active', name: 'Release notes' },
      { id: 'asg-1', status: 'active', name: 'Intent triage' },
      { id: 'asg-3', status: 'expired', name: 'Old batch' },
    ];
    expect(topicChoices(assignments, ['support-sme'])).toEqual([
      { topic: 'assignment.asg-1', kind: 'assignment', name: 'Intent triage' },
      { topic: 'assignment.asg-2', kind: 'assignment', name: 'Release notes' },
      { topic: 'escalations.support-sme', kind: 'reviews', name: 'support-sme' },
    ]);
    // The same strings the subscription uses, so a muted choice matches what Push sends.
    const wanted = wantedTopics(assignments, ['support-sme'], 'u-ana');
    for (const choice of topicChoices(assignments, ['support-sme'])) expect(wanted).toContain(choice.topic);
  });

  it('change by subscribing to what is new and dropping what is stale, nothing else', () => {
    expect(diffTopics(['user.u', 'assignment.a', 'assignment.b'], ['user.u', 'assignment.b', 'assignment.c'])).toEqual({ add: ['assignment.c'], remove: ['assignment.a'] });
    expect(diffTopics(['user.u'], ['user.u'])).toEqual({ add: [], remove: [] });
  });
});

describe('a Push device', () => {
  const owner = { server: 'https://f360.example', tenant: 'acme', userId: 'u-ana' };

  it('is registered under a key that is the same on every try for one installation and account', () => {
    const key = deviceKey('installation-1', owner);
    expect(deviceKey('installation-1', { ...owner })).toBe(key);
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deviceKey('installation-2', owner)).not.toBe(key);
    expect(deviceKey('installation-1', { ...owner, userId: 'u-sam' })).not.toBe(key);
    expect(deviceKey('installation-1', { ...owner, tenant: 'other' })).not.toBe(key);
  });

  it('names the desktop it runs on', () => {
    expect([runtimeOf('linux'), runtimeOf('darwin'), runtimeOf('win32'), runtimeOf('freebsd')]).toEqual(['desktop-linux', 'desktop-mac', 'desktop-win', 'desktop-linux']);
  });
});

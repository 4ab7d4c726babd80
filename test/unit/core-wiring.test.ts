import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../shared/api/contract';
import { collectHandlers, type Handlers } from '../../electron/core/kernel/api/router';
import { coalesced, createBus } from '../../electron/core/kernel/bus';
import { byStage, type WipeStep } from '../../electron/core/services/assignments/wipe';
import { recordingLogger } from '../support/ports';

interface Events {
  said: { words: string };
  other: object;
}

describe('the bus between features', () => {
  it('calls each listener of an event in the order they subscribed, and only those', () => {
    const bus = createBus<Events>(recordingLogger());
    const heard: string[] = [];
    bus.on('said', ({ words }) => void heard.push(`first ${words}`));
    bus.on('other', () => void heard.push('other'));
    const stop = bus.on('said', ({ words }) => void heard.push(`second ${words}`));
    bus.emit('said', { words: 'hello' });
    stop();
    bus.emit('said', { words: 'again' });
    expect(heard).toEqual(['first hello', 'second hello', 'first again']);
  });

  it('logs a listener that throws or rejects and still calls the others', async () => {
    const logger = recordingLogger();
    const bus = createBus<Events>(logger);
    const heard: string[] = [];
    bus.on('said', () => {
      throw new Error('broken listener');
    });
    bus.on('said', () => Promise.reject(new Error('broken later')));
    bus.on('said', ({ words }) => void heard.push(words));
    bus.emit('said', { words: 'still heard' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard).toEqual(['still heard']);
    expect(logger.lines.filter((line) => line.level === 'error').map((line) => (line.fields?.error as Error).message)).toEqual(['broken listener', 'broken later']);
  });
});

describe('coalesced work', () => {
  it('runs a burst of asks as at most two runs, one at a time', async () => {
    let runs = 0;
    let concurrent = 0;
    let most = 0;
    const release: Array<() => void> = [];
    const ask = coalesced(
      () =>
        new Promise<void>((resolve) => {
          runs += 1;
          concurrent += 1;
          most = Math.max(most, concurrent);
          release.push(() => {
            concurrent -= 1;
            resolve();
          });
        }),
      () => undefined,
    );
    for (let i = 0; i < 10; i += 1) ask();
    expect(runs).toBe(1);
    release.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toBe(2);
    release.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect({ runs, most }).toEqual({ runs: 2, most: 1 });
  });

  it('hands a failure to the caller and runs again when asked', async () => {
    const failures: string[] = [];
    let runs = 0;
    const ask = coalesced(async () => {
      runs += 1;
      throw new Error(`run ${runs} failed`);
    }, (error) => failures.push((error as Error).message));
    ask();
    await new Promise((resolve) => setImmediate(resolve));
    ask();
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures).toEqual(['run 1 failed', 'run 2 failed']);
  });
});

describe('handlers collected from the features', () => {
  const all = Object.fromEntries(METHOD_NAMES.map((name) => [name, () => null])) as unknown as Handlers;
  const without = (name: keyof Handlers) => Object.fromEntries(Object.entries(all).filter(([key]) => key !== name)) as Partial<Handlers>;

  it('answers every method of the contract once', () => {
    const { 'app.info': info, ...rest } = all;
    expect(Object.keys(collectHandlers([{ 'app.info': info }, rest])).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('names a method no feature answers, and one two features answer', () => {
    expect(() => collectHandlers([without('audit.fetchHistory')])).toThrow('No feature answers audit.fetchHistory.');
    expect(() => collectHandlers([all, { 'sync.start': all['sync.start'] }])).toThrow('Two features answer sync.start.');
  });
});

describe('wipe steps', () => {
  it('run by stage, and within a stage in the order registered, whatever order the features are listed in', () => {
    const step = (name: string, stage: WipeStep['stage']): WipeStep => ({ name, stage });
    const listed = [step('reviews', 'remove'), step('notifications', 'strip'), step('escalations', 'remove'), step('exports', 'count'), step('outbox', 'last-call'), step('prodigy', 'stop-work')];
    expect(byStage(listed).map((s) => s.name)).toEqual(['prodigy', 'outbox', 'exports', 'notifications', 'reviews', 'escalations']);
  });
});

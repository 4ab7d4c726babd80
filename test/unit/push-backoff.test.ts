import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReconnectBackoff } from '../../electron/core/remote/push/backoff';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('reconnect backoff', () => {
  it('draws each wait from the whole range [0, base·2ⁿ) up to the cap: full jitter', () => {
    const backoff = () => new ReconnectBackoff({ baseMs: 100, maxMs: 1000, healthyMs: 10_000 });
    const random = vi.spyOn(Math, 'random');
    random.mockReturnValue(0);
    const low = backoff();
    expect([low.next(), low.next(), low.next()]).toEqual([0, 0, 0]);
    random.mockReturnValue(0.5);
    const mid = backoff();
    expect(Array.from({ length: 6 }, () => mid.next())).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it('takes the server’s retry hint as its base, within the cap', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const backoff = new ReconnectBackoff({ baseMs: 100, maxMs: 1000, healthyMs: 10_000 });
    backoff.hint(40);
    expect([backoff.next(), backoff.next()]).toEqual([20, 40]);
    backoff.hint(5_000_000);
    expect(backoff.next()).toBe(500);
    backoff.hint(0);
    backoff.ended(10_000);
    expect(Array.from({ length: 10 }, () => backoff.next())).toEqual([0, 1, 2, 4, 8, 16, 32, 64, 128, 256]);
  });

  it('starts over only after a connection that stayed up the healthy period', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const backoff = new ReconnectBackoff({ baseMs: 100, maxMs: 10_000, healthyMs: 1000 });
    backoff.next();
    backoff.next();
    backoff.ended(999);
    expect(backoff.next()).toBe(200);
    backoff.ended(1000);
    expect(backoff.next()).toBe(50);
  });

  it('waits at least as long as a Retry-After asks, but no longer than the cap', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const backoff = new ReconnectBackoff({ baseMs: 100, maxMs: 1000, healthyMs: 10_000 });
    expect(backoff.next(700)).toBe(700);
    expect(backoff.next(20)).toBe(100);
    expect(backoff.next(3_600_000)).toBe(1000);
  });
});

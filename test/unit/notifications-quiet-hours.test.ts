import { describe, expect, it } from 'vitest';
import { quietUntil } from '../../electron/core/notifications/quiet-hours';

const at = (iso: string) => Date.parse(iso);
const NIGHT = { start: '22:00', end: '07:00' };

describe('quiet hours', () => {
  it('spans midnight: quiet from 22:00 up to, not including, 07:00 local time', () => {
    expect(quietUntil(at('2026-11-22T21:59:59Z'), NIGHT, 'UTC')).toBeNull();
    expect(quietUntil(at('2026-11-22T22:00:00Z'), NIGHT, 'UTC')).toBe(at('2026-11-23T07:00:00Z'));
    expect(quietUntil(at('2026-11-23T06:59:30Z'), NIGHT, 'UTC')).toBe(at('2026-11-23T07:00:00Z'));
    expect(quietUntil(at('2026-11-23T07:00:00Z'), NIGHT, 'UTC')).toBeNull();
  });

  it('works within one day too', () => {
    const lunch = { start: '12:00', end: '13:30' };
    expect(quietUntil(at('2026-11-22T11:59:00Z'), lunch, 'UTC')).toBeNull();
    expect(quietUntil(at('2026-11-22T12:45:00Z'), lunch, 'UTC')).toBe(at('2026-11-22T13:30:00Z'));
    expect(quietUntil(at('2026-11-22T23:00:00Z'), lunch, 'UTC')).toBeNull();
  });

  it('reads the clock in the given time zone', () => {
    // 21:30 UTC is 22:30 in Berlin in winter.
    expect(quietUntil(at('2026-11-22T21:30:00Z'), NIGHT, 'Europe/Berlin')).toBe(at('2026-11-23T06:00:00Z'));
    expect(quietUntil(at('2026-11-22T21:30:00Z'), NIGHT, 'UTC')).toBeNull();
  });

  it('ends at 07:00 on the wall clock across a daylight-saving change either way', () => {
    // Night of 28→29 March 2026 Berlin springs forward (07:00 CEST = 05:00Z); 24→25 October it falls back (07:00 CET = 06:00Z).
    expect(quietUntil(at('2026-03-28T22:00:00Z'), NIGHT, 'Europe/Berlin')).toBe(at('2026-03-29T05:00:00Z'));
    expect(quietUntil(at('2026-10-24T21:00:00Z'), NIGHT, 'Europe/Berlin')).toBe(at('2026-10-25T06:00:00Z'));
  });

  it('ends within the hour after an end time the clock skips, not before the clock passes it', () => {
    // 02:30 does not exist in Berlin on 29 March 2026: 02:00 CET becomes 03:00 CEST (01:00Z).
    const now = at('2026-03-28T23:00:00Z');
    const end = quietUntil(now, { start: '22:00', end: '02:30' }, 'Europe/Berlin');
    expect(end).toBeGreaterThanOrEqual(at('2026-03-29T01:00:00Z'));
    expect(end).toBeLessThanOrEqual(at('2026-03-29T01:30:00Z'));
    expect(quietUntil(end ?? now, { start: '22:00', end: '02:30' }, 'Europe/Berlin')).toBeNull();
  });

  it('is off when unset, empty (start = end) or malformed', () => {
    const now = at('2026-11-22T23:00:00Z');
    expect(quietUntil(now, null, 'UTC')).toBeNull();
    expect(quietUntil(now, { start: '22:00', end: '22:00' }, 'UTC')).toBeNull();
    expect(quietUntil(now, { start: '10pm', end: '07:00' }, 'UTC')).toBeNull();
    expect(quietUntil(now, { start: '22:00', end: '24:00' }, 'UTC')).toBeNull();
  });
});

import type { NotificationRules } from './rules';

type QuietHours = NonNullable<NotificationRules['quietHours']>;

const DAY_MINUTES = 24 * 60;
const MINUTE_MS = 60_000;
const formats = new Map<string, Intl.DateTimeFormat>();

function minutesOf(time: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** Minutes since local midnight in `timeZone`. */
function localMinute(ms: number, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(ms);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return part('hour') * 60 + part('minute');
}

/**
 * When the quiet hours the user is in now end, or null when it is not quiet.
 * A malformed time or an empty window (start = end) means no quiet hours.
 */
export function quietUntil(nowMs: number, quiet: QuietHours | null, timeZone: string): number | null {
  const start = quiet ? minutesOf(quiet.start) : null;
  const end = quiet ? minutesOf(quiet.end) : null;
  if (start === null || end === null || start === end) return null;
  const minute = localMinute(nowMs, timeZone);
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return null;
  const guess = nowMs - (nowMs % MINUTE_MS) + ((end - minute + DAY_MINUTES) % DAY_MINUTES) * MINUTE_MS;
  // A daylight-saving change before the end moves the local clock by the offset change; land on the minute the clock reads `end`.
  const drift = ((end - localMinute(guess, timeZone) + DAY_MINUTES + DAY_MINUTES / 2) % DAY_MINUTES) - DAY_MINUTES / 2;
  const corrected = guess + drift * MINUTE_MS;
  // When `end` falls in the skipped hour it never shows on the clock; the guess is then already after it.
  return corrected > nowMs && localMinute(corrected, timeZone) === end ? corrected : guess;
}

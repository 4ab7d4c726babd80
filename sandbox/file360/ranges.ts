import rangeParser from 'range-parser';
import { ApiError } from './errors';

/** What part of a representation a GET answers with (RFC 9110 §14). */
export interface Answer {
  status: 200 | 206;
  start: number;
  end: number;
  /** Set on a 206. */
  contentRange?: string;
}

/**
 * `Range` honoured only when `If-Range` is absent or names this strong ETag
 * (§13.1.5; a mismatch means "send it all"). Several ranges are answered with
 * the whole representation (200), which §14.2 allows. An unsatisfiable range
 * is `unsatisfiable(size)`, for the caller to phrase in its own error body.
 */
export function answerRange(
  size: number,
  etag: string,
  range: string | undefined,
  ifRange: string | undefined,
  unsatisfiable: (size: number) => Error,
): Answer {
  const whole: Answer = { status: 200, start: 0, end: size - 1 };
  if (range === undefined || (ifRange !== undefined && ifRange.trim() !== etag)) return whole;
  const ranges = rangeParser(size, range, { combine: true });
  if (ranges === -1) throw unsatisfiable(size);
  if (ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1 || !ranges[0]) return whole;
  const { start, end } = ranges[0];
  return { status: 206, start, end, contentRange: `bytes ${start}-${end}/${size}` };
}

/** File 360's own 416 (CONTRACTS §A.6): a service error with a Content-Range naming the size. */
export const file360Unsatisfiable = (range: string) => (size: number) =>
  new ApiError(416, 'INVALID_REQUEST', `Range ${range} is outside the file (${size} bytes).`, '', {}, { 'Content-Range': `bytes */${size}` });

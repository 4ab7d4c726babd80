import { z } from 'zod';

/**
 * How deep a value from a server may nest where the contract leaves it open
 * (`project` extras, a task, `details`). V8 parses any depth, but
 * JSON.stringify and structuredClone recurse and overflow the stack at a few
 * thousand levels, so a deeper value is refused where it enters, not where it
 * is next written. Real tasks and details nest well under ten.
 */
export const MAX_OPEN_DEPTH = 32;

/** True when `value` nests no deeper than `max` arrays and objects. Iterative: a 200 000-deep value cannot overflow it. */
export function nestsWithin(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [current, depth] = next;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= max) return false;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return true;
}

/** Any JSON value, as long as it nests no deeper than MAX_OPEN_DEPTH: the type for every open field of a wire schema. */
export const BoundedJson = z.unknown().refine((value) => nestsWithin(value, MAX_OPEN_DEPTH), `nested more than ${MAX_OPEN_DEPTH} levels deep`);

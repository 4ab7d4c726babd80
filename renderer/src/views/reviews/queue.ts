/**
 * The order the reviewer last saw the list in, so Next and Previous on an
 * item's page walk it as shown (filters and all). It is a snapshot: an item
 * decided on the way keeps its place, so Previous finds it again.
 */
let order: readonly string[] = [];

export function rememberOrder(ids: readonly string[]): void {
  order = ids;
}

export function knows(id: string): boolean {
  return order.includes(id);
}

/** Where the item stands in that order, for "Item 2 of 5"; null when it is not in it (opened from a notification). */
export function position(id: string): { index: number; total: number } | null {
  const index = order.indexOf(id);
  return index < 0 ? null : { index, total: order.length };
}

/** The item `step` places away; one opened from elsewhere goes on to the list's first. */
export function neighbour(id: string, step: 1 | -1): string | null {
  const index = order.indexOf(id);
  if (index < 0) return step > 0 ? (order[0] ?? null) : null;
  return order[index + step] ?? null;
}

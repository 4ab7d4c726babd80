import { invalidRequest } from './errors';
import type { Exchange } from './exchange';
import { sendJson } from './respond';

const MAX_ITEMS_PER_PAGE = 1000;
const DEFAULT_ITEMS_PER_PAGE = 100;

export interface Paging {
  page: number;
  itemsPerPage: number;
  includeTotal: boolean;
  offset: number;
}

function positiveInt(ex: Exchange, name: string, fallback: number): number {
  const text = ex.url.searchParams.get(name);
  if (text === null) return fallback;
  if (!/^[1-9]\d{0,8}$/.test(text)) throw invalidRequest(`Query parameter ${name} must be a positive integer, not "${text}".`);
  return Number(text);
}

/** `?page=1&items-per-page=N&include-total=true` as on OpenText's cloud platform. */
export function pagingOf(ex: Exchange): Paging {
  const page = positiveInt(ex, 'page', 1);
  const itemsPerPage = positiveInt(ex, 'items-per-page', DEFAULT_ITEMS_PER_PAGE);
  if (itemsPerPage > MAX_ITEMS_PER_PAGE) throw invalidRequest(`items-per-page may be at most ${MAX_ITEMS_PER_PAGE}.`);
  const includeTotal = ex.url.searchParams.get('include-total');
  if (includeTotal !== null && includeTotal !== 'true' && includeTotal !== 'false') throw invalidRequest('include-total must be true or false.');
  return { page, itemsPerPage, includeTotal: includeTotal === 'true', offset: (page - 1) * itemsPerPage };
}

function pageHref(ex: Exchange, paging: Paging, page: number): string {
  const url = new URL(ex.url);
  url.searchParams.set('page', String(page));
  url.searchParams.set('items-per-page', String(paging.itemsPerPage));
  return url.href;
}

/** A HAL collection page; `next` is there only while more items follow. */
export function sendCollection(ex: Exchange, paging: Paging, items: unknown[], total: number): Promise<void> {
  const links: Record<string, { href: string }> = { self: { href: pageHref(ex, paging, paging.page) } };
  if (paging.offset + items.length < total) links.next = { href: pageHref(ex, paging, paging.page + 1) };
  return sendJson(ex, 200, {
    _embedded: { collection: items },
    _links: links,
    page: paging.page,
    items_per_page: paging.itemsPerPage,
    ...(paging.includeTotal ? { total } : {}),
  });
}

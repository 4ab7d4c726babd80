import { authenticate, bearerToken } from '../../file360/auth';
import type { Context } from '../../file360/context';
import { invalidRequest } from '../../file360/errors';
import { header, type Exchange } from '../../file360/exchange';
import type { Route } from '../../file360/router';

function lastEventId(ex: Exchange): number | null {
  const value = header(ex, 'last-event-id')?.trim();
  if (!value) return null;
  if (!/^\d{1,15}$/.test(value)) throw invalidRequest(`Last-Event-ID must be a seq (a whole number), not "${value}".`);
  return Number(value);
}

/** `GET /push/v1/stream`: a 401 before any byte of the stream, as for every other call; the hub does the rest. */
export function streamRoutes(ctx: Context): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/push/v1/stream',
      handle: async (ex) => {
        const user = authenticate(ctx, ex);
        const after = lastEventId(ex);
        return ctx.push.hub.serve(ex.res, user.id, bearerToken(ex) ?? '', after);
      },
    },
  ];
}

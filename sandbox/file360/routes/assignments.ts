import { withUser } from '../auth';
import { pagingOf, sendCollection } from '../collections';
import type { Context } from '../context';
import { sendJson } from '../respond';
import type { Route } from '../router';

/** CONTRACTS §A.4 and §A.5, and the manifest of §A.6. */
export function assignmentRoutes(ctx: Context): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/file360/v1/me',
      handle: withUser(ctx, (ex, user) => sendJson(ex, 200, { id: user.id, display_name: user.display_name, email: user.email, roles: user.roles, groups: user.groups })),
    },
    {
      method: 'GET',
      pattern: '/file360/v1/assignments',
      // Ended assignments stay listed, with their status, so the app learns to wipe them.
      handle: withUser(ctx, (ex, user) => {
        const paging = pagingOf(ex);
        const page = ctx.assignments.forUser(user.id, paging.offset, paging.itemsPerPage).map((assignment) => ctx.assignments.view(assignment));
        return sendCollection(ex, paging, page, ctx.assignments.countForUser(user.id));
      }),
    },
    {
      method: 'GET',
      pattern: '/file360/v1/assignments/:id',
      handle: withUser(ctx, (ex, user) => sendJson(ex, 200, ctx.assignments.view(ctx.assignments.open(user.id, ex.params.id ?? '')))),
    },
    {
      method: 'GET',
      pattern: '/file360/v1/assignments/:id/files',
      handle: withUser(ctx, (ex, user) => {
        const assignment = ctx.assignments.open(user.id, ex.params.id ?? '', 'view');
        const paging = pagingOf(ex);
        const items = ctx.files.manifest(assignment.id, paging.offset, paging.itemsPerPage);
        return sendCollection(ex, paging, items, ctx.files.totals(assignment.id).file_count);
      }),
    },
  ];
}

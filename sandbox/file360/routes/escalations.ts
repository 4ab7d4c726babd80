import { z } from 'zod';
import { withUser } from '../auth';
import { pagingOf, sendCollection } from '../collections';
import type { Context } from '../context';
import { announceDecision, announceEscalation } from '../notify';
import { ApiError, invalidRequest, notFound } from '../errors';
import { header, readJson, type Exchange } from '../exchange';
import { sendJson } from '../respond';
import type { Route } from '../router';
import type { EscalationRecord } from '../state/escalations';
import type { User } from '../state/users';

/** CONTRACTS §A.8, shaped like OpenText Workflow tasks: open → claimed → completed. */
const ProdigyHash = z.union([z.int(), z.string().min(1)]);
const Task = z.record(z.string(), z.unknown());

const NewEscalationBody = z.strictObject({
  assignment_id: z.string().min(1),
  reason: z.enum(['flagged', 'ignored', 'low_confidence', 'disagreement', 'question']),
  note: z.string().max(10_000).default(''),
  priority: z.enum(['normal', 'high']).default('normal'),
  item: z.looseObject({
    input_hash: ProdigyHash,
    task_hash: ProdigyHash.optional(),
    task: Task,
    versions: z.array(
      z.looseObject({
        answer: z.string(),
        label: z.string().optional(),
        spans: z.array(z.unknown()).optional(),
        accept: z.array(z.unknown()).optional(),
        session_id: z.string(),
      }),
    ),
    file_ids: z.array(z.string()),
  }),
  upload_id: z.string().optional(),
});

const ActionBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('claim') }),
  z.strictObject({
    action: z.literal('complete'),
    outcome: z.enum(['approved', 'corrected', 'rejected']),
    corrected_task: Task.optional(),
    comment: z.string().max(10_000).optional(),
  }),
]);

const ListQuery = z.object({
  role: z.enum(['reviewer', 'annotator']).optional(),
  state: z.enum(['open', 'claimed', 'completed']).optional(),
  assignment_id: z.string().optional(),
  updated_after: z.iso.datetime({ offset: true }).optional(),
});

/** Reviewers are the members of the assignment's reviewer groups, and managers. */
function reviews(ctx: Context, user: User, escalation: EscalationRecord): boolean {
  const groups = ctx.assignments.get(escalation.assignment_id)?.reviewer_groups ?? [];
  return user.roles.includes('manager') || groups.some((group) => user.groups.includes(group));
}

function raisedBy(ctx: Context, user: User, escalation: EscalationRecord): boolean {
  return ctx.assignments.userIds(escalation.assignment_id).includes(user.id);
}

function person(ctx: Context, id: string) {
  return { id, display_name: ctx.users.byId(id)?.display_name ?? id };
}

function view(ctx: Context, escalation: EscalationRecord) {
  const { created_by, assignee, decision, ...fields } = escalation;
  return {
    ...fields,
    created_by: person(ctx, created_by),
    ...(assignee ? { assignee: person(ctx, assignee) } : {}),
    ...(decision ? { decision: { ...decision, actor: person(ctx, decision.actor) } } : {}),
  };
}

/** An escalation this user may see, as reviewer or as annotator of its assignment. */
function visible(ctx: Context, user: User, id: string): EscalationRecord {
  const escalation = ctx.escalations.get(id);
  if (!reviews(ctx, user, escalation) && !raisedBy(ctx, user, escalation)) throw notFound(`Escalation ${id}`);
  return escalation;
}

async function create(ctx: Context, ex: Exchange, user: User): Promise<void> {
  const body = await readJson(ex, NewEscalationBody);
  const key = header(ex, 'idempotency-key');
  const earlier = ctx.idempotency.replayed(user.id, 'escalations', key, body);
  if (earlier) return sendJson(ex, 200, view(ctx, ctx.escalations.get(earlier)), { 'Idempotent-Replayed': 'true' });
  const assignment = ctx.assignments.open(user.id, body.assignment_id, 'escalate');
  if (body.upload_id !== undefined) {
    const upload = ctx.uploads.get(body.upload_id);
    if (upload.assignment_id !== assignment.id || upload.user_id !== user.id) throw invalidRequest(`Upload ${body.upload_id} is not one of yours on assignment ${assignment.id}.`);
  }
  const escalation = ctx.escalations.create(assignment.id, user.id, body);
  ctx.idempotency.remember(user.id, 'escalations', key ?? '', body, escalation.id);
  ctx.audit.record({ event_type: 'escalation_created', user_id: user.id, assignment_id: assignment.id, details: { escalation_id: escalation.id, reason: body.reason } });
  announceEscalation(ctx, escalation);
  return sendJson(ex, 201, view(ctx, escalation));
}

async function list(ctx: Context, ex: Exchange, user: User): Promise<void> {
  const checked = ListQuery.safeParse(Object.fromEntries(ex.url.searchParams));
  if (!checked.success) throw invalidRequest(`Invalid query parameter ${checked.error.issues[0]?.path.join('.')}: ${checked.error.issues[0]?.message}.`);
  const query = checked.data;
  const paging = pagingOf(ex);
  const after = query.updated_after ? Date.parse(query.updated_after) : undefined;
  const matching = ctx.escalations.all().filter((escalation) => {
    const asReviewer = reviews(ctx, user, escalation);
    const asAnnotator = raisedBy(ctx, user, escalation);
    if (query.role === 'reviewer' ? !asReviewer : query.role === 'annotator' ? !asAnnotator : !asReviewer && !asAnnotator) return false;
    if (query.state && escalation.state !== query.state) return false;
    if (query.assignment_id && escalation.assignment_id !== query.assignment_id) return false;
    return after === undefined || Date.parse(escalation.updated) > after;
  });
  const page = matching.slice(paging.offset, paging.offset + paging.itemsPerPage).map((escalation) => view(ctx, escalation));
  return sendCollection(ex, paging, page, matching.length);
}

async function act(ctx: Context, ex: Exchange, user: User): Promise<void> {
  const escalation = visible(ctx, user, ex.params.id ?? '');
  const body = await readJson(ex, ActionBody);
  if (!reviews(ctx, user, escalation)) throw new ApiError(403, 'FORBIDDEN', 'Only reviewers of this assignment can claim or decide its escalations.');
  if (escalation.state === 'completed') throw new ApiError(409, 'TASK_ALREADY_COMPLETED', `Escalation ${escalation.id} was already decided.`);
  if (escalation.assignee && escalation.assignee !== user.id) {
    throw new ApiError(403, 'TASK_NOT_ASSIGNED', `Escalation ${escalation.id} is claimed by ${person(ctx, escalation.assignee).display_name}.`);
  }
  if (body.action === 'claim') {
    const claimed = ctx.escalations.claim(escalation.id, user.id);
    ctx.audit.record({ event_type: 'escalation_claimed', user_id: user.id, assignment_id: escalation.assignment_id, details: { escalation_id: escalation.id } });
    return sendJson(ex, 200, view(ctx, claimed));
  }
  if (body.outcome === 'corrected' && !body.corrected_task) throw invalidRequest('A "corrected" outcome needs corrected_task.');
  // Completing an open task claims it on the way, as Workflow does for a single assignee.
  const completed = ctx.escalations.complete(escalation.id, { outcome: body.outcome, corrected_task: body.corrected_task, comment: body.comment, actor: user.id });
  ctx.audit.record({
    event_type: 'escalation_decided',
    user_id: user.id,
    target_user_id: escalation.created_by,
    assignment_id: escalation.assignment_id,
    details: { escalation_id: escalation.id, outcome: body.outcome },
  });
  announceDecision(ctx, completed);
  return sendJson(ex, 200, view(ctx, completed));
}

export function escalationRoutes(ctx: Context): Route[] {
  return [
    { method: 'POST', pattern: '/file360/v1/escalations', handle: withUser(ctx, (ex, user) => create(ctx, ex, user)) },
    { method: 'GET', pattern: '/file360/v1/escalations', handle: withUser(ctx, (ex, user) => list(ctx, ex, user)) },
    { method: 'GET', pattern: '/file360/v1/escalations/:id', handle: withUser(ctx, async (ex, user) => sendJson(ex, 200, view(ctx, visible(ctx, user, ex.params.id ?? '')))) },
    { method: 'POST', pattern: '/file360/v1/escalations/:id', handle: withUser(ctx, (ex, user) => act(ctx, ex, user)) },
  ];
}

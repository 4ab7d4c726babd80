import { SANDBOX_PUBLISHER } from '../push/service';
import type { Context } from './context';
import type { EscalationRecord } from './state/escalations';
import type { FileItem } from './state/files';

/**
 * File 360's own Push notifications (CONTRACTS §B), so flows run end to end
 * without the app publishing: new work, escalations, decisions, deadlines.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

function assignmentOf(ctx: Context, id: string) {
  const assignment = ctx.assignments.get(id);
  if (!assignment) throw new Error(`No assignment ${id}`);
  return assignment;
}

/** Users the fixture names but never created would make the publish a 400; they simply are not told. */
const knownUsers = (ctx: Context, assignmentId: string) => ctx.assignments.userIds(assignmentId).filter((id) => ctx.users.byId(id));

export function announceShared(ctx: Context, assignmentId: string): void {
  const assignment = assignmentOf(ctx, assignmentId);
  ctx.push.publish(
    {
      users: knownUsers(ctx, assignment.id),
      topic: `assignment.${assignment.id}`,
      type: 'task.assigned',
      title: `New assignment: ${assignment.name}`,
      summary: `${assignment.sharer.display_name} shared ${assignment.name} with you.`,
      data: { assignment_id: assignment.id, dataset: assignment.project.dataset },
    },
    SANDBOX_PUBLISHER,
    undefined,
  );
}

export function announceNewFile(ctx: Context, assignmentId: string, file: FileItem): void {
  const assignment = assignmentOf(ctx, assignmentId);
  ctx.push.publish(
    {
      users: knownUsers(ctx, assignment.id),
      topic: `assignment.${assignment.id}`,
      type: 'batch.assigned',
      title: `New files in ${assignment.name}`,
      summary: `${file.path} was added.`,
      data: { assignment_id: assignment.id },
      collapse_key: `batch.assigned:${assignment.id}`,
    },
    SANDBOX_PUBLISHER,
    undefined,
  );
}

/** One publish per reviewer group, each on that group's topic. */
export function announceEscalation(ctx: Context, escalation: EscalationRecord): void {
  const assignment = assignmentOf(ctx, escalation.assignment_id);
  const by = ctx.users.byId(escalation.created_by)?.display_name ?? escalation.created_by;
  for (const group of assignment.reviewer_groups) {
    ctx.push.publish(
      {
        groups: [group],
        topic: `escalations.${group}`,
        type: 'review.requested',
        title: `Review requested: ${assignment.name}`,
        summary: `${by} escalated an item (${escalation.reason.replace('_', ' ')})${escalation.note ? `: ${escalation.note.slice(0, 200)}` : '.'}`,
        data: { assignment_id: assignment.id, escalation_id: escalation.id, dataset: assignment.project.dataset },
        collapse_key: `review.requested:${escalation.id}`,
      },
      SANDBOX_PUBLISHER,
      undefined,
    );
  }
}

export function announceDecision(ctx: Context, escalation: EscalationRecord): void {
  const decision = escalation.decision;
  if (!decision || !ctx.users.byId(escalation.created_by)) return;
  const assignment = assignmentOf(ctx, escalation.assignment_id);
  const reviewer = ctx.users.byId(decision.actor)?.display_name ?? decision.actor;
  ctx.push.publish(
    {
      users: [escalation.created_by],
      type: 'decision.made',
      title: `Your item was ${decision.outcome}`,
      summary: `${reviewer} ${decision.outcome} your escalated item in ${assignment.name}${decision.comment ? `: ${decision.comment.slice(0, 200)}` : '.'}`,
      // CONTRACTS §B: `data` carries what is relevant for the click and the icon; for a decision, its outcome too.
      data: { assignment_id: assignment.id, escalation_id: escalation.id, outcome: decision.outcome },
      collapse_key: `decision.made:${escalation.id}`,
    },
    SANDBOX_PUBLISHER,
    undefined,
  );
}

/**
 * Assignments whose expiration is at most a day away on the sandbox clock.
 * The idempotency key names the expiration, so each one is announced once,
 * across restarts too, and a new expiration is announced again.
 */
export function announceDeadlines(ctx: Context): void {
  const now = ctx.clock.now().getTime();
  for (const assignment of ctx.assignments.all()) {
    if (assignment.revoked || assignment.expiration === null) continue;
    const left = Date.parse(assignment.expiration) - now;
    if (left <= 0 || left > DAY_MS) continue;
    ctx.push.publish(
      {
        users: knownUsers(ctx, assignment.id),
        topic: `assignment.${assignment.id}`,
        type: 'deadline.approaching',
        title: `${assignment.name} ends soon`,
        summary: `Shared until ${assignment.expiration}; send your work before then.`,
        data: { assignment_id: assignment.id },
        collapse_key: `deadline.approaching:${assignment.id}`,
      },
      SANDBOX_PUBLISHER,
      `deadline.approaching:${assignment.id}:${assignment.expiration}`,
    );
  }
}

import type Database from 'better-sqlite3';
import { prepared } from '../kernel/platform/statements';
import type { Outbox } from '../services/outbox/outbox';
import { queuePublish } from '../services/outbox/publish';
import type { OutboxRow } from '../services/outbox/store';
import type { AssignmentRow } from '../services/assignments/store';

interface ExportFacts {
  dataset: string;
  annotations: number;
  counts: string;
  total: number | null;
}

/** Who shared the assignment: its manager, who hears about finished work and failures. */
function sharerOf(assignment: AssignmentRow): string | null {
  if (!assignment.sharer) return null;
  const sharer = JSON.parse(assignment.sharer) as { id?: unknown };
  return typeof sharer.id === 'string' ? sharer.id : null;
}

/**
 * F8: the app's own events, queued in the outbox in the same transaction as
 * the change they announce, so each is published once, whenever the network
 * allows. Escalations and decisions announce themselves (their services queue
 * `review.requested` and `decision.made`); this covers finished work and failures.
 */
export class Announcer {
  constructor(
    private readonly deps: {
      outbox: Outbox;
      db: () => Database.Database;
      assignment: (id: string) => AssignmentRow | undefined;
    },
  ) {}

  /** A package reached File 360: `annotation.completed`, and `dataset.ready` once every task has an answer. */
  packageUploaded(row: OutboxRow, remote: unknown): void {
    const assignment = row.assignment_id ? this.deps.assignment(row.assignment_id) : undefined;
    const sharer = assignment && sharerOf(assignment);
    if (!assignment || !sharer) return;
    const facts = prepared<[number], ExportFacts>(
      this.deps.db(),
      `SELECT e.dataset, e.annotations, e.counts,
              (SELECT total FROM prodigy_sessions s WHERE s.assignment_id = e.assignment_id ORDER BY s.id DESC LIMIT 1) AS total
         FROM exports e WHERE e.outbox_id = ?`,
    ).get(row.id);
    if (!facts) return;
    const owner = { server: row.server, tenant: row.tenant, userId: row.user_id };
    const fileId = (remote as { file_id?: unknown } | null)?.file_id;
    const data = { assignment_id: assignment.id, dataset: facts.dataset, ...(typeof fileId === 'string' ? { file_id: fileId } : {}) };
    queuePublish(this.deps.outbox, {
      owner,
      assignmentId: assignment.id,
      type: 'annotation.completed',
      title: `Annotations uploaded for “${assignment.name}”`,
      summary: `${facts.annotations.toLocaleString('en')} answer${facts.annotations === 1 ? '' : 's'} in ${facts.dataset}.`,
      users: [sharer],
      data: { ...data, counts: JSON.parse(facts.counts) as unknown },
    });
    if (facts.total !== null && facts.total > 0 && facts.annotations >= facts.total) {
      queuePublish(this.deps.outbox, {
        owner,
        assignmentId: assignment.id,
        type: 'dataset.ready',
        title: `“${assignment.name}” is fully annotated`,
        summary: `Every one of its ${facts.total.toLocaleString('en')} tasks has an answer in ${facts.dataset}.`,
        users: [sharer],
        data,
        collapseKey: `dataset.ready:${assignment.id}`,
      });
    }
  }

  /** Prodigy crashed, or source files could not be used: the assignment's manager should know. */
  pipelineFailed(assignmentId: string, title: string, summary: string, details: Record<string, unknown>): void {
    const assignment = this.deps.assignment(assignmentId);
    const sharer = assignment && sharerOf(assignment);
    if (!assignment || !sharer) return;
    queuePublish(this.deps.outbox, {
      owner: { server: assignment.server, tenant: assignment.tenant, userId: assignment.user_id },
      assignmentId,
      type: 'pipeline.failed',
      title: `${title}: “${assignment.name}”`,
      summary,
      users: [sharer],
      data: { assignment_id: assignmentId, ...details },
      collapseKey: `pipeline.failed:${assignmentId}:${String(details.reason ?? 'failure')}`,
    });
  }
}

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AskCandidate, EscalationReason, EscalationView } from '../../../shared/api/schemas/escalations';
import { decisionChange, type Annotation } from '../../../shared/decisions';
import { EscalationPayload } from './escalation-sender';
import { clipWords } from '../../../shared/words';
import type { AuditLog } from '../kernel/audit/audit-log';
import type { LocalData } from '../kernel/db/local-data';
import type { Dispute, QuestionSummary } from '../services/disputes/types';
import { AppError } from '../kernel/errors';
import type { File360Client } from '../remote/file360/client';
import type { Escalation } from '../remote/file360/wire';
import type { OutboxKindHandler } from '../services/outbox/kind';
import type { Outbox } from '../services/outbox/outbox';
import { SentEscalation, escalationSender } from './escalation-sender';
import type { Clock, Logger } from '../kernel/ports';
import { dbIn } from '../services/prodigy/cli';
import { QUIT_WAIT_MS, settleOrStop } from '../kernel/platform/settle';
import { taskText } from '../services/prodigy/text';
import { listAnswers } from '../services/prodigy/answers';
import type { AssignmentRow, SyncStore } from '../services/assignments/store';
import { count, type WipeStep } from '../services/assignments/wipe';
import { prepared } from '../kernel/platform/statements';
import { findAnswers } from './prodigy-db';
import { createEscalationStore, type EscalationRow } from '../services/escalations/store';
import { disputeNote } from './words';
import type { Owner } from '../kernel/identity';
import { ownSessionDataset, prodigyHome } from '../services/prodigy/home';
import { REASON_TITLES } from '../services/disputes/reasons';

export interface EscalationDeps {
  dataDir: string;
  data: LocalData;
  store: SyncStore;
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  prodigyCommand(): string;
  /** The dataset reviewed examples go into, from the setting's pattern. */
  reviewedDataset(dataset: string): string;
  connection(): { client: File360Client; owner: Owner } | null;
  changed(): void;
}

/** Keeps an escalation well inside File 360's 4 MiB request limit: big inline media stay with the file it names. */
const MAX_TASK_CHARS = 1024 * 1024;

function ownerOf(row: AssignmentRow): Owner {
  return { server: row.server, tenant: row.tenant, userId: row.user_id };
}

function trimmed(task: Record<string, unknown>): Record<string, unknown> {
  if (JSON.stringify(task).length <= MAX_TASK_CHARS) return task;
  const copy = { ...task };
  for (const field of ['image', 'audio', 'video'] as const) {
    if (typeof copy[field] === 'string' && (copy[field] as string).length > 1024) copy[field] = null;
  }
  return copy;
}

/**
 * The escalation as CONTRACTS §A.8 takes it; the file is named, not copied.
 * The item also carries the assignment's name and labels (extra fields the
 * contract's item allows): a reviewer does not have the assignment, and a
 * correction may need a label no annotator chose.
 */
function escalationBody(row: AssignmentRow, dispute: Pick<QuestionSummary, 'inputHash' | 'taskHash' | 'task' | 'versions'>, reason: EscalationReason, note: string, priority: 'normal' | 'high'): EscalationPayload {
  const meta = (dispute.task.meta ?? {}) as Record<string, unknown>;
  const project = JSON.parse(row.project) as { labels?: string[] };
  return {
    assignment_id: row.id,
    reason,
    note,
    priority,
    item: {
      input_hash: dispute.inputHash,
      ...(dispute.taskHash === null ? {} : { task_hash: dispute.taskHash }),
      task: trimmed(dispute.task),
      versions: dispute.versions.map(({ answer, label, spans, accept, relations, session_id, flagged }) => ({
        answer,
        session_id,
        ...(flagged ? { flagged } : {}),
        ...(label === undefined ? {} : { label }),
        ...(spans === undefined ? {} : { spans }),
        ...(accept === undefined ? {} : { accept }),
        ...(relations === undefined ? {} : { relations }),
      })),
      file_ids: typeof meta.file_id === 'string' ? [meta.file_id] : [],
      assignment_name: row.name,
      labels: project.labels ?? [],
    },
  };
}

/**
 * Escalations this computer raises (from disputes an export found, or a
 * question asked by hand), and the decisions that come back for them, which
 * are put into Prodigy's `<dataset>_reviewed` with `db-in`.
 */
export class EscalationService {
  private applying: Promise<void> = Promise.resolve();
  private closed = false;
  /** Stops a `db-in` that quitting has waited for long enough. */
  private readonly quitting = new AbortController();
  readonly rows;

  constructor(private readonly deps: EscalationDeps) {
    this.rows = createEscalationStore(() => deps.data.require().db);
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  /** How escalation rows are sent, and what is recorded once they are. */
  outboxKind(): OutboxKindHandler {
    return {
      send: escalationSender.send,
      sent: (outboxRow, remote) => {
        const escalation = this.rows.byOutbox(outboxRow.id);
        if (!escalation) return;
        const answer = SentEscalation.parse(remote);
        this.rows.sent(escalation.id, answer.id, answer.state, this.now());
        this.deps.data.require().audit.append({ type: 'escalation.sent', assignmentId: escalation.assignment_id, details: { escalation: escalation.id, remote: answer.id, reason: escalation.reason } });
        this.changedSoon();
      },
      ended: (outboxRow) => {
        const escalation = this.rows.byOutbox(outboxRow.id);
        if (escalation) this.rows.setState(escalation.id, 'failed', this.now());
        this.changedSoon();
      },
    };
  }

  /** Its part in a wipe: the escalations raised here, whose items hold the task and whose notes may quote it. */
  wipeStep(): WipeStep {
    return {
      name: 'escalations',
      stage: 'remove',
      erase: (row, db, tally) => count(tally.removed, 'escalations', prepared<[string]>(db, 'DELETE FROM escalations WHERE assignment_id = ?').run(row.id).changes),
    };
  }

  /** Tells the UI once the transaction this runs in has committed. */
  private changedSoon(): void {
    setImmediate(() => this.deps.changed());
  }

  /**
   * Queues one escalation per disputed item not escalated before. Runs inside
   * the export's transaction, so the export and its escalations land together.
   */
  queueDisputes(audit: AuditLog, row: AssignmentRow, exportId: number, disputes: readonly Dispute[], threshold: number | null): number {
    if (!JSON.parse(row.permissions).includes('escalate')) return 0;
    let queued = 0;
    for (const dispute of disputes) {
      if (this.rows.escalated(row.id, dispute.key)) continue;
      // The annotator asked for a look themselves: that goes first.
      const priority = dispute.reasons.includes('flagged') ? 'high' : 'normal';
      this.queue(audit, row, { questionKey: dispute.key, exportId, reason: dispute.reason, reasons: dispute.reasons, note: disputeNote(dispute, threshold), priority, dispute });
      queued += 1;
    }
    return queued;
  }

  private queue(
    audit: AuditLog,
    row: AssignmentRow,
    e: { questionKey: string; exportId: number | null; reason: EscalationReason; reasons: readonly EscalationReason[]; note: string; priority: 'normal' | 'high'; dispute: Pick<QuestionSummary, 'inputHash' | 'taskHash' | 'task' | 'versions'> },
  ): string {
    const now = this.now();
    const owner = ownerOf(row);
    const body = escalationBody(row, e.dispute, e.reason, e.note, e.priority);
    const text = taskText(e.dispute.task);
    const outboxId = this.deps.outbox.enqueue({ kind: 'escalation', owner, assignmentId: row.id, label: `Escalation (${REASON_TITLES[e.reason].toLowerCase()}): “${clipWords(text, 60)}”`, payload: body });
    const id = randomUUID();
    this.rows.insert({
      id,
      assignment_id: row.id,
      export_id: e.exportId,
      question_key: e.questionKey,
      reason: e.reason,
      reasons: JSON.stringify(e.reasons),
      note: e.note,
      priority: e.priority,
      item: JSON.stringify(body.item),
      outbox_id: outboxId,
      created_at: now,
      updated_at: now,
    });
    audit.append({ type: 'escalation.queued', assignmentId: row.id, details: { escalation: id, reason: e.reason, reasons: e.reasons, inputHash: e.dispute.inputHash, exportId: e.exportId } });
    return id;
  }

  private assignmentOrThrow(id: string): AssignmentRow {
    const row = this.deps.store.assignment(id);
    if (!row || row.wiped_at) throw new AppError('NOT_FOUND', 'That assignment is not on this computer.');
    return row;
  }

  private datasetOf(row: AssignmentRow): string {
    return (JSON.parse(row.project) as { dataset: string }).dataset;
  }

  /** Items this annotator answered (their own answers, not a colleague's imported ones), newest first, to ask about. */
  candidates(assignmentId: string, query: string): AskCandidate[] {
    const row = this.assignmentOrThrow(assignmentId);
    const page = listAnswers(prodigyHome(this.deps.dataDir, row.id), ownSessionDataset(row), { query, answer: 'all', offset: 0, limit: 50 });
    return page.rows.map(({ key, text, answer, summary }) => ({ key, text, answer, summary }));
  }

  /** An annotator's own question about one item, for the assignment's reviewers. */
  ask(input: { assignmentId: string; key: string; question: string; priority: 'normal' | 'high' }): EscalationView {
    const row = this.assignmentOrThrow(input.assignmentId);
    if (!JSON.parse(row.permissions).includes('escalate')) throw new AppError('FILE360_REFUSED', 'This assignment does not allow escalating items.');
    const found = findAnswers(prodigyHome(this.deps.dataDir, row.id), this.datasetOf(row), input.key);
    if (!found) throw new AppError('NOT_FOUND', 'That item has no answer in Prodigy yet; answer it first, then ask.');
    const id = this.deps.data.transaction(({ audit }) =>
      this.queue(audit, row, { questionKey: input.key, exportId: null, reason: 'question', reasons: ['question'], note: input.question, priority: input.priority, dispute: found }),
    );
    this.deps.changed();
    return this.view(this.rows.get(id) as EscalationRow);
  }

  view(row: EscalationRow): EscalationView {
    const item = JSON.parse(row.item) as { task: Record<string, unknown>; versions: Annotation[] };
    const decision = row.decision ? (JSON.parse(row.decision) as Escalation['decision']) : null;
    const outbox = this.deps.outbox.store.get(row.outbox_id);
    return {
      id: row.id,
      remoteId: row.remote_id,
      assignmentId: row.assignment_id,
      reason: row.reason as EscalationReason,
      reasons: JSON.parse(row.reasons) as EscalationReason[],
      note: row.note,
      priority: row.priority,
      state: row.state,
      text: taskText(item.task),
      createdAt: row.created_at,
      sendError: outbox?.state === 'failed' || outbox?.state === 'queued' ? outbox.last_error : null,
      decision: decision
        ? {
            outcome: decision.outcome,
            reviewer: decision.actor.display_name ?? decision.actor.id,
            comment: decision.comment ?? null,
            time: decision.time,
            change: decisionChange(item, decision.outcome, decision.corrected_task),
          }
        : null,
      appliedAt: row.applied_at,
      appliedDataset: row.applied_dataset,
      applyError: row.apply_error,
    };
  }

  list(assignmentId: string | null): EscalationView[] {
    return this.rows.list(assignmentId).map((row) => this.view(row));
  }

  /**
   * Fetches decisions File 360 has for this user's escalations, records them,
   * and puts them into Prodigy. Runs after each sync; safe to repeat.
   */
  async refreshDecisions(): Promise<number> {
    const connection = this.deps.connection();
    if (!connection || this.deps.data.problem()) return 0;
    const completed = await connection.client.escalations({ role: 'annotator', state: 'completed' });
    if (this.closed) return 0;
    let received = 0;
    this.deps.data.transaction(({ audit }) => {
      for (const escalation of completed) {
        const row = this.rows.byRemote(escalation.id);
        if (!row || row.decision || !escalation.decision) continue;
        this.rows.decided(row.id, escalation.decision, escalation.decision.time, this.now());
        audit.append({
          type: 'decision.received',
          assignmentId: row.assignment_id,
          details: { escalation: escalation.id, outcome: escalation.decision.outcome, reviewer: escalation.decision.actor.id },
        });
        received += 1;
      }
    });
    if (received > 0) this.deps.changed();
    await this.applyPending();
    return received;
  }

  /** Puts every received, not yet applied decision into Prodigy, one `db-in` per assignment. */
  applyPending(): Promise<void> {
    return this.serially(async () => {
      const byAssignment = new Map<string, EscalationRow[]>();
      for (const row of this.rows.unapplied()) byAssignment.set(row.assignment_id, [...(byAssignment.get(row.assignment_id) ?? []), row]);
      for (const [assignmentId, rows] of byAssignment) await this.apply(assignmentId, rows);
    });
  }

  /**
   * Quitting waits for a `db-in` under way, which is writing the assignment's
   * Prodigy database, and starts no more; one still running after `waitMs` is
   * stopped. The decisions left are put in at the next start.
   */
  async close(waitMs = QUIT_WAIT_MS): Promise<void> {
    this.closed = true;
    await settleOrStop(this.applying, waitMs, this.quitting);
  }

  /** Tries one decision again (after fixing what stopped it, such as the Prodigy command). */
  async retryApply(id: string): Promise<EscalationView> {
    await this.serially(async () => {
      const row = this.rows.get(id);
      if (!row) throw new AppError('NOT_FOUND', 'That escalation is not on this computer.');
      if (row.decision && !row.applied_at) await this.apply(row.assignment_id, [row]);
    });
    return this.view(this.rows.get(id) as EscalationRow);
  }

  /**
   * One `db-in` at a time: a sync and a Push notification can both bring
   * decisions in; the second waits and then finds them applied, instead of
   * putting the same answers into Prodigy twice.
   */
  private serially(work: () => Promise<void>): Promise<void> {
    const run = this.applying.then(() => (this.closed ? undefined : work()));
    this.applying = run.catch(() => undefined);
    return run;
  }

  private async apply(assignmentId: string, rows: EscalationRow[]): Promise<void> {
    const assignment = this.deps.store.assignment(assignmentId);
    const home = prodigyHome(this.deps.dataDir, assignmentId);
    const dataset = this.deps.reviewedDataset(assignment ? this.datasetOf(assignment) : 'reviewed');
    const file = path.join(home, 'reviewed', `${Date.now()}-${randomUUID().slice(0, 8)}.jsonl`);
    try {
      if (!assignment || !fs.existsSync(home)) throw new AppError('NOT_FOUND', 'This assignment’s Prodigy data is not on this computer, so the decision cannot be put into Prodigy.');
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, rows.map((row) => `${JSON.stringify(reviewedExample(row))}\n`).join(''), { mode: 0o600 });
      await dbIn({ command: this.deps.prodigyCommand(), home, env: this.deps.env, signal: this.quitting.signal }, dataset, file);
      this.deps.data.transaction(({ audit }) => {
        for (const row of rows) {
          this.rows.applied(row.id, dataset, this.now());
          const decision = JSON.parse(row.decision ?? '{}') as { outcome?: string };
          audit.append({ type: 'decision.applied', assignmentId, details: { escalation: row.remote_id, outcome: decision.outcome ?? null, dataset } });
        }
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.logger.warn('a review decision could not be put into Prodigy', { assignmentId, error });
      this.deps.data.transaction(({ audit }) => {
        for (const row of rows) {
          this.rows.applyFailed(row.id, message, this.now());
          audit.append({ type: 'decision.apply_failed', assignmentId, details: { escalation: row.remote_id, error: message } });
        }
      });
    } finally {
      fs.rmSync(file, { force: true });
    }
    this.deps.changed();
  }
}

/** The decided example as it goes into `<dataset>_reviewed`: the reviewer's version, with who decided what and when. */
export function reviewedExample(row: EscalationRow): Record<string, unknown> {
  const item = JSON.parse(row.item) as { task: Record<string, unknown> };
  const decision = JSON.parse(row.decision ?? '{}') as NonNullable<Escalation['decision']>;
  const base = decision.corrected_task ?? item.task;
  // Who answered, and the old task hash, belong to the annotators' examples; Prodigy hashes the decided one itself.
  const { _task_hash: _t, _session_id: _s, _annotator_id: _a, _timestamp: _ts, answer, flagged: _f, ...task } = base;
  const meta = (task.meta ?? {}) as Record<string, unknown>;
  return {
    ...task,
    // A binary question approved as "no" keeps that answer; rejecting the item rejects it.
    answer: decision.outcome === 'rejected' ? 'reject' : answer === 'reject' || answer === 'ignore' ? answer : 'accept',
    meta: {
      ...meta,
      review: {
        outcome: decision.outcome,
        reviewer: decision.actor.display_name ?? decision.actor.id,
        reviewer_id: decision.actor.id,
        time: decision.time,
        escalation_id: row.remote_id,
        ...(decision.comment ? { comment: decision.comment } : {}),
      },
    },
  };
}

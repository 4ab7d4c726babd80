import type { DecisionView, EscalationReason, Outcome } from '../../../shared/api/schemas/escalations';
import { decisionChange, type Annotation } from '../../../shared/decisions';
import type { ApproveManyResult, ReviewDetail, ReviewList, ReviewSummary, ReviewVersion } from '../../../shared/api/schemas/reviews';
import { clipWords } from '../../../shared/words';
import type { LocalData } from '../kernel/db/local-data';
import { AppError } from '../kernel/errors';
import type { File360Client } from '../remote/file360/client';
import { File360Error } from '../kernel/http/errors';
import type { Escalation } from '../remote/file360/wire';
import type { OutboxKindHandler } from '../services/outbox/kind';
import type { Outbox } from '../services/outbox/outbox';
import { decisionSender } from './decision-sender';
import type { Clock, Logger } from '../kernel/ports';
import type { SyncStore } from '../services/assignments/store';
import { count, type WipeStep } from '../services/assignments/wipe';
import { prepared } from '../kernel/platform/statements';
import { createReviewStore, type ReviewRow } from './store';
import type { Owner } from '../kernel/identity';

export interface ReviewDeps {
  data: LocalData;
  store: SyncStore;
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  connection(): ReviewConnection | null;
  changed(): void;
}

type ReviewConnection = { client: File360Client; owner: Owner; displayName: string };

export interface ReviewFilter {
  state: 'open' | 'claimed' | 'completed' | 'all';
  reason?: EscalationReason;
  priority?: 'normal' | 'high';
  due: 'overdue' | 'day' | 'week' | 'any';
}

export interface Decision {
  id: string;
  outcome: Outcome;
  version?: number;
  correctedTask?: Record<string, unknown>;
  comment: string;
}

type Person = { id: string; display_name?: string };
type Item = Escalation['item'];
interface LocalDecision {
  outcome: Outcome;
  corrected_task?: Record<string, unknown>;
  comment?: string;
  decided_at: string;
  /** The reviewer, so the decision reads right before File 360's copy comes back. */
  actor: Person;
}

const DUE_WINDOW_MS = { overdue: 0, day: 86_400_000, week: 7 * 86_400_000 } as const;
/** Hashes and who-answered belong to the annotators' examples, not to the task a reviewer decides. */
const ANNOTATOR_FIELDS = ['_session_id', '_annotator_id', '_timestamp', 'answer', 'flagged'];

const nameOf = (person: Person | null) => (person ? (person.display_name ?? person.id) : null);

function text(task: Record<string, unknown>): string {
  const value = typeof task.text === 'string' ? task.text : typeof task.image === 'string' ? 'Image' : typeof task.html === 'string' ? task.html.replace(/<[^>]*>/g, ' ') : JSON.stringify(task);
  return value.replace(/\s+/g, ' ').trim().slice(0, 240);
}

/** Session ids are `<dataset>-<name>`: the shared part says nothing when versions sit side by side. */
function sessionNames(ids: string[]): string[] {
  if (ids.length < 2) return ids;
  let prefix = ids[0] ?? '';
  for (const id of ids) while (!id.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = prefix.lastIndexOf('-') + 1;
  return ids.map((id) => id.slice(cut) || id);
}

/**
 * The SME's side of F5: escalations for assignments they review, fetched from
 * File 360 and kept for offline work. Opening one claims it; a decision is
 * written here first and sent through the outbox, with a `decision.made`
 * notification for the annotator queued behind it.
 */
export class ReviewService {
  readonly rows;
  private refreshedAt: string | null = null;
  private problem: string | null = null;

  constructor(private readonly deps: ReviewDeps) {
    this.rows = createReviewStore(() => deps.data.require().db);
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private connectionOrThrow() {
    const connection = this.deps.connection();
    if (!connection) throw new AppError('NOT_SIGNED_IN', 'Sign in to File 360 first.');
    return connection;
  }

  outboxKind(): OutboxKindHandler {
    return {
      send: decisionSender.send,
      sent: (row, remote) => {
        const { escalation_id: id } = JSON.parse(row.payload) as { escalation_id: string };
        const review = this.rows.get({ server: row.server, tenant: row.tenant, userId: row.user_id }, id);
        const local = review?.local_decision ? (JSON.parse(review.local_decision) as LocalDecision) : null;
        if (local) this.rows.completed(id, { ...local, time: local.decided_at }, this.now());
        this.deps.data.require().audit.append({ type: 'decision.sent', assignmentId: row.assignment_id, details: { escalation: id, outcome: local?.outcome ?? null, remote } });
        setImmediate(() => this.deps.changed());
      },
    };
  }

  /**
   * Its part in a wipe: the review items cached for the assignment (a user who
   * annotates and reviews it). A decision still waiting to be sent had its
   * last call in the outbox's step; what File 360 still lets this reviewer see
   * comes back with the next refresh.
   */
  wipeStep(): WipeStep {
    return {
      name: 'reviews',
      stage: 'remove',
      erase: (row, db, tally) => count(tally.removed, 'reviews', prepared<[string]>(db, 'DELETE FROM reviews WHERE assignment_id = ?').run(row.id).changes),
    };
  }

  /** Fetches every escalation this reviewer may see; the cached list stays when File 360 cannot be reached. */
  async refresh(): Promise<void> {
    const connection = this.deps.connection();
    if (!connection) {
      this.problem = 'Sign in to File 360 to see new review items.';
      return;
    }
    try {
      // Items of an assignment wiped from this computer (one this user also annotated) do not come back with the list.
      const escalations = (await connection.client.escalations({ role: 'reviewer' })).filter((escalation) => !this.deps.store.assignment(escalation.assignment_id)?.wiped_at);
      this.deps.data.transaction(() => {
        for (const escalation of escalations) this.rows.upsert(connection.owner, escalation);
        this.rows.prune(connection.owner, escalations.map((escalation) => escalation.id));
      });
      this.refreshedAt = this.now();
      this.problem = null;
    } catch (error) {
      this.problem = error instanceof File360Error || error instanceof AppError ? error.message : 'The review list could not be refreshed.';
      if (!(error instanceof File360Error || error instanceof AppError)) this.deps.logger.warn('review list refresh failed', { error });
    }
    this.deps.changed();
  }

  list(filter: ReviewFilter): ReviewList {
    const connection = this.deps.connection();
    if (!connection) return { items: [], refreshedAt: this.refreshedAt, problem: 'Sign in to File 360 to review escalations.' };
    const now = this.deps.clock.now().getTime();
    const items = this.rows
      .all(connection.owner)
      .filter((row) => {
        const summaryState = row.local_decision && row.state !== 'completed' ? 'completed' : row.state;
        if (filter.state !== 'all' && summaryState !== filter.state && !(filter.state === 'open' && summaryState === 'claimed' && this.mine(row, connection.owner))) return false;
        if (filter.reason && row.reason !== filter.reason) return false;
        if (filter.priority && row.priority !== filter.priority) return false;
        if (filter.due !== 'any' && row.due && Date.parse(row.due) > now + DUE_WINDOW_MS[filter.due]) return false;
        return true;
      })
      .map((row) => this.summary(row, connection.owner));
    return { items, refreshedAt: this.refreshedAt, problem: this.problem };
  }

  private mine(row: ReviewRow, owner: Owner): boolean {
    return row.assignee !== null && (JSON.parse(row.assignee) as Person).id === owner.userId;
  }

  private summary(row: ReviewRow, owner: Owner): ReviewSummary {
    const item = JSON.parse(row.item) as Item;
    const assignee = row.assignee ? (JSON.parse(row.assignee) as Person) : null;
    const decision = row.decision ? (JSON.parse(row.decision) as { outcome: Outcome; comment?: string | null; actor: Person; time: string; corrected_task?: Annotation | null }) : null;
    const local = row.local_decision ? (JSON.parse(row.local_decision) as LocalDecision) : null;
    const outbox = row.outbox_id === null ? null : this.deps.outbox.store.get(row.outbox_id);
    const decisionView: DecisionView | null = decision
      ? { outcome: decision.outcome, reviewer: nameOf(decision.actor) ?? '', comment: decision.comment ?? null, time: decision.time, change: decisionChange(item, decision.outcome, decision.corrected_task) }
      : null;
    return {
      id: row.id,
      assignmentId: row.assignment_id,
      assignmentName: this.deps.store.assignment(row.assignment_id)?.name ?? (typeof item.assignment_name === 'string' ? item.assignment_name : null),
      reason: row.reason as EscalationReason,
      priority: row.priority,
      state: row.state,
      raisedBy: nameOf(JSON.parse(row.created_by) as Person) ?? 'an annotator',
      claimedBy: nameOf(assignee),
      mine: assignee?.id === owner.userId,
      text: text(item.task),
      versionCount: item.versions.length,
      created: row.created,
      due: row.due,
      pending:
        local && outbox && outbox.state !== 'sent'
          ? { outcome: local.outcome, state: outbox.state, error: outbox.last_error, change: decisionChange(item, local.outcome, local.corrected_task) }
          : null,
      decision: decisionView,
    };
  }

  private detail(row: ReviewRow, owner: Owner, claimProblem: string | null): ReviewDetail {
    const item = JSON.parse(row.item) as Item;
    const names = sessionNames(item.versions.map((version) => version.session_id));
    const versions: ReviewVersion[] = item.versions.map((version, index) => ({
      session: names[index] ?? version.session_id,
      answer: version.answer === 'reject' || version.answer === 'ignore' ? version.answer : 'accept',
      label: version.label ?? null,
      accept: (version.accept ?? []).map(String),
      spans: (version.spans ?? []).filter((span): span is Record<string, unknown> => typeof span === 'object' && span !== null),
      flagged: version.flagged === true,
    }));
    const task = item.task;
    const options = Array.isArray(task.options) ? (task.options as Array<{ id?: unknown; text?: unknown }>).map((option) => String(option.id ?? option.text)) : [];
    const seen = versions.flatMap((version) => [...version.spans.map((span) => String(span.label ?? '')), version.label ?? '']);
    // The project's labels travel with the item (this app adds them), so a correction can use one nobody chose.
    const project = Array.isArray(item.labels) ? (item.labels as unknown[]).map(String) : [];
    const labels = [...new Set([...options, ...project, ...seen, typeof task.label === 'string' ? task.label : ''])].filter(Boolean);
    return {
      ...this.summary(row, owner),
      note: row.note,
      viewId: typeof task._view_id === 'string' ? task._view_id : 'classification',
      task,
      versions,
      labels,
      claimProblem,
    };
  }

  private async fetchOne(connection: ReviewConnection, id: string): Promise<void> {
    let escalation: Escalation;
    try {
      escalation = await connection.client.escalation(id);
    } catch (error) {
      if (error instanceof File360Error && (error.status === 403 || error.status === 404)) {
        throw new AppError('NOT_FOUND', 'That review item is not open to you in File 360 (it may have been decided or withdrawn).');
      }
      throw new AppError('OFFLINE', 'That review item is not on this computer yet, and File 360 cannot be reached to fetch it. Try again when you are online.');
    }
    this.rows.upsert(connection.owner, escalation);
    this.deps.changed();
  }

  private rowOrThrow(owner: Owner, id: string): ReviewRow {
    const row = this.rows.get(owner, id);
    if (!row) throw new AppError('NOT_FOUND', 'That review item is not on this computer. Refresh the list.');
    return row;
  }

  /**
   * Shows an item and claims it, so two reviewers do not decide the same one.
   * Offline, it opens from the copy here; the decision is sent later and may
   * find that someone else decided first (the outbox then says so).
   */
  async open(id: string): Promise<ReviewDetail> {
    const connection = this.connectionOrThrow();
    // Opened from a notification or a link before the list was fetched: fetch that one item.
    if (!this.rows.get(connection.owner, id)) await this.fetchOne(connection, id);
    let row = this.rowOrThrow(connection.owner, id);
    let problem: string | null = null;
    if (row.state === 'open' && !row.local_decision) {
      try {
        const claimed = await connection.client.actOnEscalation(id, { action: 'claim' });
        this.deps.data.transaction(({ audit }) => {
          this.rows.upsert(connection.owner, claimed);
          audit.append({ type: 'review.claimed', assignmentId: row.assignment_id, details: { escalation: id } });
        });
      } catch (error) {
        problem = await this.claimProblem(connection, id, error);
      }
      row = this.rowOrThrow(connection.owner, id);
      this.deps.changed();
    } else if (row.state === 'claimed' && !this.mine(row, connection.owner)) {
      problem = `${nameOf(JSON.parse(row.assignee ?? 'null') as Person | null) ?? 'Another reviewer'} is working on this item.`;
    } else if (row.state === 'completed') {
      const decision = row.decision ? (JSON.parse(row.decision) as { actor: Person }) : null;
      problem = decision?.actor.id === connection.owner.userId ? 'You decided this item.' : decision ? `${nameOf(decision.actor)} already decided this item.` : 'This item was already decided.';
    }
    return this.detail(row, connection.owner, problem);
  }

  /** A refused claim, in words; the item's copy here is brought up to date where File 360 could say more. */
  private async claimProblem(connection: { client: File360Client; owner: Owner }, id: string, error: unknown): Promise<string> {
    if (!(error instanceof File360Error)) throw error;
    if (error.kind === 'network' || error.kind === 'timeout') return 'You are offline, so this item is not claimed. You can decide it now; the decision is sent when you are back online, unless another reviewer decides first.';
    const current = await connection.client.escalation(id).catch(() => null);
    if (current) this.deps.data.transaction(() => this.rows.upsert(connection.owner, current));
    if (error.code === 'TASK_ALREADY_COMPLETED') return `${nameOf(current?.decision?.actor ?? null) ?? 'Another reviewer'} already decided this item.`;
    if (error.code === 'TASK_NOT_ASSIGNED') return `${nameOf(current?.assignee ?? null) ?? 'Another reviewer'} is working on this item.`;
    return error.message;
  }

  /** Records a decision here and queues it; it works offline. */
  decide(input: Decision): ReviewDetail {
    const connection = this.connectionOrThrow();
    const row = this.rowOrThrow(connection.owner, input.id);
    if (row.state === 'completed') {
      const actor = row.decision ? (JSON.parse(row.decision) as { actor: Person }).actor : null;
      throw new AppError('FILE360_REFUSED', actor?.id === connection.owner.userId ? 'You already decided this item.' : `${nameOf(actor) ?? 'Another reviewer'} already decided this item.`);
    }
    if (row.local_decision) throw new AppError('FILE360_REFUSED', 'You already decided this item; your decision is in the Outbox.');
    if (row.state === 'claimed' && !this.mine(row, connection.owner)) {
      throw new AppError('FILE360_REFUSED', `${nameOf(JSON.parse(row.assignee ?? 'null') as Person | null) ?? 'Another reviewer'} is working on this item.`);
    }
    const item = JSON.parse(row.item) as Item;
    const correctedTask = this.decidedTask(item, input);
    const local: LocalDecision = {
      outcome: input.outcome,
      ...(correctedTask ? { corrected_task: correctedTask } : {}),
      ...(input.comment ? { comment: input.comment } : {}),
      decided_at: this.now(),
      actor: { id: connection.owner.userId, display_name: connection.displayName },
    };
    this.deps.data.transaction(({ audit }) => {
      const outboxId = this.deps.outbox.enqueue({
        kind: 'decision',
        owner: connection.owner,
        assignmentId: row.assignment_id,
        label: `Decision (${input.outcome}): “${clipWords(text(item.task), 60)}”`,
        payload: { escalation_id: row.id, outcome: input.outcome, ...(correctedTask ? { corrected_task: correctedTask } : {}), ...(input.comment ? { comment: input.comment } : {}) },
      });
      this.rows.decideLocally(row.id, local, outboxId);
      audit.append({ type: 'review.decided', assignmentId: row.assignment_id, details: { escalation: row.id, outcome: input.outcome, version: input.version ?? null, commented: Boolean(input.comment) } });
    });
    this.deps.changed();
    return this.detail(this.rowOrThrow(connection.owner, input.id), connection.owner, null);
  }

  /**
   * Approves several items with one comment, each as its own decision: the
   * same outbox entry, audit record and File 360 call as approving it alone.
   * The copies here are brought up to date first where File 360 can be
   * reached, so an item someone else decided meanwhile says so. One that cannot
   * be approved fails alone, in words; the others are approved regardless.
   */
  async approveMany({ ids, comment }: { ids: string[]; comment: string }): Promise<ApproveManyResult> {
    const connection = this.connectionOrThrow();
    await this.refresh();
    const result: ApproveManyResult = { approved: [], failed: [] };
    for (const id of ids) {
      const row = this.rows.get(connection.owner, id);
      const item = row ? (JSON.parse(row.item) as Item) : null;
      const words = item ? text(item.task) : null;
      try {
        if (!item) throw new AppError('NOT_FOUND', 'It is no longer open to you in File 360, or not on this computer.');
        // Which of several versions is right is the reviewer's call, made on the item's page.
        if (item.versions.length > 1) throw new AppError('INVALID_INPUT', `Its ${item.versions.length} versions differ: open it to pick the one you approve.`);
        this.decide({ id, outcome: 'approved', comment, ...(item.versions.length === 1 ? { version: 0 } : {}) });
        result.approved.push({ id, text: words });
      } catch (error) {
        if (!(error instanceof AppError)) this.deps.logger.warn('bulk approve: one item failed', { error });
        result.failed.push({ id, text: words, error: error instanceof AppError ? error.message : 'It could not be saved on this computer.' });
      }
    }
    return result;
  }

  /** The task as decided: a chosen version's annotation, the reviewer's correction, or nothing for a rejection. */
  private decidedTask(item: Item, input: Decision): Record<string, unknown> | undefined {
    const base = Object.fromEntries(Object.entries(item.task).filter(([key]) => !ANNOTATOR_FIELDS.includes(key)));
    if (input.outcome === 'rejected') return undefined;
    if (input.outcome === 'corrected') {
      if (!input.correctedTask) throw new AppError('INVALID_INPUT', 'A correction needs the corrected label, choice or spans.');
      // Only the annotation may change: the input (text, image, hashes) is the item's own.
      const { accept, spans, label, answer } = input.correctedTask;
      return { ...base, ...(accept === undefined ? {} : { accept }), ...(spans === undefined ? {} : { spans }), ...(label === undefined ? {} : { label }), answer: answer === 'reject' ? 'reject' : 'accept' };
    }
    if (input.version === undefined) return { ...base, answer: 'accept' };
    const version = item.versions[input.version];
    if (!version) throw new AppError('INVALID_INPUT', 'That version is not one of this item’s.');
    return {
      ...base,
      // Approving a skip keeps it a skip.
      answer: version.answer === 'reject' || version.answer === 'ignore' ? version.answer : 'accept',
      ...(version.accept ? { accept: version.accept } : {}),
      ...(version.spans ? { spans: version.spans } : {}),
      ...(version.label ? { label: version.label } : {}),
    };
  }
}

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Agreement, AgreementView } from '../../../shared/api/schemas/agreement';
import type { ExportResult, ExportView } from '../../../shared/api/schemas/exports';
import type { LocalData } from '../kernel/db/local-data';
import { prepared } from '../kernel/platform/statements';
import { measureAgreement } from '../services/disputes/agreement';
import { readExamples } from '../services/disputes/read';
import { detectDisputes } from '../services/disputes/detect';
import type { Example } from '../services/disputes/types';
import { AppError } from '../kernel/errors';
import type { AuditLog } from '../kernel/audit/audit-log';
import type { Dispute } from '../services/disputes/types';
import type { EscalationStore } from '../services/escalations/store';
import type { LineageRecord, StoredLineage } from '../services/lineage/record';
import type { OutboxKindHandler } from '../services/outbox/kind';
import type { Outbox } from '../services/outbox/outbox';
import type { OutboxRow } from '../services/outbox/store';
import { packageSender } from './package-sender';
import type { Clock, Logger } from '../kernel/ports';
import { dbOut } from '../services/prodigy/cli';
import { countExamples } from '../services/prodigy/progress';
import { assignmentFolder } from '../services/assignments/layout';
import { parseTime, type AssignmentRow, type SyncStore } from '../services/assignments/store';
import { syncedFiles } from '../services/assignments/synced-files';
import { count, type WipeStep } from '../services/assignments/wipe';
import { writePackage, type MemberInfo, type PackageMember } from './package';
import { prodigyHome } from '../services/prodigy/home';

export type ExportTrigger = ExportView['trigger'];

/** What an export asks of the escalations feature: its disputes queued for review, and what reviewers decided. */
export interface DisputeReview {
  readonly rows: Pick<EscalationStore, 'list'>;
  /** Runs in the export's transaction; returns how many were queued. */
  queueDisputes(audit: AuditLog, row: AssignmentRow, exportId: number, disputes: readonly Dispute[], threshold: number | null): number;
}

/** What an export asks of the lineage feature: the record of where its answers came from, kept with the package. */
export interface LineageKeeper {
  freeze(row: AssignmentRow, dataset: string, examples: readonly Example[], trigger: ExportTrigger, createdAt: Date): LineageRecord;
  /** Runs in the export's transaction. */
  keep(exportId: number, record: StoredLineage): void;
}

export interface ExportDeps {
  dataDir: string;
  data: LocalData;
  store: SyncStore;
  outbox: Outbox;
  escalations: DisputeReview;
  lineage: LineageKeeper;
  clock: Clock;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  app: { name: string; version: string };
  prodigyCommand(): string;
  changed(assignmentId: string): void;
  /** A package reached File 360; runs in the transaction that marks it sent. */
  uploaded?(row: OutboxRow, remote: unknown): void;
}

interface ExportRow {
  id: number;
  assignment_id: string;
  dataset: string;
  trigger: ExportTrigger;
  annotations: number;
  counts: string;
  fingerprint: string;
  package_file: string;
  package_sha256: string;
  package_size: number;
  disputes: number;
  outbox_id: number;
  created_at: string;
  agreement: string | null;
}

interface Counts {
  accept: number;
  reject: number;
  ignore: number;
  flagged: number;
  sessions: string[];
  annotators: string[];
}

/** The package format this app writes; bumped when manifest.json changes shape (2: agreement and Prodigy's version). */
const PACKAGE_FORMAT = 2;
/** Who may read review notes and sources is the assignment's business: sources go only where it says so. */
const INCLUDE_SOURCES = 'include_sources';

function countsOf(examples: readonly Example[]): Counts {
  const counts = { accept: 0, reject: 0, ignore: 0, flagged: 0 };
  const sessions = new Set<string>();
  const annotators = new Set<string>();
  for (const example of examples) {
    counts[example.answer] += 1;
    if (example.flagged === true) counts.flagged += 1;
    if (typeof example._session_id === 'string') sessions.add(example._session_id);
    if (typeof example._annotator_id === 'string') annotators.add(example._annotator_id);
  }
  return { ...counts, sessions: [...sessions].sort(), annotators: [...annotators].sort() };
}

/** Why packages were still waiting when access ended, in words, from how their last try ended. */
function whyUnsent(codes: ReadonlyArray<string | null>): string | null {
  if (codes.some((code) => code === 'network' || code === 'timeout')) return 'File 360 could not be reached';
  if (codes.some((code) => code === 'ASSIGNMENT_EXPIRED' || code === 'ASSIGNMENT_REVOKED')) return 'File 360 no longer took work for it';
  if (codes.some((code) => code === 'signed-out')) return 'nobody was signed in to File 360';
  return null;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * F3: finished work leaves the laptop as a package. `db-out` gives the
 * dataset's answers; they are zipped with a manifest (checksums, counts,
 * instructions, review notes, versions), scanned for disputes, and the package,
 * its escalations and their notifications are queued in one transaction.
 */
export class ExportService {
  private readonly running = new Map<string, Promise<ExportResult>>();
  /** Stops the `db-out` of an export that quitting has waited for long enough. */
  readonly quitting = new AbortController();

  constructor(private readonly deps: ExportDeps) {}

  private db() {
    return this.deps.data.require().db;
  }

  /** How packages are sent, and what is recorded once they are. */
  outboxKind(): OutboxKindHandler {
    return {
      send: packageSender.send,
      sent: (row, remote) => {
        this.deps.data.require().audit.append({ type: 'export.uploaded', assignmentId: row.assignment_id, details: { outbox: row.id, ...(remote as Record<string, unknown>) } });
        this.deps.uploaded?.(row, remote);
      },
    };
  }

  /**
   * Its part in a wipe, after Prodigy stopped and the outbox's last call: how
   * many answers reached File 360 and how many did not (packages still
   * waiting, answers never exported), then the export folder goes, and the
   * agreement summaries, which quote the items that pull agreement down.
   * Export records (counts, checksums) and their lineage stay, as the audit does.
   */
  wipeStep(): WipeStep {
    return {
      name: 'exports',
      stage: 'count',
      settle: async (row, tally) => {
        await this.running.get(row.id)?.catch(() => undefined);
        const dataset = (JSON.parse(row.project) as { dataset: string }).dataset;
        const answers = countExamples(prodigyHome(this.deps.dataDir, row.id), dataset);
        const packages = prepared<[string], { annotations: number; state: string; last_error_code: string | null }>(
          this.db(),
          'SELECT e.annotations, o.state, o.last_error_code FROM exports e JOIN outbox o ON o.id = e.outbox_id WHERE e.assignment_id = ?',
        ).all(row.id);
        const sent = packages.filter((p) => p.state === 'sent');
        const waiting = packages.filter((p) => p.state === 'queued' || p.state === 'sending' || p.state === 'failed');
        // Each package holds every answer of the dataset so far: the newest one sent says how many arrived.
        const delivered = Math.max(0, ...sent.map((p) => p.annotations));
        const lost = Math.max(0, answers - delivered);
        const queued = Math.min(lost, Math.max(0, ...waiting.map((p) => p.annotations - delivered)));
        count(tally.delivered, 'answers', Math.min(delivered, answers));
        count(tally.delivered, 'packages', sent.length);
        count(tally.lost, 'answers', lost);
        count(tally.lost, 'packages', waiting.length);
        tally.lostAnswers = { queued, unexported: lost - queued };
        tally.why ??= lost > 0 && !JSON.parse(row.permissions).includes('upload') ? 'this assignment does not allow uploading work' : whyUnsent(waiting.map((p) => p.last_error_code));
      },
      folders: (row) => [{ kind: 'exportFiles', dir: path.join(this.deps.dataDir, 'exports', assignmentFolder(row.id)) }],
      erase: (row, db, tally) => {
        count(tally.removed, 'agreementSummaries', prepared<[string]>(db, 'UPDATE exports SET agreement = NULL WHERE assignment_id = ? AND agreement IS NOT NULL').run(row.id).changes);
      },
    };
  }

  /** Resolves once the exports under way (each runs a `db-out` in a Prodigy home) have finished. */
  async settled(): Promise<void> {
    await Promise.all([...this.running.values()].map((running) => running.catch(() => undefined)));
  }

  /** One export per assignment at a time; a second request joins the first. */
  run(assignmentId: string, trigger: ExportTrigger): Promise<ExportResult> {
    const pending = this.running.get(assignmentId);
    if (pending) return pending;
    const started = this.export(assignmentId, trigger).finally(() => this.running.delete(assignmentId));
    this.running.set(assignmentId, started);
    return started;
  }

  private lastExport(assignmentId: string): ExportRow | undefined {
    return prepared<[string], ExportRow>(this.db(), 'SELECT * FROM exports WHERE assignment_id = ? ORDER BY id DESC LIMIT 1').get(assignmentId);
  }

  /** The assignment, if a package made of its answers could reach File 360; else why not, in words. */
  private exportable(assignmentId: string): AssignmentRow {
    const row = this.deps.store.assignment(assignmentId);
    if (!row || row.wiped_at) throw new AppError('NOT_FOUND', 'That assignment is not on this computer.');
    // File 360 refuses uploads to an ended assignment (CONTRACTS §A.5): a package made now could never leave.
    if (row.status !== 'active' || (parseTime(row.expiration) ?? Infinity) <= this.deps.clock.now().getTime()) {
      throw new AppError('ASSIGNMENT_UNAVAILABLE', `Access to “${row.name}” has ended, so its answers can no longer be sent to File 360.`);
    }
    if (!JSON.parse(row.permissions).includes('upload')) throw new AppError('FILE360_REFUSED', 'This assignment does not allow uploading work, so there is nothing to export to.');
    return row;
  }

  private async export(assignmentId: string, trigger: ExportTrigger): Promise<ExportResult> {
    const row = this.exportable(assignmentId);
    const project = JSON.parse(row.project) as { dataset: string; view_id?: string; labels?: string[]; low_confidence_threshold?: number; instructions_file_id?: string };
    const home = prodigyHome(this.deps.dataDir, row.id);
    if (!fs.existsSync(path.join(home, 'prodigy.db'))) return { exported: null, message: 'Nothing annotated yet: start a session first.' };

    const createdAt = this.deps.clock.now();
    const stamp = createdAt.toISOString().replace(/[:.]/g, '-');
    const dir = path.join(this.deps.dataDir, 'exports', assignmentFolder(row.id));
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const jsonl = path.join(dir, `${stamp}.annotations.jsonl`);
    try {
      const found = await dbOut({ command: this.deps.prodigyCommand(), home, env: this.deps.env, signal: this.quitting.signal }, project.dataset, jsonl);
      if (!found) return { exported: null, message: 'Nothing annotated yet: Prodigy has no answers in this dataset.' };
      let examples: Example[];
      try {
        examples = await readExamples(jsonl);
      } catch (error) {
        throw new AppError('PRODIGY_FAILED', `Prodigy’s export could not be read: ${(error as Error).message}`);
      }
      if (examples.length === 0) return { exported: null, message: 'Nothing annotated yet: Prodigy has no answers in this dataset.' };
      const fingerprint = await sha256File(jsonl);
      const last = this.lastExport(row.id);
      if (last?.fingerprint === fingerprint) {
        return { exported: null, message: 'Nothing new since the last export: every answer is already in a package.' };
      }

      const counts = countsOf(examples);
      const agreement = measureAgreement(examples, { viewId: project.view_id ?? null, labels: project.labels ?? [] });
      const prodigyVersion = this.prodigyVersion(row.id);
      const lineage = this.deps.lineage.freeze(row, project.dataset, examples, trigger, createdAt);
      const name = `${project.dataset}-${stamp}.zip`;
      const packageFile = path.join(dir, `${stamp}.zip`);
      const built = await writePackage(packageFile, this.members(row, project.instructions_file_id ?? null, jsonl), (members) => this.manifest(row, project.dataset, counts, examples.length, members, trigger, createdAt, lineage, agreement, prodigyVersion), createdAt);
      const disputes = detectDisputes(examples, { lowConfidenceThreshold: project.low_confidence_threshold ?? null, viewId: project.view_id ?? null });

      const id = this.deps.data.transaction(({ db, audit }) => {
        const outboxId = this.deps.outbox.enqueue({
          kind: 'package',
          owner: { server: row.server, tenant: row.tenant, userId: row.user_id },
          assignmentId: row.id,
          label: `Export of “${row.name}”: ${examples.length} answers`,
          payload: {
            assignment_id: row.id,
            name,
            size: built.size,
            sha256: built.sha256,
            mime_type: 'application/zip',
            metadata: { dataset: project.dataset, annotations: examples.length, manifest_version: row.synced_manifest_version ?? row.manifest_version, format: PACKAGE_FORMAT },
          },
          file: path.relative(this.deps.dataDir, packageFile),
          size: built.size,
        });
        const exportId = Number(
          prepared(
            db,
            `INSERT INTO exports (assignment_id, dataset, trigger, annotations, counts, fingerprint, package_file, package_sha256, package_size, disputes, outbox_id, created_at, agreement)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(row.id, project.dataset, trigger, examples.length, JSON.stringify(counts), fingerprint, path.relative(this.deps.dataDir, packageFile), built.sha256, built.size, disputes.length, outboxId, createdAt.toISOString(), JSON.stringify(agreement))
            .lastInsertRowid,
        );
        this.deps.lineage.keep(exportId, { ...lineage, package: { name, sha256: built.sha256, size: built.size } });
        const escalated = this.deps.escalations.queueDisputes(audit, row, exportId, disputes, project.low_confidence_threshold ?? null);
        audit.append({
          type: 'export.created',
          assignmentId: row.id,
          details: { export: exportId, trigger, annotations: examples.length, sha256: built.sha256, size: built.size, disputes: disputes.length, escalated },
        });
        return exportId;
      });
      this.deps.changed(row.id);
      const view = this.view(id);
      // Just queued: they are sent for review with the package, once online.
      const queued = view.escalated.waiting + view.escalated.sent;
      const escalatedNote = queued > 0 ? `; ${queued} disputed item${queued === 1 ? '' : 's'} to send for review` : '';
      return { exported: view, message: `Exported ${examples.length} answer${examples.length === 1 ? '' : 's'}${escalatedNote}. The package uploads when you are online.` };
    } finally {
      fs.rmSync(jsonl, { force: true });
    }
  }

  private members(row: AssignmentRow, instructionsFileId: string | null, jsonl: string): PackageMember[] {
    const members: PackageMember[] = [{ name: 'annotations.jsonl', file: jsonl }];
    const synced = syncedFiles(this.deps.dataDir, this.deps.store, row);
    const instructions = synced.find((file) => file.id === instructionsFileId);
    if (instructions && fs.existsSync(instructions.file)) members.push({ name: `instructions/${path.posix.basename(instructions.path)}`, file: instructions.file });
    const notes = this.deps.escalations.rows
      .list(row.id)
      .filter((escalation) => escalation.decision)
      .map((escalation) => {
        const decision = JSON.parse(escalation.decision ?? '{}') as { outcome?: string; comment?: string; actor?: { id?: string; display_name?: string }; time?: string };
        return JSON.stringify({ escalation_id: escalation.remote_id, question: escalation.question_key, reason: escalation.reason, note: escalation.note, outcome: decision.outcome, comment: decision.comment ?? null, reviewer: decision.actor?.display_name ?? decision.actor?.id ?? null, time: decision.time });
      });
    if (notes.length > 0) members.push({ name: 'review-notes.jsonl', text: `${notes.join('\n')}\n` });
    if (JSON.parse(row.permissions).includes(INCLUDE_SOURCES)) {
      for (const file of synced) if (file.id !== instructionsFileId && fs.existsSync(file.file)) members.push({ name: `sources/${file.path}`, file: file.file });
    }
    return members;
  }

  /** The Prodigy that made these answers, as its last session recorded it. */
  private prodigyVersion(assignmentId: string): string | null {
    return (
      prepared<[string], { prodigy_version: string }>(this.db(), 'SELECT prodigy_version FROM prodigy_sessions WHERE assignment_id = ? AND prodigy_version IS NOT NULL ORDER BY id DESC LIMIT 1').get(assignmentId)
        ?.prodigy_version ?? null
    );
  }

  private manifest(
    row: AssignmentRow,
    dataset: string,
    counts: Counts,
    total: number,
    members: MemberInfo[],
    trigger: ExportTrigger,
    createdAt: Date,
    lineage: LineageRecord,
    agreement: Agreement,
    prodigyVersion: string | null,
  ) {
    return {
      format: PACKAGE_FORMAT,
      assignment_id: row.id,
      assignment_name: row.name,
      // File 360's version of the file subset these answers were made on.
      manifest_version: row.synced_manifest_version ?? row.manifest_version,
      dataset,
      counts: { total, accept: counts.accept, reject: counts.reject, ignore: counts.ignore, flagged: counts.flagged },
      sessions: counts.sessions,
      annotators: counts.annotators,
      exported_by: row.user_id,
      trigger,
      app: this.deps.app,
      prodigy: { version: prodigyVersion },
      created: createdAt.toISOString(),
      instructions: members.find((member) => member.path.startsWith('instructions/'))?.path ?? null,
      review_notes: members.some((member) => member.path === 'review-notes.jsonl') ? 'review-notes.jsonl' : null,
      sources_included: members.some((member) => member.path.startsWith('sources/')),
      // Inter-annotator agreement as Prodigy's metric.iaa.* recipes define it (prodi.gy/docs/metrics).
      agreement,
      members,
      // Where these answers came from; what became of them (escalations, decisions) is in the app's lineage export.
      lineage,
    };
  }

  view(id: number): ExportView {
    const row = prepared<[number], ExportRow>(this.db(), 'SELECT * FROM exports WHERE id = ?').get(id);
    if (!row) throw new AppError('NOT_FOUND', 'That export is not on this computer.');
    const counts = JSON.parse(row.counts) as Counts;
    const outbox = this.deps.outbox.store.get(row.outbox_id);
    // Sent means File 360 has it: an escalation still in the Outbox is waiting, not sent for review.
    const escalated = { sent: 0, waiting: 0, failed: 0 };
    for (const { state, n } of prepared<[number], { state: string; n: number }>(this.db(), 'SELECT state, COUNT(*) AS n FROM escalations WHERE export_id = ? GROUP BY state').all(row.id)) {
      escalated[state === 'queued' ? 'waiting' : state === 'failed' ? 'failed' : 'sent'] += n;
    }
    return {
      id: row.id,
      assignmentId: row.assignment_id,
      dataset: row.dataset,
      trigger: row.trigger,
      createdAt: row.created_at,
      annotations: row.annotations,
      counts: { accept: counts.accept, reject: counts.reject, ignore: counts.ignore, flagged: counts.flagged },
      sessions: counts.sessions,
      disputes: row.disputes,
      escalated,
      packageSize: row.package_size,
      packageSha256: row.package_sha256,
      upload: { state: outbox?.state ?? 'queued', lastError: outbox?.last_error ?? null },
    };
  }

  /** The agreement measured at the latest export that has one, with the escalation of each item that pulls it down. */
  agreement(assignmentId: string): AgreementView | null {
    const row = prepared<[string], ExportRow>(this.db(), 'SELECT * FROM exports WHERE assignment_id = ? AND agreement IS NOT NULL ORDER BY id DESC LIMIT 1').get(assignmentId);
    if (!row?.agreement) return null;
    const agreement = JSON.parse(row.agreement) as Agreement;
    const wanted = new Set(agreement.lowest.map((item) => item.key));
    const escalations: Record<string, string> = {};
    // Newest first: the latest escalation of an item is the one to look at.
    for (const escalation of this.deps.escalations.rows.list(assignmentId)) {
      if (wanted.has(escalation.question_key) && !escalations[escalation.question_key]) escalations[escalation.question_key] = escalation.id;
    }
    return { exportId: row.id, measuredAt: row.created_at, agreement, escalations };
  }

  list(assignmentId: string): ExportView[] {
    return prepared<[string], { id: number }>(this.db(), 'SELECT id FROM exports WHERE assignment_id = ? ORDER BY id DESC LIMIT 50')
      .all(assignmentId)
      .map((row) => this.view(row.id));
  }
}

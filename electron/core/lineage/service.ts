import type { LineageEscalation, LineageExport, LineagePackage, LineageView } from '../../../shared/api/schemas/lineage';
import type { LocalData } from '../kernel/db/local-data';
import type { Example } from '../services/disputes/types';
import { AppError } from '../kernel/errors';
import { taskText } from '../services/prodigy/text';
import { createEscalationStore, type EscalationRow } from '../services/escalations/store';
import { createAccountStore } from '../remote/file360/accounts';
import type { Escalation } from '../remote/file360/wire';
import type { AssignmentRow, SyncStore } from '../services/assignments/store';
import { provDocument, type LineageGraph } from './prov';
import { freezeLineage, type LineageRecord, type StoredLineage } from '../services/lineage/record';
import { createLineageStore } from './store';

export interface LineageDeps {
  data: LocalData;
  store: SyncStore;
  app: { name: string; version: string };
}

function escalationOf(row: EscalationRow): LineageEscalation {
  const item = JSON.parse(row.item) as { input_hash?: number | string; task?: Record<string, unknown> };
  const decision = row.decision ? (JSON.parse(row.decision) as NonNullable<Escalation['decision']>) : null;
  return {
    id: row.id,
    remoteId: row.remote_id,
    reason: row.reason as LineageEscalation['reason'],
    text: taskText(item.task ?? {}),
    inputHash: String(item.input_hash ?? ''),
    createdAt: row.created_at,
    state: row.state,
    decision: decision && {
      outcome: decision.outcome,
      reviewer: { id: decision.actor.id, name: decision.actor.display_name ?? null },
      time: decision.time,
      comment: decision.comment ?? null,
    },
    reviewed: row.applied_at && row.applied_dataset ? { dataset: row.applied_dataset, appliedAt: row.applied_at } : null,
  };
}

function packageOf(exportId: number, record: StoredLineage, upload: LineagePackage['package']['upload'], escalations: LineageEscalation[]): LineagePackage {
  return {
    exportId,
    createdAt: record.export.created_at,
    trigger: record.export.trigger,
    sources: record.sources.map((s) => ({ fileId: s.file_id, path: s.path, version: s.version, sha256: s.sha256, answers: s.answers })),
    sessions: record.sessions.map((s) => ({
      id: s.session_id,
      dataset: s.dataset,
      annotator: { id: s.annotator.id, name: s.annotator.display_name, organisation: s.annotator.organisation },
      counts: s.counts,
      firstAnswerAt: s.first_answer_at,
      lastAnswerAt: s.last_answer_at,
    })),
    package: { ...record.package, upload },
    escalations,
  };
}

/**
 * F6 lineage: what each package was made from is frozen when it is built;
 * what happened to it afterwards (its upload, the escalations it raised, the
 * decisions on them and where they went in Prodigy) is read from the live
 * tables whenever the lineage is shown or exported.
 */
export class LineageService {
  private readonly lineage;
  private readonly escalations;
  private readonly accounts;

  constructor(private readonly deps: LineageDeps) {
    const db = () => deps.data.require().db;
    this.lineage = createLineageStore(db);
    this.escalations = createEscalationStore(db);
    this.accounts = createAccountStore(db);
  }

  /** The record of a package about to be built from these answers. */
  freeze(row: AssignmentRow, dataset: string, examples: readonly Example[], trigger: LineageRecord['export']['trigger'], createdAt: Date): LineageRecord {
    return freezeLineage({
      assignment: row,
      account: this.accounts.find(row.server, row.tenant),
      dataset,
      files: this.deps.store.files(row.id),
      runs: this.lineage.runs(row.id, createdAt.toISOString()),
      examples,
      trigger,
      createdAt,
      app: this.deps.app,
    });
  }

  /** Stores the record with its package; runs in the export's transaction. */
  keep(exportId: number, record: StoredLineage): void {
    this.lineage.insert(exportId, record.assignment.id, record, record.export.created_at);
  }

  private graph(assignmentId: string): LineageGraph {
    const row = this.deps.store.assignment(assignmentId);
    if (!row) throw new AppError('NOT_FOUND', 'That assignment is not on this computer.');
    const byExport = new Map<number | null, LineageEscalation[]>();
    // Oldest first, as they happened.
    for (const escalation of this.escalations.list(assignmentId).reverse()) byExport.set(escalation.export_id, [...(byExport.get(escalation.export_id) ?? []), escalationOf(escalation)]);
    const packages = this.lineage.list(assignmentId).map((stored) => {
      const remote = stored.upload_remote ? (JSON.parse(stored.upload_remote) as { file_id?: string }) : {};
      const upload = { state: stored.upload_state, fileId: remote.file_id ?? null, at: stored.uploaded_at };
      const record = JSON.parse(stored.record) as StoredLineage;
      return { record, view: packageOf(stored.export_id, record, upload, byExport.get(stored.export_id) ?? []) };
    });
    return {
      assignment: row,
      dataset: (JSON.parse(row.project) as { dataset: string }).dataset,
      installationId: this.deps.data.require().installationId,
      app: this.deps.app,
      packages,
      questions: byExport.get(null) ?? [],
    };
  }

  view(assignmentId: string): LineageView {
    const graph = this.graph(assignmentId);
    const { assignment } = graph;
    const sharer = assignment.sharer ? (JSON.parse(assignment.sharer) as { id: string; display_name?: string }) : null;
    return {
      assignmentId,
      assignmentName: assignment.name,
      tenant: assignment.tenant,
      sharedBy: sharer && { id: sharer.id, name: sharer.display_name ?? null },
      packages: graph.packages.map((p) => p.view),
      questions: graph.questions,
    };
  }

  /** The lineage as W3C PROV-JSON, with the name a save dialog suggests. */
  /** The document names people and their organisations, so handing it out is recorded. */
  prov(assignmentId: string): LineageExport {
    const graph = this.graph(assignmentId);
    const document = provDocument(graph);
    this.deps.data.transaction(({ audit }) =>
      audit.append({ type: 'lineage.exported', assignmentId, details: { packages: graph.packages.length, format: 'PROV-JSON' } }),
    );
    return { fileName: `lineage-${assignmentId.replace(/[^A-Za-z0-9._-]/g, '_')}.prov.json`, document };
  }
}

import type { LineageEscalation, LineagePackage, ProvDocument } from '../../../shared/api/schemas/lineage';
import type { AssignmentRow } from '../services/assignments/store';
import { ProvBuilder, qualified } from './prov-builder';
import type { LineageRecord, PersonRef, StoredLineage } from '../services/lineage/record';

export interface LineageGraph {
  assignment: AssignmentRow;
  dataset: string;
  installationId: string;
  app: { name: string; version: string };
  packages: Array<{ record: StoredLineage; view: LineagePackage }>;
  questions: LineageEscalation[];
}

const part = (value: string | number) => encodeURIComponent(String(value));
const type = (name: string) => ({ 'prov:type': qualified(name) });
const dateTime = (iso: string | null) => (iso ? { $: iso, type: 'xsd:dateTime' } : null);

/**
 * Lineage as W3C PROV. Who acts for whom (actedOnBehalfOf) is decided here:
 * an annotator works for their own organisation (the vendor, known by the
 * domain of their File 360 e-mail address), which carries responsibility for
 * their annotation sessions; that organisation works for the tenant that
 * shared the assignment, as does the person who shared it. An annotator whose
 * organisation is unknown acts directly for the tenant.
 */
class LineageProv {
  private readonly b: ProvBuilder;
  private readonly app = 'local:app';
  private readonly tenant: string;
  private readonly owner: string;

  constructor(private readonly graph: LineageGraph) {
    const server = graph.assignment.server.replace(/\/+$/, '');
    this.b = new ProvBuilder({
      prov: 'http://www.w3.org/ns/prov#',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
      companion: 'urn:annotator-companion:terms#',
      local: `urn:annotator-companion:installation:${graph.installationId}:`,
      file360: `${server}/file360/v1/`,
      tenant: `${server}/tenants/`,
      // An organisation known only by its e-mail domain is named by that domain's web address.
      org: 'https://',
    });
    this.b.agent(this.app, { ...type('prov:SoftwareAgent'), 'prov:label': `${graph.app.name} ${graph.app.version}`, 'companion:version': graph.app.version });
    this.tenant = this.b.agent(`tenant:${part(graph.assignment.tenant)}`, { ...type('prov:Organization'), 'prov:label': graph.assignment.tenant });
    this.owner = this.person({ id: graph.assignment.user_id, display_name: null });
  }

  private person(ref: PersonRef): string {
    return this.b.agent(`file360:users/${part(ref.id)}`, { ...type('prov:Person'), 'prov:label': ref.display_name });
  }

  private annotator(session: LineageRecord['sessions'][number], record: LineageRecord, activity: string): string {
    const { annotator } = session;
    // Only the signed-in user's own session has a File 360 identity; others are known by Prodigy's annotator id alone.
    if (annotator.id !== record.export.exported_by) return this.b.agent(`local:prodigy/annotators/${part(annotator.id)}`, { ...type('prov:Person'), 'prov:label': annotator.id });
    const agent = this.person(annotator);
    if (annotator.organisation) {
      const organisation = this.b.agent(`org:${part(annotator.organisation)}`, { ...type('prov:Organization'), 'prov:label': annotator.organisation });
      this.b.relation('actedOnBehalfOf', agent, organisation, { 'prov:activity': activity });
      this.b.relation('actedOnBehalfOf', organisation, this.tenant);
    } else {
      this.b.relation('actedOnBehalfOf', agent, this.tenant, { 'prov:activity': activity });
    }
    return agent;
  }

  /** What was shared, and by whom on the tenant's behalf. */
  private assignment(record: LineageRecord): string {
    const shared = this.b.entity(`file360:assignments/${part(record.assignment.id)}`, {
      ...type('companion:Assignment'),
      'prov:label': record.assignment.name,
      'companion:manifestVersion': record.assignment.manifest_version,
    });
    const sharer = record.assignment.sharer;
    if (sharer) {
      const person = this.person(sharer);
      this.b.relation('wasAttributedTo', shared, person);
      this.b.relation('actedOnBehalfOf', person, this.tenant);
    }
    return shared;
  }

  private source(source: LineageRecord['sources'][number]): string {
    const version = source.version === null ? `sha256-${source.sha256.slice(0, 16)}` : `v${source.version}`;
    return this.b.entity(`file360:files/${part(source.file_id)}/${version}`, {
      ...type('companion:SourceFile'),
      'prov:label': source.path,
      'companion:fileId': source.file_id,
      'companion:version': source.version,
      'companion:sha256': source.sha256,
      'companion:answers': source.answers,
    });
  }

  private package({ record, view }: LineageGraph['packages'][number]): void {
    const exportId = view.exportId;
    const sync = this.b.activity(`local:sync/${part(record.assignment.id)}`, { ...type('companion:Download'), 'prov:label': `Download of “${record.assignment.name}” from File 360` }, { end: record.assignment.synced_at });
    this.b.relation('wasAssociatedWith', sync, this.app);
    this.b.relation('wasAssociatedWith', sync, this.owner);
    this.b.relation('used', sync, this.assignment(record));
    const sources = record.sources.map((source) => this.source(source));
    for (const source of sources) this.b.relation('used', sync, source);

    const run = this.b.activity(`local:exports/${exportId}`, { ...type('companion:Export'), 'prov:label': `Export ${exportId}`, 'companion:trigger': record.export.trigger }, { start: record.export.created_at, end: record.export.created_at });
    this.b.relation('wasAssociatedWith', run, this.app);
    this.b.relation('wasAssociatedWith', run, this.owner);
    const pkg = this.b.entity(`local:exports/${exportId}/package`, {
      ...type('companion:Package'),
      'prov:label': view.package.name,
      'companion:sha256': view.package.sha256,
      'companion:size': view.package.size,
      'companion:upload': view.package.upload.state,
      'companion:uploadedAt': dateTime(view.package.upload.at),
    });
    this.b.relation('wasGeneratedBy', pkg, run, { 'prov:time': record.export.created_at });
    this.b.relation('wasAttributedTo', pkg, this.owner);
    if (view.package.upload.fileId) this.b.relation('alternateOf', pkg, this.b.entity(`file360:files/${part(view.package.upload.fileId)}`, { ...type('companion:UploadedPackage'), 'companion:sha256': view.package.sha256 }));

    for (const session of record.sessions) {
      const activity = `local:sessions/${part(session.session_id)}`;
      const runs = session.runs.map((r) => r.started_at).sort();
      const ends = session.runs.map((r) => r.ended_at).filter((t): t is string => t !== null).sort();
      this.b.activity(activity, { ...type('companion:AnnotationSession'), 'prov:label': `Prodigy session ${session.session_id}`, 'companion:dataset': session.dataset }, { start: runs[0] ?? session.first_answer_at, end: ends.at(-1) ?? session.last_answer_at });
      const annotator = this.annotator(session, record, activity);
      this.b.relation('wasAssociatedWith', activity, annotator, { 'prov:role': qualified('companion:annotator') });
      const answers = this.b.entity(`local:exports/${exportId}/sessions/${part(session.session_id)}`, {
        ...type('companion:SessionAnswers'),
        'prov:label': `${session.counts.total} answers in ${session.session_id}`,
        'companion:sessionId': session.session_id,
        'companion:dataset': session.dataset,
        // Prodigy stamps answers to the second, which may read earlier than the run's start: times of their own, not the generation's.
        'companion:firstAnswerAt': dateTime(session.first_answer_at),
        'companion:lastAnswerAt': dateTime(session.last_answer_at),
        ...Object.fromEntries(Object.entries(session.counts).map(([answer, count]) => [`companion:${answer}`, count])),
      });
      for (const source of sources) {
        this.b.relation('used', activity, source);
        this.b.relation('wasDerivedFrom', answers, source);
      }
      this.b.relation('wasGeneratedBy', answers, activity);
      this.b.relation('wasAttributedTo', answers, annotator);
      this.b.relation('used', run, answers);
      this.b.relation('wasDerivedFrom', pkg, answers, { 'prov:activity': run });
    }
    for (const escalation of view.escalations) this.escalation(escalation, pkg);
  }

  private escalation(escalation: LineageEscalation, from: string): void {
    const local = `local:escalations/${part(escalation.id)}`;
    const item = escalation.remoteId ? `file360:escalations/${part(escalation.remoteId)}` : local;
    const raise = this.b.activity(`${local}/raise`, { ...type('companion:Escalation'), 'prov:label': `Escalation (${escalation.reason})`, 'companion:reason': escalation.reason }, { start: escalation.createdAt });
    this.b.relation('used', raise, from);
    this.b.relation('wasAssociatedWith', raise, this.app);
    this.b.relation('wasAssociatedWith', raise, this.owner);
    this.b.entity(item, {
      ...type('companion:EscalationItem'),
      'prov:label': `Escalated item ${escalation.inputHash}`,
      'companion:localId': escalation.id,
      'companion:remoteId': escalation.remoteId,
      'companion:reason': escalation.reason,
      'companion:inputHash': escalation.inputHash,
      'companion:state': escalation.state,
    });
    this.b.relation('wasGeneratedBy', item, raise, { 'prov:time': escalation.createdAt });
    this.b.relation('wasDerivedFrom', item, from, { 'prov:activity': raise });
    this.b.relation('wasAttributedTo', item, this.owner);
    const decision = escalation.decision;
    if (!decision) return;

    const reviewer = this.person({ id: decision.reviewer.id, display_name: decision.reviewer.name });
    const review = this.b.activity(`${item}/review`, { ...type('companion:Review'), 'prov:label': `Review by ${decision.reviewer.name ?? decision.reviewer.id}` }, { end: decision.time });
    this.b.relation('used', review, item);
    this.b.relation('wasAssociatedWith', review, reviewer, { 'prov:role': qualified('companion:reviewer') });
    const decided = this.b.entity(`${item}/decision`, {
      ...type('companion:Decision'),
      'prov:label': `${decision.outcome} by ${decision.reviewer.name ?? decision.reviewer.id}`,
      'companion:outcome': decision.outcome,
      'companion:comment': decision.comment,
    });
    this.b.relation('wasGeneratedBy', decided, review, { 'prov:time': decision.time });
    this.b.relation('wasAttributedTo', decided, reviewer);
    this.b.relation('wasDerivedFrom', decided, item, { 'prov:activity': review });
    if (!escalation.reviewed) return;

    const apply = this.b.activity(`${local}/apply`, { ...type('companion:DbIn'), 'prov:label': `prodigy db-in ${escalation.reviewed.dataset}` }, { start: escalation.reviewed.appliedAt, end: escalation.reviewed.appliedAt });
    this.b.relation('used', apply, decided);
    this.b.relation('wasAssociatedWith', apply, this.app);
    const example = this.b.entity(`${local}/reviewed`, { ...type('companion:ReviewedExample'), 'companion:dataset': escalation.reviewed.dataset });
    this.b.relation('wasGeneratedBy', example, apply, { 'prov:time': escalation.reviewed.appliedAt });
    this.b.relation('wasDerivedFrom', example, decided, { 'prov:activity': apply });
    const dataset = this.b.entity(`local:datasets/${part(escalation.reviewed.dataset)}`, { 'prov:type': [qualified('companion:Dataset'), qualified('prov:Collection')], 'prov:label': escalation.reviewed.dataset });
    this.b.relation('hadMember', dataset, example);
  }

  document(): ProvDocument {
    for (const entry of [...this.graph.packages].reverse()) this.package(entry);
    if (this.graph.questions.length > 0) {
      const dataset = this.b.entity(`local:datasets/${part(this.graph.dataset)}`, { ...type('companion:Dataset'), 'prov:label': this.graph.dataset });
      for (const question of this.graph.questions) this.escalation(question, dataset);
    }
    return this.b.document();
  }
}

export function provDocument(graph: LineageGraph): ProvDocument {
  return new LineageProv(graph).document();
}

import { describe, expect, it } from 'vitest';
import type { LineageEscalation } from '../../shared/api/schemas/lineage';
import { provDocument, type LineageGraph } from '../../electron/core/lineage/prov';
import { freezeLineage, organisationOf, type FreezeInput } from '../../electron/core/services/lineage/record';
import type { Example } from '../../electron/core/services/disputes/types';
import type { AssignmentRow, FileRow } from '../../electron/core/services/assignments/store';
import { provErrors, validateProvJson } from '../support/prov-json';

const SHA = (c: string) => c.repeat(64);
const T0 = '2026-11-20T09:00:00.000Z';

const assignment = {
  id: 'asg-1',
  server: 'https://file360.example.com',
  tenant: 'acme',
  user_id: 'u-ana',
  name: 'Tickets',
  sharer: JSON.stringify({ id: 'u-maria', display_name: 'Maria Chen' }),
  manifest_version: '7',
  synced_manifest_version: '7',
  last_synced_at: T0,
  project: JSON.stringify({ dataset: 'tickets' }),
} as AssignmentRow;

const file = (id: string, sha: string, version: number): FileRow => ({ assignment_id: 'asg-1', id, path: `${id}.txt`, size: 10, sha256: sha, version, mime_type: null, etag: null, state: 'done', error: null, local_size: 10, local_mtime_ms: 0 });
const example = (fileId: string, sha: string, answer: Example['answer'], session = 'tickets-u-ana', extra: Record<string, unknown> = {}): Example => ({
  _input_hash: 1,
  _task_hash: 2,
  answer,
  _session_id: session,
  _annotator_id: session,
  _timestamp: 1_795_000_000,
  meta: { file_id: fileId, path: `${fileId}.txt`, sha256: sha },
  ...extra,
});

function freeze(overrides: Partial<FreezeInput> = {}) {
  return freezeLineage({
    assignment,
    account: { server: assignment.server, tenant: 'acme', userId: 'u-ana', displayName: 'Ana Ruiz', email: 'ana.ruiz@Vendor.example', roles: [], groups: [] },
    dataset: 'tickets',
    files: [file('fil-1', SHA('a'), 3), file('fil-2', SHA('c'), 1)],
    runs: new Map([['tickets-u-ana', [{ started_at: T0, ended_at: '2026-11-20T10:00:00.000Z' }]]]),
    examples: [example('fil-1', SHA('a'), 'accept'), example('fil-1', SHA('a'), 'reject', 'tickets-u-ana', { flagged: true }), example('fil-2', SHA('b'), 'ignore')],
    trigger: 'manual',
    createdAt: new Date('2026-11-20T10:05:00.000Z'),
    app: { name: 'Annotator Companion', version: '1.2.3' },
    ...overrides,
  });
}

const decided: LineageEscalation = {
  id: 'loc-1',
  remoteId: 'esc-9',
  reason: 'flagged',
  text: 'The printer shows error 50 after the update.',
  inputHash: '-17',
  createdAt: '2026-11-20T10:05:00.000Z',
  state: 'completed',
  decision: { outcome: 'corrected', reviewer: { id: 'u-sam', name: 'Sam Okafor' }, time: '2026-11-20T11:00:00.000Z', comment: 'Billing.' },
  reviewed: { dataset: 'tickets_reviewed', appliedAt: '2026-11-20T11:05:00.000Z' },
};

function graph(record = freeze(), questions: LineageEscalation[] = []): LineageGraph {
  const stored = { ...record, package: { name: 'tickets.zip', sha256: SHA('f'), size: 2048 } };
  const view = {
    exportId: 4,
    createdAt: record.export.created_at,
    trigger: 'manual' as const,
    sources: [],
    sessions: [],
    package: { name: 'tickets.zip', sha256: SHA('f'), size: 2048, upload: { state: 'sent' as const, fileId: 'fil-up-1', at: '2026-11-20T10:06:00.000Z' } },
    escalations: [decided],
  };
  return { assignment, dataset: 'tickets', installationId: 'inst-1', app: { name: 'Annotator Companion', version: '1.2.3' }, packages: [{ record: stored, view }], questions };
}

describe('the lineage frozen into a package', () => {
  it('names each source file version the answers were made on, and who answered how often', () => {
    const record = freeze();
    expect(record.sources).toEqual([
      { file_id: 'fil-1', path: 'fil-1.txt', version: 3, sha256: SHA('a'), answers: 2 },
      // Its bytes changed in File 360 since: the version synced now is not the one annotated.
      { file_id: 'fil-2', path: 'fil-2.txt', version: null, sha256: SHA('b'), answers: 1 },
    ]);
    expect(record.sessions).toEqual([
      expect.objectContaining({
        session_id: 'tickets-u-ana',
        dataset: 'tickets',
        annotator: { id: 'u-ana', display_name: 'Ana Ruiz', organisation: 'vendor.example' },
        counts: { total: 3, accept: 1, reject: 1, ignore: 1, flagged: 1 },
        runs: [{ started_at: T0, ended_at: '2026-11-20T10:00:00.000Z' }],
      }),
    ]);
    expect(record.assignment.sharer).toEqual({ id: 'u-maria', display_name: 'Maria Chen' });
  });

  it('keeps a session from elsewhere under its Prodigy annotator id, not the signed-in user', () => {
    const record = freeze({ examples: [example('fil-1', SHA('a'), 'accept', 'tickets-lee')] });
    expect(record.sessions[0]?.annotator).toEqual({ id: 'tickets-lee', display_name: null, organisation: null });
  });

  it('knows an organisation only from an e-mail address', () => {
    expect(organisationOf('a@Example.ORG')).toBe('example.org');
    expect(organisationOf('no-at-sign')).toBeNull();
    expect(organisationOf(null)).toBeNull();
  });
});

describe('lineage as W3C PROV-JSON', () => {
  it('is valid against the PROV-JSON schema and links sources → session → package → escalation → decision → reviewed dataset', () => {
    const doc = provDocument(graph());
    expect(validateProvJson(doc), provErrors().join('\n')).toBe(true);

    const relation = (kind: string, a: string, b: string) => Object.values(doc[kind] ?? {}).some((r) => Object.values(r as object).includes(a) && Object.values(r as object).includes(b));
    const session = 'local:sessions/tickets-u-ana';
    const answers = 'local:exports/4/sessions/tickets-u-ana';
    const pkg = 'local:exports/4/package';
    expect(relation('used', session, 'file360:files/fil-1/v3')).toBe(true);
    expect(relation('used', session, `file360:files/fil-2/sha256-${SHA('b').slice(0, 16)}`)).toBe(true);
    expect(relation('wasGeneratedBy', answers, session)).toBe(true);
    expect(relation('wasDerivedFrom', pkg, answers)).toBe(true);
    expect(relation('wasGeneratedBy', pkg, 'local:exports/4')).toBe(true);
    expect(relation('alternateOf', pkg, 'file360:files/fil-up-1')).toBe(true);
    expect(relation('wasDerivedFrom', 'file360:escalations/esc-9', pkg)).toBe(true);
    expect(relation('wasGeneratedBy', 'file360:escalations/esc-9/decision', 'file360:escalations/esc-9/review')).toBe(true);
    expect(relation('wasAttributedTo', 'file360:escalations/esc-9/decision', 'file360:users/u-sam')).toBe(true);
    expect(relation('hadMember', 'local:datasets/tickets_reviewed', 'local:escalations/loc-1/reviewed')).toBe(true);

    // The vendor's annotator acts for the vendor, in that session; the vendor and the sharer act for the tenant.
    expect(Object.values(doc.actedOnBehalfOf ?? {})).toEqual(
      expect.arrayContaining([
        { 'prov:delegate': 'file360:users/u-ana', 'prov:responsible': 'org:vendor.example', 'prov:activity': session },
        { 'prov:delegate': 'org:vendor.example', 'prov:responsible': 'tenant:acme' },
        { 'prov:delegate': 'file360:users/u-maria', 'prov:responsible': 'tenant:acme' },
      ]),
    );
    expect(doc.agent?.['local:app']).toMatchObject({ 'prov:type': { $: 'prov:SoftwareAgent', type: 'prov:QUALIFIED_NAME' }, 'companion:version': '1.2.3' });
    expect(doc.agent?.['file360:users/u-ana']).toMatchObject({ 'prov:label': 'Ana Ruiz' });
    expect(doc.activity?.[session]).toMatchObject({ 'prov:startTime': T0, 'prov:endTime': '2026-11-20T10:00:00.000Z' });
    expect(doc.prefix?.file360).toBe('https://file360.example.com/file360/v1/');
  });

  it('has an annotator of unknown organisation act for the tenant directly, and hangs questions off the dataset', () => {
    const record = freeze({ account: null });
    const question: LineageEscalation = { ...decided, id: 'loc-2', remoteId: null, reason: 'question', state: 'queued', decision: null, reviewed: null };
    const doc = provDocument(graph(record, [question]));
    expect(validateProvJson(doc), provErrors().join('\n')).toBe(true);
    expect(Object.values(doc.actedOnBehalfOf ?? {})).toContainEqual({ 'prov:delegate': 'file360:users/u-ana', 'prov:responsible': 'tenant:acme', 'prov:activity': 'local:sessions/tickets-u-ana' });
    expect(Object.values(doc.wasDerivedFrom ?? {})).toContainEqual({ 'prov:generatedEntity': 'local:escalations/loc-2', 'prov:usedEntity': 'local:datasets/tickets', 'prov:activity': 'local:escalations/loc-2/raise' });
  });

  it('the schema check refuses what is not PROV-JSON', () => {
    const good = provDocument(graph());
    const missingEntity = { ...good, wasGeneratedBy: { '_:g': { 'prov:activity': 'local:exports/4' } } };
    const notAnId = { ...good, used: { '_:u': { 'prov:activity': 'local:exports/4', 'prov:entity': 'not a qualified name' } } };
    const unknownMember = { ...good, entities: {} };
    const badLiteral = { ...good, entity: { 'local:x': { 'prov:label': { value: 'x' } } } };
    for (const bad of [missingEntity, notAnId, unknownMember, badLiteral]) expect(validateProvJson(bad)).toBe(false);
  });
});

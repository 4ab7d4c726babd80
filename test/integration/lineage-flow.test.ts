import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LineageRecord } from '../../electron/core/services/lineage/record';
import { idle, signedInApp } from '../support/file360-app';
import { signIn, sandbox } from '../support/sandbox-file360';
import { TRIAGE, exportedAndReviewed } from '../support/lineage-flow';
import { provErrors, validateProvJson } from '../support/prov-json';
import { tempDir } from '../support/tmp';

const run = promisify(execFile);
type Records = Record<string, Record<string, unknown>>;

/** manifest.json of a zip, read by Python's zipfile: not the code that wrote it. */
async function manifestOf(zip: string): Promise<{ lineage: LineageRecord }> {
  const { stdout } = await run('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("manifest.json").decode())', zip]);
  return JSON.parse(stdout) as { lineage: LineageRecord };
}

const typeOf = (record: Record<string, unknown>) => {
  const type = record['prov:type'];
  return (Array.isArray(type) ? type : [type]).map((t) => (t as { $: string }).$);
};
const ofType = (records: Records | undefined, type: string) => Object.keys(records ?? {}).filter((id) => typeOf(records?.[id] ?? {}).includes(type));

describe('lineage: from File 360 source files to the reviewed dataset', () => {
  it('freezes into the package what it was made from, joins what came after, and exports it as valid PROV-JSON', { timeout: 90_000 }, async () => {
    const sb = await sandbox();
    const { ana, decidedId } = await exportedAndReviewed(sb);
    const [upload] = sb.admin.uploads();
    const annotated = sb.admin.files(TRIAGE).find((file) => file.path === 'tasks/extra.jsonl');

    // The package File 360 holds says where its answers came from.
    const tokens = await signIn(sb, 'ana');
    const content = await fetch(`${sb.url}/file360/v1/files/${upload?.file_id}/content`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const zip = path.join(tempDir(), 'package.zip');
    await fs.promises.writeFile(zip, Buffer.from(await content.arrayBuffer()));
    const { lineage: frozen } = await manifestOf(zip);
    expect(frozen.sources).toEqual([{ file_id: annotated?.id, path: 'tasks/extra.jsonl', version: annotated?.version_number, sha256: annotated?.sha256, answers: 3 }]);
    expect(frozen.sessions).toEqual([
      expect.objectContaining({
        session_id: 'support_intents_batch7-u-ana',
        dataset: 'support_intents_batch7',
        annotator: { id: 'u-ana', display_name: 'Ana Ruiz', organisation: 'vendor.example' },
        counts: { total: 3, accept: 1, reject: 1, ignore: 1, flagged: 1 },
        runs: [expect.objectContaining({ started_at: expect.any(String), ended_at: expect.any(String) })],
      }),
    ]);
    expect(frozen.assignment).toMatchObject({ id: TRIAGE, tenant: 'acme', sharer: { id: 'u-maria', display_name: 'Maria Chen' } });
    expect(frozen).not.toHaveProperty('package');

    // The app joins the package's upload, its escalations and the decision that came back.
    const view = await ana.call('lineage.get', { assignmentId: TRIAGE });
    expect(view.packages).toHaveLength(1);
    const [pkg] = view.packages;
    expect(pkg?.package).toEqual({ name: expect.stringMatching(/^support_intents_batch7-.+\.zip$/), sha256: upload?.sha256, size: upload?.size, upload: { state: 'sent', fileId: upload?.file_id, at: expect.any(String) } });
    expect(pkg?.sources.map((s) => s.fileId)).toEqual([annotated?.id]);
    expect(pkg?.escalations.map((e) => e.reason).sort()).toEqual(['flagged', 'ignored']);
    const decided = pkg?.escalations.find((e) => e.remoteId === decidedId);
    expect(decided).toMatchObject({
      inputHash: expect.stringMatching(/^-?\d+$/),
      decision: { outcome: 'corrected', reviewer: { id: 'u-sam', name: 'Sam Okafor' }, comment: 'A blank screen after an upload is a bug.' },
      reviewed: { dataset: 'support_intents_batch7_reviewed', appliedAt: expect.any(String) },
    });
    expect(view.questions).toEqual([]);

    // PROV-JSON that the W3C schema accepts, with every record and relation of the chain.
    const { fileName, document: doc } = await ana.call('lineage.export', { assignmentId: TRIAGE });
    // It names people and organisations, so handing it out is in the audit log.
    expect((await ana.call('audit.list', { type: 'lineage.exported' })).entries).toEqual([expect.objectContaining({ assignmentId: TRIAGE, details: { packages: 1, format: 'PROV-JSON' } })]);
    expect(fileName).toBe('lineage-asg-support-triage.prov.json');
    expect(validateProvJson(doc), provErrors().join('\n')).toBe(true);
    const entity = doc.entity as Records;
    const activity = doc.activity as Records;
    const agent = doc.agent as Records;
    expect({
      assignment: ofType(entity, 'companion:Assignment'),
      sources: ofType(entity, 'companion:SourceFile'),
      answers: ofType(entity, 'companion:SessionAnswers').length,
      packages: ofType(entity, 'companion:Package').length,
      uploaded: ofType(entity, 'companion:UploadedPackage'),
      items: ofType(entity, 'companion:EscalationItem').sort(),
      decisions: ofType(entity, 'companion:Decision'),
      reviewed: ofType(entity, 'companion:ReviewedExample').length,
      datasets: ofType(entity, 'companion:Dataset'),
    }).toEqual({
      assignment: [`file360:assignments/${TRIAGE}`],
      sources: [`file360:files/${annotated?.id}/v${annotated?.version_number}`],
      answers: 1,
      packages: 1,
      uploaded: [`file360:files/${upload?.file_id}`],
      items: sb.admin.escalations().map((e) => `file360:escalations/${e.id}`).sort(),
      decisions: [`file360:escalations/${decidedId}/decision`],
      reviewed: 1,
      datasets: ['local:datasets/support_intents_batch7_reviewed'],
    });
    const activities = ['companion:Download', 'companion:AnnotationSession', 'companion:Export', 'companion:Escalation', 'companion:Review', 'companion:DbIn'];
    expect(activities.map((type) => ofType(activity, type).length)).toEqual([1, 1, 1, 2, 1, 1]);
    expect(ofType(agent, 'prov:SoftwareAgent')).toEqual(['local:app']);
    expect(ofType(agent, 'prov:Person').map((id) => agent[id]?.['prov:label']).sort()).toEqual(['Ana Ruiz', 'Maria Chen', 'Sam Okafor']);
    expect(ofType(agent, 'prov:Organization').sort()).toEqual(['org:vendor.example', 'tenant:acme']);
    for (const relation of ['wasGeneratedBy', 'used', 'wasDerivedFrom', 'wasAssociatedWith', 'wasAttributedTo', 'actedOnBehalfOf', 'alternateOf', 'hadMember']) {
      expect(Object.keys(doc[relation] ?? {}).length, relation).toBeGreaterThan(0);
    }
    expect(Object.values(doc.wasAttributedTo ?? {})).toContainEqual({ 'prov:entity': `file360:assignments/${TRIAGE}`, 'prov:agent': 'file360:users/u-maria' });
    expect(Object.values(doc.actedOnBehalfOf ?? {})).toContainEqual({ 'prov:delegate': 'file360:users/u-ana', 'prov:responsible': 'org:vendor.example', 'prov:activity': 'local:sessions/support_intents_batch7-u-ana' });
    expect(Object.values(doc.wasAssociatedWith ?? {})).toContainEqual({ 'prov:activity': `file360:escalations/${decidedId}/review`, 'prov:agent': 'file360:users/u-sam', 'prov:role': { $: 'companion:reviewer', type: 'prov:QUALIFIED_NAME' } });

    // Every relation names records the document declares: nothing in the chain dangles.
    const declared = new Set([...Object.keys(entity), ...Object.keys(activity), ...Object.keys(agent)]);
    const named = Object.entries(doc)
      .filter(([member]) => !['prefix', 'entity', 'activity', 'agent'].includes(member))
      .flatMap(([, relations]) => Object.values(relations).flatMap((r) => Object.entries(r as Record<string, unknown>)))
      .filter(([key]) => key !== 'prov:time' && key !== 'prov:role')
      .map(([, id]) => id as string);
    expect(named.filter((id) => !declared.has(id))).toEqual([]);
  });

  it('shows an assignment with no package as empty, and refuses one that is not on this computer', async () => {
    const sb = await sandbox();
    const app = await signedInApp(sb, path.join(tempDir(), 'data'));
    await idle(app);
    expect(await app.call('lineage.get', { assignmentId: TRIAGE })).toEqual({
      assignmentId: TRIAGE,
      assignmentName: 'Support tickets: intent triage (batch 7)',
      tenant: 'acme',
      sharedBy: { id: 'u-maria', name: 'Maria Chen' },
      packages: [],
      questions: [],
    });
    expect((await app.raw('lineage.export', { assignmentId: 'asg-nowhere' })).ok).toBe(false);
  });
});

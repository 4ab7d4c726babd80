import { useCallback, useState } from 'react';
import { routeToHash } from '../../../../shared/routes';
import { errorMessage } from '../../client';
import { EmptyState, Page } from '../../components/Page';
import { useApp, useClient } from '../../store';
import { useLive } from '../assignments/useLive';
import { EscalationChain } from './EscalationChain';
import { PackageChain } from './PackageChain';
import { downloadJson } from './download';
import './lineage.css';

/** Where an assignment's packages came from and what became of them, for an auditor as much as for the annotator. */
export function LineageView({ id }: { id: string }) {
  const client = useClient();
  const toast = useApp((state) => state.toast);
  const [exporting, setExporting] = useState(false);
  const read = useCallback(() => client.call('lineage.get', { assignmentId: id }), [client, id]);
  const events = useCallback(
    (reload: () => void) => [
      client.on('exports.changed', (changed) => changed.assignmentId === id && reload()),
      client.on('escalations.changed', reload),
      client.on('outbox.changed', reload),
    ],
    [client, id],
  );
  const lineage = useLive(read, events).value;

  const exportProv = async () => {
    setExporting(true);
    try {
      const { fileName, document } = await client.call('lineage.export', { assignmentId: id });
      downloadJson(fileName, document);
    } catch (error) {
      toast('error', errorMessage(error));
    } finally {
      setExporting(false);
    }
  };

  const empty = lineage !== null && lineage.packages.length === 0 && lineage.questions.length === 0;
  return (
    <Page
      title="Lineage"
      subtitle={lineage ? `“${lineage.assignmentName}”${lineage.sharedBy ? `, shared by ${lineage.sharedBy.name ?? lineage.sharedBy.id}` : ''} in ${lineage.tenant}` : undefined}
      actions={
        <button
          type="button"
          className="button primary"
          title="Saves the lineage as a W3C PROV-JSON file"
          disabled={exporting || lineage === null || empty}
          onClick={() => void exportProv()}
        >
          {exporting ? 'Exporting…' : 'Export lineage'}
        </button>
      }
    >
      <a className="back-link" href={routeToHash({ section: 'assignments', id })}>
        ← Back to the assignment
      </a>
      <p className="muted lineage-intro">Each package, from the File 360 files its answers were made on, through the Prodigy sessions and the package itself, to the items sent for review, the reviewers’ decisions and the reviewed dataset they went into.</p>
      {lineage === null ? (
        <div className="loading" aria-busy="true">
          Loading…
        </div>
      ) : empty ? (
        <EmptyState icon="database" title="No packages yet">
          <p>Lineage starts with the first export: once answers leave this computer as a package, this page shows which files they were made on, who made them, and what reviewers decided.</p>
        </EmptyState>
      ) : (
        <div className="lineage-list">
          {lineage.packages.map((pkg) => (
            <PackageChain key={pkg.exportId} pkg={pkg} />
          ))}
          {lineage.questions.length > 0 && (
            <section className="card" aria-labelledby="lineage-questions">
              <h2 id="lineage-questions" className="lineage-card-title">
                Questions asked about answered items
              </h2>
              <p className="muted small">Asked from the Prodigy dataset directly, not from a package.</p>
              <EscalationChain escalations={lineage.questions} />
            </section>
          )}
        </div>
      )}
    </Page>
  );
}

import { useCallback } from 'react';
import type { AgreementMeasures, AgreementView } from '../../../../shared/api/schemas/agreement';
import { formatDateTime } from '../../format';
import { useClient } from '../../store';
import { bringIntoView } from './bring-into-view';
import { useLive } from './useLive';
import './agreement.css';

const KIND_WORDS: Record<AgreementView['agreement']['kind'], string> = {
  binary: 'Accept or reject, per item',
  multiclass: 'One label per item',
  multilabel: 'Any number of labels per item',
  spans: 'Spans marked in the text',
  none: '',
};

const score = (value: number | null) => (value === null ? '—' : value.toFixed(2));
const share = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);

function MeasureCells({ measures, spans }: { measures: AgreementMeasures; spans: boolean }) {
  if (spans) return <td>{score(measures.pairwiseF1)}</td>;
  return (
    <>
      <td>{share(measures.percentAgreement)}</td>
      <td>{score(measures.krippendorffAlpha)}</td>
      <td>{score(measures.gwetAC2)}</td>
    </>
  );
}

/** Inter-annotator agreement of the latest export, for assignments with more than one annotator. */
export function AgreementSection({ assignmentId }: { assignmentId: string }) {
  const client = useClient();
  const read = useCallback(() => client.call('exports.agreement', { id: assignmentId }), [client, assignmentId]);
  const events = useCallback(
    (reload: () => void) => [client.on('exports.changed', (changed) => changed.assignmentId === assignmentId && reload()), client.on('escalations.changed', reload)],
    [client, assignmentId],
  );
  const view = useLive(read, events).value;
  // One annotator, or nothing exported yet: there is no agreement to show, and no space is taken.
  if (!view || view.agreement.kind === 'none') {
    if (view && view.agreement.annotators.length > 1) {
      return (
        <div className="work-block agreement" data-testid="agreement">
          <h3 className="work-subheading">Agreement between annotators</h3>
          <p className="muted small">{view.agreement.summary}</p>
        </div>
      );
    }
    return null;
  }
  const { agreement } = view;
  const spans = agreement.kind === 'spans';
  return (
    <div className="work-block agreement" data-testid="agreement" aria-labelledby="agreement-heading">
      <div className="section-bar">
        <h3 id="agreement-heading" className="work-subheading">
          Agreement between annotators
        </h3>
        <span className="muted small" title={formatDateTime(view.measuredAt)}>
          At the latest export · {KIND_WORDS[agreement.kind]} · {agreement.annotators.length} annotators
        </span>
      </div>
      <p className="agreement-summary" data-testid="agreement-summary">
        {agreement.summary}
      </p>
      <div className="table-wrap">
        <table className="table agreement-table" aria-label="Agreement per label">
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Items</th>
              {spans ? (
                <th scope="col" title="For each pair of annotators, spans matched exactly (start, end, label), averaged over the pairs">
                  Pairwise F1
                </th>
              ) : (
                <>
                  <th scope="col" title="How often two annotators gave the same answer">
                    Agreed
                  </th>
                  <th scope="col" title="Krippendorff’s alpha: 1 is perfect, 0 is what chance gives; 0.80 and above is reliable, 0.67–0.80 tentative">
                    Krippendorff’s α
                  </th>
                  <th scope="col" title="Gwet’s AC2: like alpha, and steadier when one answer is far more common than the others">
                    Gwet’s AC2
                  </th>
                </>
              )}
            </tr>
          </thead>
          <tbody>
            <tr className="agreement-overall">
              <th scope="row">All labels</th>
              <td>{agreement.items.toLocaleString()}</td>
              <MeasureCells measures={agreement.overall} spans={spans} />
            </tr>
            {agreement.perLabel.map((label) => (
              <tr key={label.label} data-testid="agreement-label">
                <th scope="row">{label.label}</th>
                <td>{label.items.toLocaleString()}</td>
                <MeasureCells measures={label} spans={spans} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {agreement.lowest.length > 0 && (
        <>
          <h4 className="agreement-lowest-heading">Items that pull it down</h4>
          <ul className="agreement-lowest" aria-label="Items that pull agreement down">
            {agreement.lowest.map((item) => {
              const escalation = view.escalations[item.key];
              return (
                <li key={item.key} data-testid="agreement-item">
                  <span className="agreement-item-text">“{item.text || item.key}”</span>
                  <span className="muted small">
                    {spans ? `F1 ${item.score.toFixed(2)}` : `${share(item.score)} of annotator pairs agree`} · {item.annotators} annotators
                  </span>
                  {escalation ? (
                    <button type="button" className="button small-button" onClick={() => bringIntoView(`escalation-${escalation}`)}>
                      See its escalation
                    </button>
                  ) : (
                    <span className="muted small">Not sent for review</span>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}

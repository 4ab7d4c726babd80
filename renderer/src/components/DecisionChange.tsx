import type { DecisionView } from '../../../shared/api/schemas/escalations';
import './decision-change.css';

/** The decision as a before → after of the label, choices or spans; "kept" when an approval changed nothing. */
export function DecisionChange({ change }: { change: DecisionView['change'] }) {
  if (!change) return null;
  if (change.before === change.after)
    return (
      <p className="decision-change" data-testid="decision-change">
        <span className="muted">Kept: </span>
        <span className="decision-after">{change.after}</span>
      </p>
    );
  return (
    <p className="decision-change" data-testid="decision-change" aria-label={`Changed from ${change.before} to ${change.after}`}>
      <del className="decision-before">{change.before}</del>
      <span className="decision-arrow" aria-hidden="true">
        {' '}
        →{' '}
      </span>
      <ins className="decision-after">{change.after}</ins>
    </p>
  );
}

import type { LineageEscalation } from '../../../../shared/api/schemas/lineage';
import { OUTCOME_WORDS, REASON_WORDS } from '../reviews/words';
import { Copyable, Person, When } from './bits';

const STATE_WORDS: Record<LineageEscalation['state'], string> = {
  queued: 'waiting to be sent',
  open: 'waiting for a reviewer',
  claimed: 'with a reviewer',
  completed: 'decided',
  failed: 'not sent',
};

function Escalation({ escalation }: { escalation: LineageEscalation }) {
  const { decision, reviewed } = escalation;
  return (
    <li className="lineage-item lineage-escalation" data-testid="lineage-escalation">
      <div className="lineage-escalation-head">
        <span className={`chip reason-chip reason-${escalation.reason}`}>{REASON_WORDS[escalation.reason]}</span>
        <span className="muted">
          {STATE_WORDS[escalation.state]} · raised <When iso={escalation.createdAt} />
        </span>
      </div>
      <p className="lineage-item-text" title={`${escalation.text}\n\nProdigy input hash ${escalation.inputHash}`} data-testid="lineage-item-text">
        {escalation.text}
      </p>
      <dl className="lineage-ids">
        <div>
          <dt>File 360 escalation</dt>
          <dd>{escalation.remoteId ? <Copyable value={escalation.remoteId} label="Escalation id" keep={16} /> : <span className="muted">not sent yet</span>}</dd>
        </div>
        <div>
          <dt>Local id</dt>
          <dd>
            <Copyable value={escalation.id} label="Local escalation id" keep={8} />
          </dd>
        </div>
      </dl>
      {decision && (
        <div className={`decision decision-${decision.outcome}`} data-testid="lineage-decision">
          <div>
            <strong>{OUTCOME_WORDS[decision.outcome]}</strong> by <Person person={decision.reviewer} />, <When iso={decision.time} />
          </div>
          {decision.comment && <blockquote className="decision-comment">{decision.comment}</blockquote>}
          {reviewed ? (
            <div className="lineage-reviewed" data-testid="lineage-reviewed">
              Put into the reviewed dataset <code>{reviewed.dataset}</code>, <When iso={reviewed.appliedAt} />
            </div>
          ) : (
            <div className="lineage-reviewed muted">Not in the reviewed dataset yet.</div>
          )}
        </div>
      )}
    </li>
  );
}

/** Escalations, each with the decision on it and where that decision went. */
export function EscalationChain({ escalations }: { escalations: LineageEscalation[] }) {
  return (
    <ul className="lineage-items">
      {escalations.map((escalation) => (
        <Escalation key={escalation.id} escalation={escalation} />
      ))}
    </ul>
  );
}

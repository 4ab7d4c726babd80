import type { ReviewDetail, ReviewVersion } from '../../../../shared/api/schemas/reviews';
import { editorKind } from './Correction';
import { HighlightedText } from './TaskView';
import { labelClass, textSpans, TEXT_SPAN_VIEWS } from './spans';
import { ANSWER_WORDS } from './words';

const ANSWER_CLASS: Record<ReviewVersion['answer'], string> = { accept: 'rv-answer-accept', reject: 'rv-answer-reject', ignore: 'rv-answer-ignore' };

function Chips({ values, labels, differs }: { values: readonly string[]; labels: readonly string[]; differs: (value: string) => boolean }) {
  if (values.length === 0) return <span className="muted">Nothing chosen</span>;
  return (
    <ul className="rv-chips">
      {values.map((value) => (
        <li key={value} className={`rv-chip ${labelClass(value, labels)}${differs(value) ? ' rv-chip-differs' : ''}`} title={differs(value) ? 'Not every version chose this' : undefined}>
          {value}
        </li>
      ))}
    </ul>
  );
}

/** One annotator's version: what they answered and chose, in a column the reviewer can pick. */
function VersionColumn({ detail, version, index, picked, onPick, disabled, allAccept }: { detail: ReviewDetail; version: ReviewVersion; index: number; picked: boolean; onPick(index: number): void; disabled: boolean; allAccept: Array<Set<string>> }) {
  const kind = editorKind(detail);
  const text = typeof detail.task.text === 'string' ? detail.task.text : null;
  const spans = text !== null && TEXT_SPAN_VIEWS.has(detail.viewId) ? textSpans(version.spans, text.length) : [];
  const id = `rv-version-${index}`;
  const label = version.label ?? (typeof detail.task.label === 'string' ? detail.task.label : null);
  return (
    <article className={`rv-version${picked ? ' rv-version-picked' : ''}`} aria-labelledby={`${id}-name`} data-testid="version" onClick={() => !disabled && onPick(index)}>
      <header className="rv-version-head">
        <input id={id} type="radio" name="rv-version" checked={picked} disabled={disabled} onChange={() => onPick(index)} />
        <label htmlFor={id} className="rv-version-name" id={`${id}-name`}>
          <span className="muted small">Version {index + 1}</span>{' '}
          <strong>{version.session}</strong>
        </label>
      </header>
      <dl className="rv-version-facts">
        <div>
          <dt>Answer</dt>
          <dd>
            <span className={`badge ${ANSWER_CLASS[version.answer]}`}>{ANSWER_WORDS[version.answer]}</span>
            {version.flagged && <span className="badge rv-flagged">Flagged</span>}
          </dd>
        </div>
        {kind === 'choice' && (
          <div>
            <dt>Chose</dt>
            <dd>
              <Chips values={version.accept} labels={detail.labels} differs={(value) => allAccept.some((set) => !set.has(value))} />
            </dd>
          </div>
        )}
        {kind === 'binary' && label && (
          <div>
            <dt>Label</dt>
            <dd>
              <span className={`rv-chip ${labelClass(label, detail.labels)}`}>{label}</span>{' '}
              <span className="muted small">{version.answer === 'accept' ? 'applies' : version.answer === 'reject' ? 'does not apply' : 'not answered'}</span>
            </dd>
          </div>
        )}
        {kind !== 'binary' && kind !== 'choice' && version.label && (
          <div>
            <dt>Label</dt>
            <dd>{version.label}</dd>
          </div>
        )}
        {text !== null && TEXT_SPAN_VIEWS.has(detail.viewId) && (
          <div className="rv-version-spans">
            <dt>{spans.length === 1 ? '1 span' : `${spans.length} spans`}</dt>
            <dd>{spans.length > 0 ? <HighlightedText text={text} spans={spans} labels={detail.labels} className="rv-text-compact" /> : <span className="muted">No spans marked</span>}</dd>
          </div>
        )}
        {text === null && version.spans.length > 0 && (
          <div>
            <dt>{version.spans.length === 1 ? '1 box' : `${version.spans.length} boxes`}</dt>
            <dd>
              <Chips values={version.spans.map((span, at) => `${String(span.label ?? 'no label')} #${at + 1}`)} labels={detail.labels} differs={() => false} />
            </dd>
          </div>
        )}
      </dl>
    </article>
  );
}

/** The competing versions side by side, one column each; the picked one is what Approve sends. */
export function Versions({ detail, picked, onPick, disabled }: { detail: ReviewDetail; picked: number | null; onPick(index: number): void; disabled: boolean }) {
  const allAccept = detail.versions.map((version) => new Set(version.accept));
  if (detail.versions.length === 0) {
    return <p className="muted">No annotator’s answer came with this item, so there is no version to compare.</p>;
  }
  const someDiffer = allAccept.some((set) => [...set].some((option) => allAccept.some((other) => !other.has(option))));
  return (
    <>
      <div className={`rv-versions rv-versions-${Math.min(detail.versions.length, 4)}`} role="radiogroup" aria-label="Versions">
        {detail.versions.map((version, index) => (
          <VersionColumn key={index} detail={detail} version={version} index={index} picked={picked === index} onPick={onPick} disabled={disabled} allAccept={allAccept} />
        ))}
      </div>
      {someDiffer && <p className="muted small rv-legend">A dashed outline marks an option that not every version chose.</p>}
    </>
  );
}

import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReviewDetail } from '../../../../shared/api/schemas/reviews';
import { HighlightedText } from './TaskView';
import { addSpan, labelClass, offsetOf, snap, textSpans, TEXT_SPAN_VIEWS, wordsOf, type Span } from './spans';

export type EditorKind = 'choice' | 'binary' | 'spans';

/** Which editor a correction of this item uses; null when this app cannot edit its annotation (image boxes, say). */
export function editorKind(detail: Pick<ReviewDetail, 'task' | 'viewId'>): EditorKind | null {
  const { task, viewId } = detail;
  if (viewId === 'choice' || Array.isArray(task.options)) return 'choice';
  if (TEXT_SPAN_VIEWS.has(viewId)) return typeof task.text === 'string' ? 'spans' : null;
  if (viewId === 'image_manual') return null;
  if (viewId === 'classification' || typeof task.label === 'string') return 'binary';
  return null;
}

export type CorrectionValue = { kind: 'choice'; accept: string[] } | { kind: 'binary'; answer: 'accept' | 'reject' } | { kind: 'spans'; spans: Span[] };

const textOf = (detail: ReviewDetail) => (typeof detail.task.text === 'string' ? detail.task.text : '');

/** A correction that starts from one version's annotation (or the task as shown). */
export function startingCorrection(detail: ReviewDetail, index: number | null): CorrectionValue | null {
  const kind = editorKind(detail);
  const version = index === null ? undefined : detail.versions[index];
  if (kind === 'choice') {
    const accept = version ? version.accept : Array.isArray(detail.task.accept) ? detail.task.accept.map(String) : [];
    return { kind, accept: [...accept] };
  }
  if (kind === 'binary') return { kind, answer: version?.answer === 'reject' ? 'reject' : 'accept' };
  if (kind === 'spans') {
    const raw = version ? version.spans : Array.isArray(detail.task.spans) ? (detail.task.spans as Array<Record<string, unknown>>) : [];
    return { kind, spans: textSpans(raw, textOf(detail).length) };
  }
  return null;
}

/** The binary question's label: the task's, else the one the versions answered. */
export function binaryLabel(detail: ReviewDetail): string | null {
  if (typeof detail.task.label === 'string') return detail.task.label;
  return detail.versions.find((version) => version.label)?.label ?? null;
}

/** What `reviews.decide` takes as `correctedTask`: only the annotation (accept, spans, label, answer). */
export function correctedTask(detail: ReviewDetail, value: CorrectionValue): Record<string, unknown> {
  if (value.kind === 'choice') return { accept: value.accept, answer: 'accept' };
  if (value.kind === 'binary') {
    const label = binaryLabel(detail);
    return { answer: value.answer, ...(label ? { label } : {}) };
  }
  const text = textOf(detail);
  return { spans: value.spans.map((span) => ({ ...span, text: text.slice(span.start, span.end) })), answer: 'accept' };
}

const spanKey = (span: Span) => `${span.start}:${span.end}:${span.label}`;

/** The version this correction is identical to, if any (then Approve says the same thing). */
export function sameVersion(detail: ReviewDetail, value: CorrectionValue): number | null {
  const text = textOf(detail);
  const index = detail.versions.findIndex((version) => {
    if (value.kind === 'choice') return version.accept.length === value.accept.length && value.accept.every((option) => version.accept.includes(option));
    if (value.kind === 'binary') return version.answer === value.answer;
    const theirs = textSpans(version.spans, text.length).map(spanKey).join('|');
    return theirs === value.spans.map(spanKey).join('|');
  });
  return index < 0 ? null : index;
}

function optionText(detail: ReviewDetail): Map<string, string> {
  const names = new Map<string, string>();
  if (Array.isArray(detail.task.options)) {
    for (const option of detail.task.options as Array<{ id?: unknown; text?: unknown }>) {
      const id = String(option.id ?? option.text);
      names.set(id, typeof option.text === 'string' ? option.text : id);
    }
  }
  return names;
}

function ChoiceEditor({ detail, value, onChange, disabled }: { detail: ReviewDetail; value: Extract<CorrectionValue, { kind: 'choice' }>; onChange(value: CorrectionValue): void; disabled: boolean }) {
  const names = optionText(detail);
  const options = [...new Set([...detail.labels, ...value.accept])];
  const toggle = (option: string) => {
    const accept = value.accept.includes(option) ? value.accept.filter((chosen) => chosen !== option) : [...value.accept, option];
    // Keep the order the options are listed in, as Prodigy does.
    onChange({ kind: 'choice', accept: options.filter((candidate) => accept.includes(candidate)) });
  };
  return (
    <div className="rv-editor">
      <p className="rv-editor-help">Choose the right options; a pressed button is chosen.</p>
      <div className="rv-options" role="group" aria-label="Options">
        {options.map((option) => {
          const pressed = value.accept.includes(option);
          return (
            <button key={option} type="button" className={`rv-option ${labelClass(option, detail.labels)}`} aria-pressed={pressed} disabled={disabled} onClick={() => toggle(option)}>
              <span className="rv-check" aria-hidden="true">
                {pressed ? '✓' : ''}
              </span>
              {names.get(option) ?? option}
            </button>
          );
        })}
      </div>
      {options.length === 0 && <p className="muted">This item lists no options to choose from.</p>}
    </div>
  );
}

function BinaryEditor({ detail, value, onChange, disabled }: { detail: ReviewDetail; value: Extract<CorrectionValue, { kind: 'binary' }>; onChange(value: CorrectionValue): void; disabled: boolean }) {
  const label = binaryLabel(detail) ?? 'the label';
  return (
    <div className="rv-editor">
      <p className="rv-editor-help">
        Does <strong>{label}</strong> apply to this item?
      </p>
      <div className="rv-segmented" role="radiogroup" aria-label={`Does ${label} apply?`}>
        {(['accept', 'reject'] as const).map((answer) => (
          <label key={answer} className={value.answer === answer ? 'rv-segment-on' : undefined}>
            <input type="radio" name="rv-binary" value={answer} checked={value.answer === answer} disabled={disabled} onChange={() => onChange({ kind: 'binary', answer })} />
            {answer === 'accept' ? `Yes, ${label} applies` : `No, ${label} does not apply`}
          </label>
        ))}
      </div>
    </div>
  );
}

function TokenSelect({ label, tokens, value, onChange }: { label: string; tokens: ReadonlyArray<{ id: number; text: string }>; value: string; onChange(value: string): void }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">Choose…</option>
        {tokens.map((token) => (
          <option key={token.id} value={String(token.id)}>
            {token.text} ({token.id + 1})
          </option>
        ))}
      </select>
    </label>
  );
}

function SpanEditor({ detail, value, onChange, disabled }: { detail: ReviewDetail; value: Extract<CorrectionValue, { kind: 'spans' }>; onChange(value: CorrectionValue): void; disabled: boolean }) {
  const text = textOf(detail);
  const { tokens, fromTask } = useMemo(() => wordsOf(detail.task, text), [detail.task, text]);
  const root = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState<Span | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [keyLabel, setKeyLabel] = useState(detail.labels[0] ?? '');
  const exclusive = detail.viewId === 'ner_manual' || detail.viewId === 'ner';
  const labels = detail.labels;

  // A selection inside the text becomes the span to label, grown to whole words.
  useEffect(() => {
    const onSelection = () => {
      const element = root.current;
      const selection = document.getSelection();
      if (!element || !selection || selection.rangeCount === 0 || selection.isCollapsed) return;
      const range = selection.getRangeAt(0);
      if (!element.contains(range.startContainer) || !element.contains(range.endContainer)) return;
      const start = offsetOf(element, range.startContainer, range.startOffset);
      const end = offsetOf(element, range.endContainer, range.endOffset);
      if (start === null || end === null) return;
      setSelected(snap(tokens, Math.min(start, end), Math.max(start, end), fromTask));
    };
    document.addEventListener('selectionchange', onSelection);
    return () => document.removeEventListener('selectionchange', onSelection);
  }, [tokens, fromTask]);

  const add = (span: Span, label: string) => {
    onChange({ kind: 'spans', spans: addSpan(value.spans, { ...span, label }, exclusive) });
    setSelected(null);
    document.getSelection()?.removeAllRanges();
  };
  const relabel = (index: number, label: string) => onChange({ kind: 'spans', spans: value.spans.map((span, at) => (at === index ? { ...span, label } : span)) });
  const remove = (index: number) => onChange({ kind: 'spans', spans: value.spans.filter((_, at) => at !== index) });
  const byKeys = (() => {
    const first = tokens.find((token) => String(token.id) === from);
    const last = tokens.find((token) => String(token.id) === to);
    return first && last && last.end > first.start ? snap(tokens, first.start, last.end, fromTask) : null;
  })();

  return (
    <div className="rv-editor">
      <p className="rv-editor-help">Select words in the text, then pick their label. Change a span’s label or remove it in the list below.</p>
      <HighlightedText ref={root} text={text} spans={value.spans} labels={labels} className="rv-editor-text" label="Text to mark: select words to add a span" testId="correction-text" />
      <div className="rv-add-span" aria-live="polite">
        {selected ? (
          <>
            <span>
              Selected <strong>“{text.slice(selected.start, selected.end)}”</strong>: pick a label
            </span>
            <div className="rv-options" role="group" aria-label="Label for the selected words">
              {labels.map((label) => (
                <button key={label} type="button" className={`rv-option rv-option-small ${labelClass(label, labels)}`} disabled={disabled} onClick={() => add(selected, label)}>
                  <span className="rv-swatch" aria-hidden="true" />
                  {label}
                </button>
              ))}
            </div>
            <button type="button" className="button ghost rv-small-button" onClick={() => setSelected(null)}>
              Cancel
            </button>
          </>
        ) : (
          <span className="muted small">No words selected.</span>
        )}
      </div>
      {labels.length === 0 && <p className="banner banner-warn">This item names no labels, so no new span can be added; you can still remove spans.</p>}
      {value.spans.length === 0 ? (
        <p className="muted">No spans: the corrected item has none.</p>
      ) : (
        <ul className="rv-span-list" aria-label="Spans in the correction">
          {value.spans.map((span, index) => {
            const words = text.slice(span.start, span.end);
            return (
              <li key={`${span.start}:${span.end}:${index}`}>
                <span className={`rv-swatch ${labelClass(span.label, labels)}`} aria-hidden="true" />
                <span className="rv-span-words">“{words}”</span>
                <select aria-label={`Label for “${words}”`} value={span.label} disabled={disabled} onChange={(event) => relabel(index, event.target.value)}>
                  {[...new Set([...labels, span.label])].map((label) => (
                    <option key={label} value={label}>
                      {label || 'no label'}
                    </option>
                  ))}
                </select>
                <button type="button" className="button ghost rv-small-button" aria-label={`Remove “${words}”`} disabled={disabled} onClick={() => remove(index)}>
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {labels.length > 0 && tokens.length > 0 && (
        <details className="rv-keyboard-add">
          <summary>Add a span with the keyboard</summary>
          <div className="filters">
            <TokenSelect label="First word" tokens={tokens} value={from} onChange={setFrom} />
            <TokenSelect label="Last word" tokens={tokens} value={to} onChange={setTo} />
            <label>
              Label
              <select value={keyLabel} onChange={(event) => setKeyLabel(event.target.value)}>
                {labels.map((label) => (
                  <option key={label} value={label}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="button" disabled={disabled || !byKeys || !keyLabel} onClick={() => byKeys && add(byKeys, keyLabel)}>
              Add span
            </button>
          </div>
        </details>
      )}
    </div>
  );
}

/** The reviewer's own annotation: options to toggle, yes or no, or spans to fix. */
export function CorrectionEditor({ detail, value, onChange, disabled }: { detail: ReviewDetail; value: CorrectionValue; onChange(value: CorrectionValue): void; disabled: boolean }) {
  if (value.kind === 'choice') return <ChoiceEditor detail={detail} value={value} onChange={onChange} disabled={disabled} />;
  if (value.kind === 'binary') return <BinaryEditor detail={detail} value={value} onChange={onChange} disabled={disabled} />;
  return <SpanEditor detail={detail} value={value} onChange={onChange} disabled={disabled} />;
}

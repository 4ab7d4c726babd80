import { useState, type Ref } from 'react';
import { labelClass, segments, type Span } from './spans';

/** The text with its spans highlighted in their label's colour, each span followed by its label. */
export function HighlightedText({
  text,
  spans,
  labels,
  className,
  label,
  testId,
  ref,
}: {
  text: string;
  spans: readonly Span[];
  labels: readonly string[];
  className?: string;
  label?: string;
  testId?: string;
  ref?: Ref<HTMLDivElement>;
}) {
  return (
    <div ref={ref} className={`rv-text${className ? ` ${className}` : ''}`} role={label ? 'group' : undefined} aria-label={label} data-testid={testId}>
      {segments(text, spans).map((piece) => {
        const inner = piece.covering[piece.covering.length - 1];
        const body = inner ? (
          <mark key={piece.start} className={`rv-span ${labelClass(inner.label, labels)}${piece.covering.length > 1 ? ' rv-span-nested' : ''}`} data-offset={piece.start}>
            {piece.text}
          </mark>
        ) : (
          <span key={piece.start} data-offset={piece.start}>
            {piece.text}
          </span>
        );
        if (piece.ending.length === 0) return body;
        return [
          body,
          ...piece.ending.map((span, index) => (
            <span key={`${piece.start}-tag-${index}`} className={`rv-tag ${labelClass(span.label, labels)}`} data-tag="" data-offset={piece.end}>
              {span.label || 'no label'}
            </span>
          )),
        ];
      })}
    </div>
  );
}

function ItemImage({ src }: { src: string }) {
  const [broken, setBroken] = useState(false);
  if (!src.startsWith('data:image/')) {
    return (
      <p className="banner banner-warn" role="status">
        This image is stored elsewhere (<code>{src.length > 120 ? `${src.slice(0, 120)}…` : src}</code>), and the app only shows images that come with the item, so it cannot be shown here.
      </p>
    );
  }
  if (broken) {
    return (
      <p className="banner banner-warn" role="status">
        This image could not be shown: its data is damaged or in a format this app cannot display.
      </p>
    );
  }
  return <img className="rv-image" src={src} alt="The item’s image" onError={() => setBroken(true)} />;
}

/** What the annotators saw: the text (with spans), the image, or the HTML as code. */
export function TaskContent({ task, spans, labels }: { task: Record<string, unknown>; spans: readonly Span[]; labels: readonly string[] }) {
  if (typeof task.text === 'string') {
    return <HighlightedText text={task.text} spans={spans} labels={labels} className="rv-item-text" label="Item text" testId="item-text" />;
  }
  if (typeof task.image === 'string') return <ItemImage src={task.image} />;
  if (typeof task.html === 'string') {
    return (
      <div>
        <p className="muted small">This item is HTML; it is shown as code, not as a web page.</p>
        <pre className="rv-html">{task.html}</pre>
      </div>
    );
  }
  return <p className="muted">This item has no text, image or HTML to show.</p>;
}

const META_WORDS: Record<string, string> = { path: 'File', file_id: 'File id', line: 'Line', source: 'Source', sha256: 'SHA-256' };

function metaValue(key: string, value: unknown): string {
  if (typeof value === 'string') return key === 'sha256' && value.length > 16 ? `${value.slice(0, 12)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The task's `meta` (file path, line, source…), small. */
export function TaskMeta({ task }: { task: Record<string, unknown> }) {
  const meta = task.meta;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return null;
  const entries = Object.entries(meta as Record<string, unknown>).filter(([key, value]) => value !== null && value !== undefined && key !== 'review');
  if (entries.length === 0) return null;
  // The file first: it is what a reviewer looks for.
  entries.sort(([a], [b]) => Number(b === 'path') - Number(a === 'path'));
  return (
    <dl className="rv-meta" aria-label="About this item">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{META_WORDS[key] ?? key}</dt>
          <dd title={typeof value === 'string' ? value : undefined}>{key === 'path' ? <code>{metaValue(key, value)}</code> : metaValue(key, value)}</dd>
        </div>
      ))}
    </dl>
  );
}

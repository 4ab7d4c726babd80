/** Spans over a task's text: reading them from versions, cutting the text for highlights, snapping a selection to words. */

export interface Span {
  start: number;
  end: number;
  label: string;
  token_start?: number;
  token_end?: number;
}

export interface Token {
  start: number;
  end: number;
  id: number;
  text: string;
}

/** Interfaces whose annotation is spans over the text. */
export const TEXT_SPAN_VIEWS = new Set(['ner_manual', 'spans_manual', 'ner', 'spans']);

const PALETTE_SIZE = 8;

/** A colour class per label, stable for the item (labels in the order the item lists them). */
export function labelClass(label: string, labels: readonly string[]): string {
  const index = labels.indexOf(label);
  if (index >= 0) return `rv-lc-${index % PALETTE_SIZE}`;
  let hash = 0;
  for (const char of label) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `rv-lc-${hash % PALETTE_SIZE}`;
}

/** The text spans of a version, valid ones only, in reading order. */
export function textSpans(raw: ReadonlyArray<Record<string, unknown>>, textLength: number): Span[] {
  const spans: Span[] = [];
  for (const span of raw) {
    const { start, end, label } = span;
    if (typeof start !== 'number' || typeof end !== 'number' || !Number.isInteger(start) || !Number.isInteger(end)) continue;
    if (start < 0 || end > textLength || end <= start) continue;
    const tokenStart = typeof span.token_start === 'number' ? span.token_start : undefined;
    const tokenEnd = typeof span.token_end === 'number' ? span.token_end : undefined;
    spans.push({ start, end, label: typeof label === 'string' ? label : '', ...(tokenStart === undefined ? {} : { token_start: tokenStart }), ...(tokenEnd === undefined ? {} : { token_end: tokenEnd }) });
  }
  return sortSpans(spans);
}

export function sortSpans(spans: Span[]): Span[] {
  return [...spans].sort((a, b) => a.start - b.start || a.end - b.end || a.label.localeCompare(b.label));
}

export interface Segment {
  start: number;
  end: number;
  text: string;
  /** The spans covering this piece, innermost last. */
  covering: Span[];
  /** Spans that end right after this piece: their label tag follows it. */
  ending: Span[];
}

/** The text cut at every span edge, each piece knowing its offset and the spans over it. */
export function segments(text: string, spans: readonly Span[]): Segment[] {
  const cuts = new Set<number>([0, text.length]);
  for (const span of spans) {
    cuts.add(span.start);
    cuts.add(span.end);
  }
  const points = [...cuts].filter((point) => point >= 0 && point <= text.length).sort((a, b) => a - b);
  const pieces: Segment[] = [];
  for (let index = 0; index < points.length - 1; index += 1) {
    const start = points[index] ?? 0;
    const end = points[index + 1] ?? text.length;
    if (end <= start) continue;
    const covering = spans.filter((span) => span.start <= start && end <= span.end).sort((a, b) => b.end - b.start - (a.end - a.start));
    const ending = spans.filter((span) => span.end === end);
    pieces.push({ start, end, text: text.slice(start, end), covering, ending });
  }
  return pieces;
}

/** Prodigy's tokens when the task has them (`fromTask`), else words and punctuation found in the text. */
export function wordsOf(task: Record<string, unknown>, text: string): { tokens: Token[]; fromTask: boolean } {
  if (Array.isArray(task.tokens)) {
    const tokens: Token[] = [];
    task.tokens.forEach((token: unknown, index) => {
      if (typeof token !== 'object' || token === null) return;
      const { start, end, id } = token as Record<string, unknown>;
      if (typeof start !== 'number' || typeof end !== 'number' || end <= start || end > text.length) return;
      tokens.push({ start, end, id: typeof id === 'number' ? id : index, text: text.slice(start, end) });
    });
    if (tokens.length > 0) return { tokens, fromTask: true };
  }
  const tokens = [...text.matchAll(/[\p{L}\p{N}_]+(?:['’.-][\p{L}\p{N}_]+)*|[^\s\p{L}\p{N}_]/gu)].map((match, id) => ({
    start: match.index,
    end: match.index + match[0].length,
    id,
    text: match[0],
  }));
  return { tokens, fromTask: false };
}

/** A selection from `start` to `end`, grown to whole words as Prodigy does; null when it covers none. */
export function snap(tokens: readonly Token[], start: number, end: number, withTokenIds: boolean): Span | null {
  if (end <= start) return null;
  const covered = tokens.filter((token) => token.end > start && token.start < end);
  const first = covered[0];
  const last = covered.at(-1);
  if (!first || !last) return null;
  return { start: first.start, end: last.end, label: '', ...(withTokenIds ? { token_start: first.id, token_end: last.id } : {}) };
}

/** Named entities do not overlap: a new one replaces those it touches. Other span views keep overlaps, not duplicates. */
export function addSpan(spans: readonly Span[], span: Span, exclusive: boolean): Span[] {
  const kept = exclusive
    ? spans.filter((other) => other.end <= span.start || other.start >= span.end)
    : spans.filter((other) => !(other.start === span.start && other.end === span.end && other.label === span.label));
  return sortSpans([...kept, span]);
}

/** The character offset of a point in a rendered text whose pieces carry `data-offset`. */
export function offsetOf(root: HTMLElement, node: Node, offset: number): number | null {
  if (!root.contains(node)) return null;
  let element: Node | null = node;
  let within = offset;
  if (node.nodeType !== Node.TEXT_NODE) {
    // A point between children: the start of the child after it, or the end of the one before.
    const child = node.childNodes[offset];
    if (child) return offsetOf(root, child, 0);
    const before = node.childNodes[offset - 1];
    if (before) return endOffsetOf(root, before);
    within = 0;
  }
  while (element && element !== root) {
    if (element instanceof HTMLElement && element.dataset.offset !== undefined) {
      if (element.dataset.tag !== undefined) return Number(element.dataset.offset);
      return Number(element.dataset.offset) + within;
    }
    element = element.parentNode;
  }
  return null;
}

function endOffsetOf(root: HTMLElement, node: Node): number | null {
  if (node instanceof HTMLElement && node.dataset.offset !== undefined) {
    return Number(node.dataset.offset) + (node.dataset.tag !== undefined ? 0 : (node.textContent ?? '').length);
  }
  const last = node.lastChild;
  if (last) return endOffsetOf(root, last);
  return offsetOf(root, node, (node.textContent ?? '').length);
}

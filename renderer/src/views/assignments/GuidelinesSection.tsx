import { Fragment, useEffect, useState } from 'react';
import type { Guidelines } from '../../../../shared/api/schemas/answers';
import { errorMessage } from '../../client';
import { useClient } from '../../store';
import { parseMarkdown, type Block, type Inline } from './markdown';
import './answers.css';

function InlineText({ content }: { content: Inline[] }) {
  return (
    <>
      {content.map((part, index) => {
        switch (part.kind) {
          case 'strong':
            return <strong key={index}>{part.text}</strong>;
          case 'em':
            return <em key={index}>{part.text}</em>;
          case 'code':
            return <code key={index}>{part.text}</code>;
          case 'link':
            // The app window opens no pages itself: the address is shown to copy, not followed.
            return (
              <Fragment key={index}>
                {part.text} <span className="muted">({part.href})</span>
              </Fragment>
            );
          default:
            return <Fragment key={index}>{part.text}</Fragment>;
        }
      })}
    </>
  );
}

/** Headings sit under the section's own h2: a file's "#" becomes an h3, and so on down to h6. */
function BlockView({ block }: { block: Block }) {
  switch (block.kind) {
    case 'heading': {
      const Tag = `h${Math.min(6, block.level + 2)}` as 'h3' | 'h4' | 'h5' | 'h6';
      return (
        <Tag>
          <InlineText content={block.content} />
        </Tag>
      );
    }
    case 'list': {
      const List = block.ordered ? 'ol' : 'ul';
      return (
        <List>
          {block.items.map((item, index) => (
            <li key={index}>
              <InlineText content={item} />
            </li>
          ))}
        </List>
      );
    }
    case 'quote':
      return (
        <blockquote>
          <InlineText content={block.content} />
        </blockquote>
      );
    case 'code':
      return <pre>{block.text}</pre>;
    default:
      return (
        <p>
          <InlineText content={block.content} />
        </p>
      );
  }
}

/** An HTML guidelines file as its text only: parsed inert (a parsed document runs no script and loads nothing), never inserted. */
function htmlAsBlocks(html: string): Block[] {
  const text = new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '';
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .map((paragraph) => ({ kind: 'paragraph', content: [{ kind: 'text', text: paragraph }] }));
}

function blocksOf(guidelines: Extract<Guidelines, { state: 'ready' }>): Block[] {
  if (guidelines.format === 'markdown') return parseMarkdown(guidelines.text);
  if (guidelines.format === 'html') return htmlAsBlocks(guidelines.text);
  return [{ kind: 'code', text: guidelines.text }];
}

/** The assignment's guidelines, read from the synced file beside the work; re-read when the assignment changes (a sync). */
export function GuidelinesSection({ assignmentId, refreshKey }: { assignmentId: string; refreshKey: string }) {
  const client = useClient();
  const [guidelines, setGuidelines] = useState<Guidelines | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    client.call('assignments.guidelines', { id: assignmentId }).then(
      (found) => {
        if (current) {
          setGuidelines(found);
          setError(null);
        }
      },
      (e: unknown) => {
        if (current) setError(errorMessage(e));
      },
    );
    return () => {
      current = false;
    };
  }, [client, assignmentId, refreshKey]);

  if (guidelines?.state === 'none') return null;
  return (
    <section aria-labelledby="guidelines-heading" className="guidelines-section" data-testid="guidelines">
      <details open className="guidelines-details">
        <summary>
          <h2 id="guidelines-heading">Guidelines</h2>
          {guidelines?.state === 'ready' && <span className="muted small">{guidelines.path}</span>}
        </summary>
        {error && <p className="banner banner-error">{error}</p>}
        {guidelines?.state === 'missing' && (
          <p className="muted guidelines-missing" data-testid="guidelines-missing">
            The guidelines{guidelines.path ? ` (${guidelines.path})` : ''} are not on this computer. {guidelines.reason}
          </p>
        )}
        {guidelines?.state === 'ready' && (
          <div className="guidelines-body" tabIndex={0} role="region" aria-label="Guidelines text" data-testid="guidelines-body">
            {blocksOf(guidelines).map((block, index) => (
              <BlockView key={index} block={block} />
            ))}
            {guidelines.truncated && <p className="muted small">The file is longer than this; the rest is in {guidelines.path} in the assignment’s folder.</p>}
          </div>
        )}
      </details>
    </section>
  );
}

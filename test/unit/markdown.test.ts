import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from '../../renderer/src/views/assignments/markdown';

describe('the Markdown guidelines are read as', () => {
  it('headings, paragraphs joined across lines, lists (bulleted and numbered), quotes and code', () => {
    const blocks = parseMarkdown('# Title\n\nPick one\nlabel.\n\n- **billing**: charges\n- other\n\n1. first\n2. second\n\n> a note\n\n```\n<b>raw</b>\n```\n');
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, content: [{ kind: 'text', text: 'Title' }] },
      { kind: 'paragraph', content: [{ kind: 'text', text: 'Pick one label.' }] },
      { kind: 'list', ordered: false, items: [[{ kind: 'strong', text: 'billing' }, { kind: 'text', text: ': charges' }], [{ kind: 'text', text: 'other' }]] },
      { kind: 'list', ordered: true, items: [[{ kind: 'text', text: 'first' }], [{ kind: 'text', text: 'second' }]] },
      { kind: 'quote', content: [{ kind: 'text', text: 'a note' }] },
      { kind: 'code', text: '<b>raw</b>' },
    ]);
  });

  it('text, never markup: HTML stays literal, and only web and mail links are links', () => {
    expect(parseMarkdown('<script>alert(1)</script> <img src=x onerror=alert(2)>')).toEqual([
      { kind: 'paragraph', content: [{ kind: 'text', text: '<script>alert(1)</script> <img src=x onerror=alert(2)>' }] },
    ]);
    expect(parseInline('[docs](https://example.com/a) [bad](javascript:alert%281%29) `*x*` *em* _em_')).toEqual([
      { kind: 'link', text: 'docs', href: 'https://example.com/a' },
      { kind: 'text', text: ' ' },
      { kind: 'text', text: 'bad' },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: '*x*' },
      { kind: 'text', text: ' ' },
      { kind: 'em', text: 'em' },
      { kind: 'text', text: ' ' },
      { kind: 'em', text: 'em' },
    ]);
  });

  it('a list item carried over an indented line, and snake_case words left alone', () => {
    expect(parseMarkdown('- bug_report: when\n  it breaks\nAfter.')).toEqual([
      { kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'bug_report: when it breaks' }]] },
      { kind: 'paragraph', content: [{ kind: 'text', text: 'After.' }] },
    ]);
  });
});

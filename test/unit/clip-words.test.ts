import { describe, expect, it } from 'vitest';
import { clipWords } from '../../shared/words';

describe('text cut for a label', () => {
  it('cuts between words, with an ellipsis, and never inside one', () => {
    expect(clipWords('The mobile app shows a blank screen after I upload a photo.', 30)).toBe('The mobile app shows a blank…');
    expect(clipWords('Refund,   please\n\nnow', 40)).toBe('Refund, please now');
    expect(clipWords('Short enough', 12)).toBe('Short enough');
  });

  it('does not leave a comma or a space before the ellipsis', () => {
    expect(clipWords('Printer error 50, after the update', 20)).toBe('Printer error 50…');
  });

  it('cuts a single long word where it must, rather than leaving nothing', () => {
    expect(clipWords('https://example.com/a/very/long/path/to/something', 20)).toBe('https://example.com/…');
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRemotePath, collisionKey, resolveInside } from '../../electron/core/kernel/platform/safe-path';

describe('paths from File 360 are untrusted', () => {
  const hostile: Array<[string, RegExp]> = [
    ['../x', /"\."|"\.\."/],
    ['a/../../x', /"\."|"\.\."/],
    ['a/./b', /"\."|"\.\."/],
    ['/etc/passwd', /absolute/],
    ['\\\\server\\share\\x', /absolute/],
    ['C:\\x', /drive letter/],
    ['C:/Windows/x', /drive letter/],
    ['c:x', /drive letter/],
    ['a\u0000b', /NUL or control/],
    ['a\nb', /NUL or control/],
    ['a\u007fb', /NUL or control/],
    [`${'x'.repeat(4096)}`, /longer than 1024 bytes/],
    [`${'x'.repeat(300)}/y`, /longer than 255 bytes/],
    ['CON', /reserved device name/],
    ['docs/nul.txt', /reserved device name/],
    ['LPT1.log', /reserved device name/],
    ['com9', /reserved device name/],
    ['a//b', /empty part/],
    ['a/', /empty part/],
    ['', /empty/],
    ['a\\..\\..\\x', /not allowed in file names/],
    ['file.txt:stream', /not allowed in file names/],
    ['what?.txt', /not allowed in file names/],
    ['trailing.', /ends with a dot/],
    ['trailing ', /ends with a dot or a space/],
    ['cafe\u0301.txt', /NFC/],
    [Array.from({ length: 40 }, () => 'd').join('/'), /folders deep/],
  ];

  for (const [raw, reason] of hostile) {
    it(`refuses ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 37)}…` : raw)}`, () => {
      const result = checkRemotePath(raw);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(reason);
    });
  }

  it('accepts ordinary nested names, including non-Latin ones', () => {
    for (const raw of ['a.txt', 'batch 1/doc-01.txt', 'données/été.jsonl', '日本語/テキスト.txt', '.hidden', 'a/b/c/d.png', 'console.txt']) {
      expect(checkRemotePath(raw), raw).toEqual({ ok: true, segments: raw.split('/') });
    }
  });

  it('resolves only inside the assignment folder', () => {
    const root = path.resolve('/data/assignments/a1/files');
    expect(resolveInside(root, ['x', 'y.txt'])).toBe(path.join(root, 'x', 'y.txt'));
    expect(() => resolveInside(root, ['..', 'other'])).toThrow(/outside/);
    expect(() => resolveInside(root, [])).toThrow(/outside/);
  });

  it('spots names that would be one file on a case-insensitive disk', () => {
    expect(collisionKey('Docs/A.txt')).toBe(collisionKey('docs/a.txt'));
    expect(collisionKey('a.txt')).not.toBe(collisionKey('b.txt'));
  });
});

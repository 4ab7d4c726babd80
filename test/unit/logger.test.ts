import { describe, expect, it } from 'vitest';
import { createLogger, redact } from '../../electron/core/kernel/platform/logger';

describe('logging', () => {
  it('never writes a secret, whether it is a field or inside text', () => {
    const lines: string[] = [];
    const logger = createLogger({ sinks: [(line) => lines.push(line)], now: () => new Date('2026-11-22T10:00:00Z') });
    logger.error('refresh failed for Bearer eyJhbGciOi.abc.def', {
      refresh_token: 'rt-123',
      headers: { Authorization: 'Basic dXNlcjpwYXNz', accept: 'json' },
      url: 'https://user:hunter2@file360.example.com/cb?code=abc&state=xyz',
      error: new Error('token rt-456 rejected: access_token=at-789'),
      nested: [{ password: 'p' }],
    });
    const text = lines.join('\n');
    for (const secret of ['eyJhbGciOi', 'rt-123', 'dXNlcjpwYXNz', 'hunter2', 'code=abc', 'at-789', '"p"']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('state=xyz');
    expect(text).toContain('"accept":"json"');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'error', ts: '2026-11-22T10:00:00.000Z' });
  });

  it('drops lines below its level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', sinks: [(line) => lines.push(line)] });
    logger.info('chatty');
    logger.warn('worth knowing');
    expect(lines).toHaveLength(1);
  });

  it('keeps non-secret values as they are', () => {
    expect(redact({ files: 3, name: 'batch', ok: true })).toEqual({ files: 3, name: 'batch', ok: true });
  });
});

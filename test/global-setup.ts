import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The process-level last line (electron/core/kernel/platform/last-line.ts) must
 * never be what handles a known error. Every app process a test starts
 * inherits COMPANION_LAST_LINE_DIR and writes a report there when the handler
 * fires; the run fails if any report exists at the end. (In-process, Vitest
 * already fails a run on any uncaught error or unhandled rejection.)
 */
let dir = '';

export function setup(): void {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'companion-last-line-'));
  process.env.COMPANION_LAST_LINE_DIR = dir;
}

export function teardown(): void {
  const reports = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const text = reports.map((name) => fs.readFileSync(path.join(dir, name), 'utf8')).join('\n');
  fs.rmSync(dir, { recursive: true, force: true });
  if (reports.length > 0) {
    throw new Error(`The process-level last-line handler fired ${reports.length} time(s) during the tests; a known error path relied on it:\n${text}`);
  }
}

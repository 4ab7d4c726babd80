import fs from 'node:fs';
import path from 'node:path';
import type { LogFields, Logger } from '../ports';

type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Field names that may carry a secret; their values are never written. */
const SECRET_KEY = /token|secret|password|passwd|authori[sz]ation|cookie|verifier|credential|api[-_]?key/i;
/** Secrets that hide inside free text: bearer tokens, basic-auth URLs, token query parameters. */
const SECRET_TEXT: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  [/(\/\/)[^/@\s:]+:[^/@\s]+@/g, '$1[redacted]@'],
  [/\b(access_token|refresh_token|id_token|client_secret|code_verifier|password|passwd)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi, '$1$2[redacted]'],
  [/([?&#](?:token|code)=)[^&\s#"']+/gi, '$1[redacted]'],
];

export function redactText(text: string): string {
  return SECRET_TEXT.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message), stack: value.stack && redactText(value.stack) };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(item, depth + 1);
    }
    return out;
  }
  return value;
}

export interface LoggerOptions {
  level?: Level;
  sinks: Array<(line: string) => void>;
  now?: () => Date;
}

/** JSON lines, one per event, with every field passed through `redact`. */
export function createLogger({ level = 'info', sinks, now = () => new Date() }: LoggerOptions): Logger {
  const min = LEVELS[level];
  const write = (lvl: Level, message: string, fields?: LogFields) => {
    if (LEVELS[lvl] < min) return;
    const line = JSON.stringify({ ts: now().toISOString(), level: lvl, msg: redactText(message), ...(redact(fields ?? {}) as object) });
    for (const sink of sinks) sink(line);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

const MAX_LOG_BYTES = 5 * 1024 * 1024;

/** Appends to `<dir>/companion.log` (mode 0600), keeping one previous file once it passes 5 MB. */
export function createFileSink(dir: string): { sink: (line: string) => void; close(): void } {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'companion.log');
  try {
    if (fs.statSync(file).size > MAX_LOG_BYTES) fs.renameSync(file, `${file}.1`);
  } catch {
    // No log yet.
  }
  const stream = fs.createWriteStream(file, { flags: 'a', mode: 0o600 });
  stream.on('error', () => undefined);
  return { sink: (line) => stream.write(`${line}\n`), close: () => stream.end() };
}

export const stderrSink = (line: string) => process.stderr.write(`${line}\n`);

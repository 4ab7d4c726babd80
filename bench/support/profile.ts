import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A V8 .cpuprofile (node --cpu-prof), as much of it as a summary needs. */
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame }>;
  samples: number[];
  timeDeltas: number[];
}

const FILE_CALLS = new Set(['open', 'close', 'fsync', 'fdatasync', 'stat', 'lstat', 'fstat', 'rename', 'mkdir', 'read', 'readFileUtf8', 'writeString', 'unlink', 'rmSync', 'existsSync']);
const SOCKET_WRITES = new Set(['writeLatin1String', 'writeUtf8String', 'writev', 'writeAsciiString']);

/**
 * The source a frame of a bundle came from, through the bundle's source map
 * (scripts/bundle.ts writes one beside it): a package, or the app's folder.
 */
function sourceMapper(): (frame: CallFrame) => string | null {
  const maps = new Map<string, SourceMap | null>();
  return (frame) => {
    if (!frame.url.startsWith('file://')) return null;
    let map = maps.get(frame.url);
    if (map === undefined) {
      const file = `${fileURLToPath(frame.url)}.map`;
      map = fs.existsSync(file) ? new SourceMap(JSON.parse(fs.readFileSync(file, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]) : null;
      maps.set(frame.url, map);
    }
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string } | undefined;
    return entry?.originalSource ?? null;
  };
}

/** What a sampled frame was doing, in words a reader of the benchmark cares about. */
function groupOf(frame: CallFrame, source: string | null): string {
  const { functionName, url } = frame;
  if (functionName === '(idle)') return 'idle: waiting for the network and the disk (fsync)';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 and native code outside JavaScript';
  if (url.includes('internal/crypto')) return 'sha256 (crypto)';
  if (url === '' && FILE_CALLS.has(functionName)) return 'file system calls (open, write, fsync, close, stat, rename)';
  if (url === '' && SOCKET_WRITES.has(functionName)) return 'socket writes (HTTP requests)';
  if (url === '' && functionName === 'writeBuffer') return 'file and socket writes (writeBuffer)';
  if (url.includes('internal/fs') || url === 'node:fs') return 'file system calls (open, write, fsync, close, stat, rename)';
  if (url.includes('internal/streams')) return 'Node streams';
  if (url.startsWith('node:')) return 'other Node internals';
  const original = source ?? url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(original)?.[1];
  if (pkg) return pkg === 'better-sqlite3' ? 'SQLite (better-sqlite3)' : `${pkg}`;
  const stand = /sandbox\/([^/]+\/[^/.]+)/.exec(original)?.[1];
  if (stand) return `the sandbox: ${stand}`;
  const area = /electron\/core\/([^/]+)/.exec(original)?.[1];
  return area ? `the app: core/${area}` : url ? 'other JavaScript' : `native: ${functionName}`;
}

export interface ProfileSummary {
  totalMs: number;
  groups: Array<{ name: string; ms: number; share: number }>;
  top: Array<{ name: string; ms: number }>;
}

/** Self time by group and the functions with the most self time. */
export function summariseProfile(file: string, topCount = 12): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000));
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  const mapSource = sourceMapper();
  let totalMs = 0;
  for (const [id, ms] of self) {
    const frame = byId.get(id);
    if (!frame) continue;
    totalMs += ms;
    const source = mapSource(frame);
    const group = groupOf(frame, source);
    groups.set(group, (groups.get(group) ?? 0) + ms);
    const where = source ? ` (${source.replace(/^.*?(node_modules\/|electron\/)/, '$1')})` : frame.url ? ` (${path.basename(frame.url)}:${frame.lineNumber + 1})` : '';
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
  }
  return {
    totalMs,
    groups: [...groups].map(([name, ms]) => ({ name, ms, share: ms / totalMs })).sort((a, b) => b.ms - a.ms),
    top: [...functions].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms).slice(0, topCount),
  };
}

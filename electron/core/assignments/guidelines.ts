import fs from 'node:fs';
import path from 'node:path';
import type { Guidelines } from '../../../shared/api/schemas/answers';
import { assignmentLayout } from '../services/assignments/layout';
import { checkRemotePath, resolveInside } from '../kernel/platform/safe-path';
import type { AssignmentRow, SyncStore } from '../services/assignments/store';

/** Enough for any guidelines a person reads; a larger file is shown cut, with a note. */
const MAX_GUIDELINES_BYTES = 512 * 1024;

const FORMATS: Record<string, 'markdown' | 'text' | 'html'> = { '.md': 'markdown', '.markdown': 'markdown', '.html': 'html', '.htm': 'html' };

const STATE_WORDS: Record<string, string> = {
  pending: 'It is not synced yet: choose Sync to fetch it.',
  error: 'It could not be fetched last time; choose Sync to try again.',
  rejected: 'It was refused when it was synced (see Files).',
};

/**
 * The guidelines file the project names (`instructions_file_id`), read from
 * the synced copy: the same verified file Prodigy shows behind its help
 * button, so the app and Prodigy never show two versions.
 */
export function readGuidelines(dataDir: string, store: SyncStore, row: AssignmentRow): Guidelines {
  const project = JSON.parse(row.project) as { instructions_file_id?: string };
  if (!project.instructions_file_id) return { state: 'none' };
  if (row.wiped_at) return { state: 'missing', path: null, reason: 'The assignment’s files were removed from this computer.' };
  const file = store.file(row.id, project.instructions_file_id);
  if (!file) return { state: 'missing', path: null, reason: 'The guidelines file is not in the file list yet: choose Sync to fetch it.' };
  if (file.state !== 'done') return { state: 'missing', path: file.path, reason: STATE_WORDS[file.state] ?? 'It is not on this computer.' };
  const checked = checkRemotePath(file.path);
  if (!checked.ok) return { state: 'missing', path: file.path, reason: 'Its name cannot be used as a file on this computer.' };
  const onDisk = resolveInside(assignmentLayout(dataDir, row.id).files, checked.segments);
  let bytes: Buffer;
  try {
    const handle = fs.openSync(onDisk, 'r');
    try {
      bytes = Buffer.alloc(Math.min(fs.fstatSync(handle).size, MAX_GUIDELINES_BYTES + 1));
      bytes = bytes.subarray(0, fs.readSync(handle, bytes, 0, bytes.length, 0));
    } finally {
      fs.closeSync(handle);
    }
  } catch {
    return { state: 'missing', path: file.path, reason: 'It is listed as synced but could not be read; choose Sync to fetch it again.' };
  }
  const truncated = bytes.length > MAX_GUIDELINES_BYTES;
  const text = bytes.subarray(0, MAX_GUIDELINES_BYTES).toString('utf8');
  return { state: 'ready', path: file.path, format: FORMATS[path.extname(file.path).toLowerCase()] ?? 'text', text, truncated };
}

import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../kernel/errors';
import { writeFileAtomic } from '../kernel/platform/atomic-file';
import { escapeHtml } from '../kernel/platform/html';
import type { SyncedFile } from '../services/assignments/synced-files';
import type { TaskKind } from './recipes';

/** A synced file as the source builder needs it. */
export interface BuiltSource {
  /** The JSONL Prodigy reads. */
  file: string;
  tasks: number;
  /** Files that did not become tasks, and why; shown to the user, never dropped silently. */
  skipped: Array<{ path: string; reason: string }>;
}

const TEXT = new Set(['.txt', '.md']);
const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
};
/** Prodigy stores image tasks inline (base64); past this a browser struggles to show them. */
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const MAX_ERRORS_SHOWN = 5;

const extension = (file: string) => path.extname(file).toLowerCase();

function meta(file: SyncedFile): Record<string, unknown> {
  return { file_id: file.id, path: file.path, sha256: file.sha256 };
}

const NEEDS: Record<TaskKind, { fields: Array<'text' | 'image' | 'html'>; words: string }> = {
  any: { fields: ['text', 'image', 'html'], words: '"text", "image" or "html" to show' },
  text: { fields: ['text'], words: '"text" to annotate (this recipe marks spans in text)' },
  image: { fields: ['image'], words: '"image" to annotate (this recipe draws boxes on images)' },
};

/**
 * JSON.parse's words without the piece of the line it quotes: the message is
 * recorded in the audit log, which is kept for good, and a task's text must
 * not outlive the wipe of its assignment there.
 */
function jsonProblem(error: Error): string {
  return error.message.replace(/, ".*"(?:\.\.\.)? is not valid JSON$/s, '');
}

/** Prodigy's own task files: one JSON object per line, each with something the recipe can show. */
function jsonlTasks(file: SyncedFile, kind: TaskKind, errors: string[]): unknown[] {
  const tasks: unknown[] = [];
  const lines = fs.readFileSync(file.file, 'utf8').split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${file.path} line ${index + 1}`;
    let task: unknown;
    try {
      task = JSON.parse(line);
    } catch (error) {
      errors.push(`${where}: not valid JSON (${jsonProblem(error as Error)}).`);
      return;
    }
    if (!task || typeof task !== 'object' || Array.isArray(task)) {
      errors.push(`${where}: a task must be a JSON object.`);
      return;
    }
    const fields = task as Record<string, unknown>;
    if (!NEEDS[kind].fields.some((field) => typeof fields[field] === 'string')) {
      errors.push(`${where}: the task has no ${NEEDS[kind].words}.`);
      return;
    }
    const own = fields.meta && typeof fields.meta === 'object' && !Array.isArray(fields.meta) ? (fields.meta as Record<string, unknown>) : {};
    tasks.push({ ...fields, meta: { ...own, ...meta(file), line: index + 1 } });
  });
  return tasks;
}

/**
 * Turns an assignment's synced files into one Prodigy source file:
 * `.txt`/`.md` → a text task per file, `.jsonl` → its tasks (checked line by
 * line), images → image tasks; every task carries where it came from. Files
 * the recipe cannot show (images for a text recipe, text for an image one) are
 * skipped with the reason. The instructions file is left out (it is shown as
 * instructions instead).
 */
export function buildSource(files: readonly SyncedFile[], target: string, instructionsFileId: string | null, kind: TaskKind = 'any'): BuiltSource {
  const tasks: unknown[] = [];
  const skipped: BuiltSource['skipped'] = [];
  const errors: string[] = [];
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    if (file.id === instructionsFileId) continue;
    const ext = extension(file.path);
    if (TEXT.has(ext) && kind === 'image') {
      skipped.push({ path: file.path, reason: 'This assignment’s recipe annotates images; text files are not shown in it.' });
    } else if (TEXT.has(ext)) {
      tasks.push({ text: fs.readFileSync(file.file, 'utf8'), meta: meta(file) });
    } else if (ext === '.jsonl') {
      tasks.push(...jsonlTasks(file, kind, errors));
    } else if (IMAGE_TYPES[ext] && kind === 'text') {
      skipped.push({ path: file.path, reason: 'This assignment’s recipe annotates text; images are not shown in it.' });
    } else if (IMAGE_TYPES[ext]) {
      const size = fs.statSync(file.file).size;
      if (size > MAX_IMAGE_BYTES) {
        skipped.push({ path: file.path, reason: `The image is ${Math.round(size / 2 ** 20)} MB; images over 20 MB are too large to annotate in the browser.` });
        continue;
      }
      tasks.push({ image: `data:${IMAGE_TYPES[ext]};base64,${fs.readFileSync(file.file).toString('base64')}`, meta: meta(file) });
    } else {
      skipped.push({ path: file.path, reason: `Prodigy cannot show ${ext ? `${ext} files` : 'files without an extension'} in this project.` });
    }
  }
  if (errors.length > 0) {
    const shown = errors.slice(0, MAX_ERRORS_SHOWN).join(' ');
    const more = errors.length > MAX_ERRORS_SHOWN ? ` …and ${errors.length - MAX_ERRORS_SHOWN} more.` : '';
    throw new AppError('SOURCE_INVALID', `Some task files cannot be read, so Prodigy was not started. ${shown}${more} Ask your project manager to fix the file in File 360, then sync again.`);
  }
  if (tasks.length === 0) {
    throw new AppError('SOURCE_INVALID', 'None of this assignment’s files can be annotated in Prodigy (no text, Markdown, task or image files are synced yet).');
  }
  writeFileAtomic(target, `${tasks.map((task) => JSON.stringify(task)).join('\n')}\n`);
  return { file: target, tasks: tasks.length, skipped };
}

/** The assignment's instructions as the HTML Prodigy shows behind its help button. */
export function instructionsHtml(file: SyncedFile): string {
  const text = fs.readFileSync(file.file, 'utf8');
  if (extension(file.path) === '.html') return text;
  return `<pre style="white-space: pre-wrap; font: inherit">${escapeHtml(text)}</pre>`;
}

import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * Where an assignment lives on disk:
 *   <data>/assignments/<folder>/files/<path from the manifest>   verified files, mode 0700 folders
 *   <data>/assignments/<folder>/.partial/<key>.part              downloads in progress
 * Partials sit in the assignment's own folder, so the final rename never crosses file systems.
 */
export interface AssignmentLayout {
  root: string;
  files: string;
  partial: string;
}

const READABLE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

/** A folder name for an assignment id: the id itself when it is plain, else a hash of it. */
export function assignmentFolder(id: string): string {
  return READABLE_ID.test(id) ? id : `a-${createHash('sha256').update(id).digest('hex').slice(0, 32)}`;
}

export function assignmentLayout(dataDir: string, id: string): AssignmentLayout {
  const root = path.join(dataDir, 'assignments', assignmentFolder(id));
  return { root, files: path.join(root, 'files'), partial: path.join(root, '.partial') };
}

/** One partial per exact content: a new version or checksum never resumes an old partial. */
export function partialName(fileId: string, version: number, sha256: string): string {
  return `${createHash('sha256').update(`${fileId}\n${version}\n${sha256}`).digest('hex').slice(0, 40)}.part`;
}

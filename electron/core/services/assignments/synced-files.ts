import { checkRemotePath, resolveInside } from '../../kernel/platform/safe-path';
import { assignmentLayout } from './layout';
import type { AssignmentRow, SyncStore } from './store';

/** A file of an assignment as synced here: File 360's id and path, the version's sha256, and where it is on disk. */
export interface SyncedFile {
  id: string;
  path: string;
  sha256: string;
  file: string;
}

/** The assignment's synced files, where they are on disk (a path File 360 sent that could not be one is left out). */
export function syncedFiles(dataDir: string, store: SyncStore, row: AssignmentRow): SyncedFile[] {
  const root = assignmentLayout(dataDir, row.id).files;
  return store
    .files(row.id)
    .filter((file) => file.state === 'done')
    .flatMap((file) => {
      const checked = checkRemotePath(file.path);
      return checked.ok ? [{ id: file.id, path: file.path, sha256: file.sha256, file: resolveInside(root, checked.segments) }] : [];
    });
}

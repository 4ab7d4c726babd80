import fs from 'node:fs';
import path from 'node:path';
import type { AuditEvent } from '../kernel/audit/audit-log';
import type { LocalData } from '../kernel/db/local-data';
import type { File360Client } from '../remote/file360/client';
import type { AssignmentLayout } from '../services/assignments/layout';
import { checkRemotePath, collisionKey, resolveInside } from '../kernel/platform/safe-path';
import type { FileRow, SyncStore } from '../services/assignments/store';

export interface Work {
  row: FileRow;
  /** Where the file goes; its path was checked when the plan was made. */
  finalPath: string;
}

export interface Plan {
  work: Work[];
  removed: number;
  rejected: number;
  /** Nothing to fetch and the manifest was not even asked for. */
  unchanged: boolean;
}

export interface PlanDeps {
  data: LocalData;
  store: SyncStore;
  client: File360Client;
}

/** Size and mtime as recorded when the file was written: the no-change check reads no content. */
function unchangedOnDisk(file: string | null, row: FileRow): boolean {
  if (!file) return false;
  try {
    const stat = fs.statSync(file);
    return stat.size === row.local_size && Math.floor(stat.mtimeMs) === row.local_mtime_ms;
  } catch {
    return false;
  }
}

function removeEmptyParents(file: string, stopAt: string): void {
  for (let dir = path.dirname(file); dir.startsWith(stopAt + path.sep); dir = path.dirname(dir)) {
    try {
      fs.rmdirSync(dir);
    } catch {
      return;
    }
  }
}

/**
 * Names that cannot all exist on one disk: the same name in another case, or a
 * name used both as a file and as a folder ("a" and "a/b").
 */
function nameClashes() {
  const files = new Map<string, string>();
  const folders = new Map<string, string>();
  const prefixes = (relative: string) => relative.split('/').slice(0, -1).map((_, index, parts) => parts.slice(0, index + 1).join('/'));
  return {
    clash(relative: string): string | null {
      const key = collisionKey(relative);
      const twin = files.get(key);
      if (twin) return `It has the same name as "${twin}" on disks that ignore case.`;
      const inside = folders.get(key);
      if (inside) return `"${relative}" is also a folder in this assignment (it holds "${inside}").`;
      const fileFolder = prefixes(relative).find((prefix) => files.has(collisionKey(prefix)));
      return fileFolder ? `Its folder "${fileFolder}" is also a file in this assignment.` : null;
    },
    accept(relative: string): void {
      files.set(collisionKey(relative), relative);
      for (const prefix of prefixes(relative)) folders.set(collisionKey(prefix), relative);
    },
  };
}

/**
 * Which files to fetch. With File 360's manifest version unchanged only the
 * local rows and stat() are used; otherwise the manifest is diffed against
 * them, refused paths are recorded, and files no longer listed are removed.
 */
export async function planSync(deps: PlanDeps, assignmentId: string, layout: AssignmentLayout, manifestKnownCurrent: boolean, signal: AbortSignal): Promise<Plan> {
  const { store, data } = deps;
  const local = (relative: string) => {
    const checked = checkRemotePath(relative);
    return checked.ok ? resolveInside(layout.files, checked.segments) : null;
  };
  const toWork = (rows: FileRow[]) => rows.flatMap((row) => {
    const finalPath = local(row.path);
    return finalPath ? [{ row, finalPath }] : [];
  });

  if (manifestKnownCurrent) {
    const rows = store.files(assignmentId);
    // Only stat()ed here, so the path as stored is joined, not checked again (a third of a resync's
    // time): it was checked when stored, and any file this finds stale is checked again by toWork.
    const onDisk = (relative: string) => path.join(layout.files, relative);
    const stale = rows.filter((row) => row.state === 'done' && !unchangedOnDisk(onDisk(row.path), row));
    if (stale.length > 0) data.transaction(() => stale.forEach((row) => store.setState(assignmentId, row.id, 'pending')));
    const work = toWork([...rows.filter((row) => row.state === 'pending' || row.state === 'error'), ...stale]);
    return { work, removed: 0, rejected: 0, unchanged: work.length === 0 };
  }

  const rows = store.files(assignmentId);
  const manifest = await deps.client.manifest(assignmentId, signal);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const names = nameClashes();
  const audits: AuditEvent[] = [];
  const toDelete: FileRow[] = [];
  let rejected = 0;

  data.transaction(({ audit }) => {
    for (const item of manifest) {
      const existing = byId.get(item.id);
      byId.delete(item.id);
      const checked = checkRemotePath(item.path);
      const reason = checked.ok ? names.clash(item.path) : checked.reason;
      if (existing?.state === 'done' && existing.path !== item.path) toDelete.push(existing);
      if (reason) {
        rejected += 1;
        if (existing?.state !== 'rejected' || existing.error !== reason) {
          store.putRejected(assignmentId, item, reason);
          audits.push({ type: 'file.rejected', assignmentId, fileId: item.id, details: { path: item.path.slice(0, 300), reason } });
        }
        continue;
      }
      names.accept(item.path);
      const same = existing && existing.version === item.version_number && existing.sha256 === item.sha256 && existing.path === item.path;
      if (same && existing.state === 'done' && unchangedOnDisk(local(existing.path), existing)) continue;
      store.putPending(assignmentId, item);
    }
    // Whatever File 360 no longer lists is no longer shared with this user.
    for (const gone of byId.values()) {
      store.removeFile(assignmentId, gone.id);
      if (gone.state === 'done') toDelete.push(gone);
      audits.push({ type: 'file.removed', assignmentId, fileId: gone.id, details: { path: gone.path, reason: 'no longer in the assignment' } });
    }
    for (const event of audits) audit.append(event);
  });
  for (const row of toDelete) {
    const file = local(row.path);
    if (file) {
      fs.rmSync(file, { force: true });
      removeEmptyParents(file, layout.files);
    }
  }
  return { work: toWork(store.pendingFiles(assignmentId)), removed: toDelete.length, rejected, unchanged: false };
}

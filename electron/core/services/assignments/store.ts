import type Database from 'better-sqlite3';
import { prepared } from '../../kernel/platform/statements';
import type { Owner } from '../../kernel/identity';
import type { Assignment as WireAssignment, ManifestItem } from '../../remote/file360/wire';

export type FileState = 'pending' | 'done' | 'error' | 'rejected';

export interface AssignmentRow {
  id: string;
  server: string;
  tenant: string;
  user_id: string;
  name: string;
  status: string;
  role: string;
  permissions: string;
  sharer: string | null;
  sharing_date: string | null;
  due_date: string | null;
  expiration: string | null;
  manifest_version: string;
  file_count: number;
  total_size: number;
  project: string;
  reviewer_groups: string;
  synced_manifest_version: string | null;
  last_synced_at: string | null;
  sync_error: string | null;
  wiped_at: string | null;
  wipe_reason: string | null;
  wipe_detail: string | null;
  updated_at: string;
}

export interface FileRow {
  assignment_id: string;
  id: string;
  path: string;
  size: number;
  sha256: string;
  version: number;
  mime_type: string | null;
  etag: string | null;
  state: FileState;
  error: string | null;
  local_size: number | null;
  local_mtime_ms: number | null;
}


export type AssignmentColumns = Omit<AssignmentRow, 'synced_manifest_version' | 'last_synced_at' | 'sync_error' | 'wiped_at' | 'wipe_reason' | 'wipe_detail'>;

/**
 * An assignment from File 360 as the columns it is stored in. Serialising
 * happens here, before any transaction opens, so an assignment that cannot be
 * stored fails alone (the caller names it) instead of rolling back the others.
 */
export function assignmentRow(owner: Owner, a: WireAssignment, now: string): AssignmentColumns {
  return {
    id: a.id,
    server: owner.server,
    tenant: owner.tenant,
    user_id: owner.userId,
    name: a.name,
    status: a.status,
    role: a.role,
    permissions: JSON.stringify(a.permissions),
    sharer: a.sharer ? JSON.stringify(a.sharer) : null,
    sharing_date: a.sharing_date ?? null,
    due_date: a.due_date ?? null,
    expiration: a.expiration ?? null,
    manifest_version: a.manifest_version,
    file_count: a.file_count,
    total_size: a.total_size,
    project: JSON.stringify(a.project),
    reviewer_groups: JSON.stringify(a.reviewer_groups),
    updated_at: now,
  };
}

/** A time File 360 sent (ISO 8601), in ms; null when absent or unreadable. */
export function parseTime(value: string | null): number | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}

/** Reads and writes of the sync tables. Callers decide the transactions. */
export function createSyncStore(db: () => Database.Database) {
  const q = <P extends unknown[], R>(sql: string) => prepared<P, R>(db(), sql);
  return {
    assignment(id: string): AssignmentRow | undefined {
      return q<[string], AssignmentRow>('SELECT * FROM assignments WHERE id = ?').get(id);
    },

    /** Every assignment kept for a server and tenant, soonest due first. */
    assignments(place: { server: string; tenant: string }): AssignmentRow[] {
      return q<[string, string], AssignmentRow>(
        'SELECT * FROM assignments WHERE server = ? AND tenant = ? ORDER BY (due_date IS NULL), due_date, name',
      ).all(place.server, place.tenant);
    },

    /** Stores what File 360 says about an assignment; sync bookkeeping and wipe marks are kept. */
    upsertAssignment(owner: Owner, a: WireAssignment, now: string): void {
      this.upsertRow(assignmentRow(owner, a, now));
    },

    /** The same, for a row already made by `assignmentRow`. */
    upsertRow(row: AssignmentColumns): void {
      q(
        `INSERT INTO assignments (id, server, tenant, user_id, name, status, role, permissions, sharer, sharing_date, due_date,
           expiration, manifest_version, file_count, total_size, project, reviewer_groups, updated_at)
         VALUES (@id, @server, @tenant, @user_id, @name, @status, @role, @permissions, @sharer, @sharing_date, @due_date,
           @expiration, @manifest_version, @file_count, @total_size, @project, @reviewer_groups, @updated_at)
         ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, name = excluded.name, status = excluded.status, role = excluded.role,
           permissions = excluded.permissions, sharer = excluded.sharer, sharing_date = excluded.sharing_date,
           due_date = excluded.due_date, expiration = excluded.expiration, manifest_version = excluded.manifest_version,
           file_count = excluded.file_count, total_size = excluded.total_size, project = excluded.project,
           reviewer_groups = excluded.reviewer_groups, updated_at = excluded.updated_at`,
      ).run(row);
    },

    file(assignmentId: string, id: string): FileRow | undefined {
      return q<[string, string], FileRow>('SELECT * FROM files WHERE assignment_id = ? AND id = ?').get(assignmentId, id);
    },

    files(assignmentId: string): FileRow[] {
      return q<[string], FileRow>('SELECT * FROM files WHERE assignment_id = ?').all(assignmentId);
    },

    /** Files still to fetch: new, changed, or failed last time. */
    pendingFiles(assignmentId: string): FileRow[] {
      return q<[string], FileRow>("SELECT * FROM files WHERE assignment_id = ? AND state IN ('pending', 'error')").all(assignmentId);
    },

    filePage(assignmentId: string, offset: number, limit: number, problemsOnly: boolean): { total: number; rows: FileRow[] } {
      const where = problemsOnly ? "assignment_id = ? AND state IN ('error', 'rejected')" : 'assignment_id = ?';
      const total = q<[string], { n: number }>(`SELECT COUNT(*) AS n FROM files WHERE ${where}`).get(assignmentId)?.n ?? 0;
      const rows = q<[string, number, number], FileRow>(`SELECT * FROM files WHERE ${where} ORDER BY path LIMIT ? OFFSET ?`).all(
        assignmentId,
        limit,
        offset,
      );
      return { total, rows };
    },

    counts(assignmentId: string): Record<FileState, { files: number; bytes: number }> {
      const out = { pending: { files: 0, bytes: 0 }, done: { files: 0, bytes: 0 }, error: { files: 0, bytes: 0 }, rejected: { files: 0, bytes: 0 } };
      // Kept up by triggers on files (migration 9): one row per state, whatever the number of files.
      for (const row of q<[string], { state: FileState; files: number; bytes: number }>('SELECT state, files, bytes FROM file_counts WHERE assignment_id = ?').all(assignmentId)) {
        out[row.state] = { files: row.files, bytes: row.bytes };
      }
      return out;
    },

    /** A manifest entry, new or changed: it must be fetched again. */
    putPending(assignmentId: string, item: ManifestItem): void {
      q(
        `INSERT INTO files (assignment_id, id, path, size, sha256, version, mime_type, etag, state, error, local_size, local_mtime_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', NULL, NULL, NULL)
         ON CONFLICT (assignment_id, id) DO UPDATE SET path = excluded.path, size = excluded.size, sha256 = excluded.sha256,
           version = excluded.version, mime_type = excluded.mime_type, etag = excluded.etag, state = 'pending', error = NULL,
           local_size = NULL, local_mtime_ms = NULL`,
      ).run(assignmentId, item.id, item.path, item.size, item.sha256, item.version_number, item.mime_type ?? null, item.etag ?? null);
    },

    putRejected(assignmentId: string, item: ManifestItem, reason: string): void {
      this.putPending(assignmentId, item);
      this.setState(assignmentId, item.id, 'rejected', reason);
    },

    setState(assignmentId: string, fileId: string, state: FileState, error: string | null = null): void {
      q("UPDATE files SET state = ?, error = ? WHERE assignment_id = ? AND id = ?").run(state, error, assignmentId, fileId);
    },

    markDone(assignmentId: string, fileId: string, localSize: number, mtimeMs: number): void {
      q("UPDATE files SET state = 'done', error = NULL, local_size = ?, local_mtime_ms = ? WHERE assignment_id = ? AND id = ?").run(
        localSize,
        Math.floor(mtimeMs),
        assignmentId,
        fileId,
      );
    },

    removeFile(assignmentId: string, fileId: string): void {
      q('DELETE FROM files WHERE assignment_id = ? AND id = ?').run(assignmentId, fileId);
    },

    removeAllFiles(assignmentId: string): number {
      return q('DELETE FROM files WHERE assignment_id = ?').run(assignmentId).changes;
    },

    setSynced(assignmentId: string, manifestVersion: string | null, at: string | null, error: string | null): void {
      q('UPDATE assignments SET synced_manifest_version = ?, last_synced_at = COALESCE(?, last_synced_at), sync_error = ? WHERE id = ?').run(
        manifestVersion,
        at,
        error,
        assignmentId,
      );
    },

    /** Shared again after a wipe: it syncs from scratch. */
    unwipe(assignmentId: string): void {
      q('UPDATE assignments SET wiped_at = NULL, wipe_reason = NULL, wipe_detail = NULL, synced_manifest_version = NULL, last_synced_at = NULL WHERE id = ?').run(assignmentId);
    },

    setWiped(assignmentId: string, at: string, reason: string, detail: string | null = null): void {
      q('UPDATE assignments SET wiped_at = ?, wipe_reason = ?, wipe_detail = ?, synced_manifest_version = NULL, sync_error = NULL WHERE id = ?').run(
        at,
        reason,
        detail,
        assignmentId,
      );
    },
  };
}

export type SyncStore = ReturnType<typeof createSyncStore>;

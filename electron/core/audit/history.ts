import type Database from 'better-sqlite3';
import type { LocalData } from '../kernel/db/local-data';
import { prepared } from '../kernel/platform/statements';
import type { File360Client } from '../remote/file360/client';
import { File360Error } from '../kernel/http/errors';
import type { AuditRecord } from '../remote/file360/wire';
import type { Logger } from '../kernel/ports';
import type { Owner } from '../kernel/identity';

function cursorOf(db: Database.Database, owner: Owner, assignmentId: string): string | null {
  return (
    prepared<[string, string, string], { after_id: string }>(db, 'SELECT after_id FROM audit_remote_cursor WHERE server = ? AND tenant = ? AND assignment_id = ?').get(
      owner.server,
      owner.tenant,
      assignmentId,
    )?.after_id ?? null
  );
}

/** Stores one page and moves the cursor past it, together. Returns how many entries were new. */
function storePage(db: Database.Database, owner: Owner, assignmentId: string, items: readonly AuditRecord[], installationId: string, fetchedAt: string): number {
  const insert = prepared(
    db,
    `INSERT OR IGNORE INTO audit_remote (server, tenant, remote_id, assignment_id, event_type, audit_name, audit_date, user_id, target_user_id, agent_id, file_id, details, fetched_at)
     VALUES (@server, @tenant, @remote_id, @assignment_id, @event_type, @audit_name, @audit_date, @user_id, @target_user_id, @agent_id, @file_id, @details, @fetched_at)`,
  );
  let stored = 0;
  for (const item of items) {
    // This computer's own uploads come back too; its chain already holds them.
    if (item.id.startsWith(`${installationId}:`)) continue;
    stored += insert.run({
      server: owner.server,
      tenant: owner.tenant,
      remote_id: item.id,
      assignment_id: item.assignment_id ?? assignmentId,
      event_type: item.event_type,
      audit_name: item.audit_name ?? null,
      // One form of time on both sides, so the merged timeline sorts by plain text.
      audit_date: new Date(item.audit_date).toISOString(),
      user_id: item.user_id ?? null,
      target_user_id: item.target_user_id ?? null,
      agent_id: item.agent_id ?? null,
      file_id: item.file_id ?? null,
      details: JSON.stringify(item.details),
      fetched_at: fetchedAt,
    }).changes;
  }
  const last = items.at(-1);
  if (last) {
    prepared(
      db,
      `INSERT INTO audit_remote_cursor (server, tenant, assignment_id, after_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (server, tenant, assignment_id) DO UPDATE SET after_id = excluded.after_id`,
    ).run(owner.server, owner.tenant, assignmentId, last.id);
  }
  return stored;
}

export interface HistoryDeps {
  data: LocalData;
  logger: Logger;
  now(): string;
}

/**
 * Brings File 360's access history for these assignments up to date
 * (CONTRACTS §A.9): who downloaded, uploaded, escalated and decided, as the
 * server saw it. Each assignment resumes after the last entry stored, a page
 * at a time. Returns how many entries were new.
 */
export async function pullAuditHistory(deps: HistoryDeps, client: File360Client, owner: Owner, assignmentIds: readonly string[]): Promise<number> {
  let stored = 0;
  for (const assignmentId of assignmentIds) {
    try {
      for (let more = true, restarted = false; more; ) {
        const cursor = cursorOf(deps.data.require().db, owner, assignmentId);
        let page: Awaited<ReturnType<File360Client['auditHistory']>>;
        try {
          page = await client.auditHistory(assignmentId, cursor);
        } catch (error) {
          // File 360 no longer knows the entry the cursor names (its history was trimmed or restored):
          // read it again from the start, once; entries already here are not stored twice.
          if (!(error instanceof File360Error && error.status === 400) || cursor === null || restarted) throw error;
          deps.logger.warn('File 360 did not know the audit cursor; reading the history again from the start', { assignmentId });
          prepared(deps.data.require().db, 'DELETE FROM audit_remote_cursor WHERE server = ? AND tenant = ? AND assignment_id = ?').run(owner.server, owner.tenant, assignmentId);
          restarted = true;
          continue;
        }
        stored += deps.data.transaction(({ db, installationId }) => storePage(db, owner, assignmentId, page.items, installationId, deps.now()));
        more = page.more && page.items.length > 0;
      }
    } catch (error) {
      // A share that ended for this user has no history to show them; the others still do.
      if (!(error instanceof File360Error && (error.status === 403 || error.status === 404))) throw error;
      deps.logger.info('File 360 keeps no history of this assignment for this user', { assignmentId, status: error.status });
    }
  }
  return stored;
}

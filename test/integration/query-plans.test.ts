import path from 'node:path';
import type Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acknowledgedHashes } from '../../electron/core/kernel/audit/acks';
import { createAuditLog } from '../../electron/core/kernel/audit/audit-log';
import { pruneExpired } from '../../electron/core/kernel/db/retention';
import { auditFacets, auditTimeline } from '../../electron/core/audit/timeline';
import { ChainCheck } from '../../electron/core/kernel/audit/verify';
import { MIGRATIONS } from '../../electron/core/kernel/db/migrations';
import { openDatabase } from '../../electron/core/kernel/db/open';
import { createNotificationStore } from '../../electron/core/notifications/store';
import { createOutboxStore } from '../../electron/core/services/outbox/store';
import { createSyncStore, type FileState } from '../../electron/core/services/assignments/store';
import { ManualClock } from '../support/ports';
import { watchStatements } from '../support/statements';
import { tempDir } from '../support/tmp';

/**
 * Issue 17: no view or list call may grow with the history where a page would
 * do. The statements the app's own code runs for each view and list are
 * captured as they are prepared, and SQLite is asked how it would run each
 * (EXPLAIN QUERY PLAN). Without ANALYZE, as on a user's machine, the planner's
 * choice does not depend on how many rows there are, so an empty database
 * shows what a year's would do.
 */
const GROWING = ['audit', 'audit_remote', 'audit_acks', 'files', 'notifications', 'outbox'];

interface Captured {
  sql: string;
  params: unknown[];
}

function capturing(db: Database.Database): { db: Database.Database; take: () => Captured[] } {
  let seen: Captured[] = [];
  const watched = watchStatements(db, ({ sql, params }) => seen.push({ sql, params }));
  return {
    db: watched,
    take: () => {
      const taken = seen;
      seen = [];
      return taken;
    },
  };
}

/** SQLite's plan for a statement, one line per step. */
function plan(db: Database.Database, { sql, params }: Captured): string[] {
  return db
    .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...params)
    .map((row) => row.detail);
}

/** The steps that read a growing table whole, or sort all of it: what a page must never do. */
function growingSteps(sql: string, lines: string[], allowSort: boolean): string[] {
  // A walk of the table in id order that a LIMIT stops (audit.list's newest first) reads a page, not the table.
  const pagedById = /ORDER BY (\w+\.)?id( DESC)? LIMIT/i.test(sql) && !lines.some((line) => line.startsWith('USE TEMP B-TREE'));
  return lines.filter((line) => {
    const scan = /^SCAN (\w+)(.*)$/.exec(line);
    if (scan && GROWING.includes(scan[1] ?? '') && !/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY|USING PRIMARY KEY/.test(scan[2] ?? '') && !pagedById) return true;
    return !allowSort && /^USE TEMP B-TREE FOR (ORDER BY|DISTINCT|GROUP BY)$/.test(line);
  });
}

function database() {
  const db = openDatabase(path.join(tempDir(), 'companion.db'), { migrations: MIGRATIONS });
  const clock = new ManualClock();
  const captured = capturing(db);
  return { db, clock, captured };
}

const owner = { server: 'https://file360.example', tenant: 'acme', userId: 'u-ana' };

/** Each view and list the app serves, run through the app's own code. `sorts` marks those that sort only a few rows (what is still to send, the problems). */
const SCENARIOS: Array<{ name: string; sorts?: boolean; run(db: Database.Database, clock: ManualClock): void }> = [
  { name: 'Assignments: the list, soonest due first', sorts: true, run: (db) => void createSyncStore(() => db).assignments(owner) },
  { name: 'Assignments: files and bytes by state, for each row', run: (db) => void createSyncStore(() => db).counts('asg-1') },
  { name: 'An assignment’s file list, a page by path', run: (db) => void createSyncStore(() => db).filePage('asg-1', 0, 100, false) },
  { name: 'An assignment’s file list, problems only', sorts: true, run: (db) => void createSyncStore(() => db).filePage('asg-1', 0, 100, true) },
  { name: 'Audit: audit.list, newest first', run: (db, clock) => void createAuditLog(db, clock, () => 'local').list({ limit: 100 }) },
  { name: 'Audit: audit.list by event', run: (db, clock) => void createAuditLog(db, clock, () => 'local').list({ limit: 100, type: 'file.downloaded' }) },
  { name: 'Audit: audit.list by assignment, a later page', run: (db, clock) => void createAuditLog(db, clock, () => 'local').list({ limit: 100, assignmentId: 'asg-1', beforeId: 500 }) },
  { name: 'Audit view: both sources, unfiltered', run: (db) => void auditTimeline(db, { limit: 100 }) },
  { name: 'Audit view: by event', run: (db) => void auditTimeline(db, { limit: 100, type: 'file.downloaded' }) },
  { name: 'Audit view: by assignment, a later page', run: (db) => void auditTimeline(db, { limit: 100, assignmentId: 'asg-1', before: { ts: '2026-06-01T00:00:00.000Z', source: 'local', key: '500' } }) },
  { name: 'Audit view: a date range', run: (db) => void auditTimeline(db, { limit: 100, from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' }) },
  { name: 'Audit view: File 360’s entries of one type', run: (db) => void auditTimeline(db, { limit: 100, source: 'file360', type: 'download' }) },
  { name: 'Audit view: what the filters offer', run: (db) => void auditFacets(db) },
  { name: 'Notifications: the center, newest first', run: (db) => void createNotificationStore(() => db).list(owner, { filter: 'all', limit: 100 }) },
  { name: 'Notifications: unread only, a later page', run: (db) => void createNotificationStore(() => db).list(owner, { filter: 'unread', limit: 100, beforeId: 900 }) },
  { name: 'Notifications: one type', run: (db) => void createNotificationStore(() => db).list(owner, { filter: 'all', type: 'review.requested', limit: 100 }) },
  { name: 'Notifications: the unread badge', run: (db) => void createNotificationStore(() => db).unreadCount(owner) },
  { name: 'Outbox: what waits, then the history', sorts: true, run: (db) => void createOutboxStore(() => db).list({ states: ['queued', 'sending', 'failed', 'sent', 'discarded'], limit: 100 }) },
  { name: 'Outbox: the status bar counts', run: (db) => void createOutboxStore(() => db).pending() },
  { name: 'Outbox: the next rows to send', run: (db) => void createOutboxStore(() => db).due(owner, 0, ['package', 'audit'], 4, []) },
  { name: 'Start: rows a crash left sending go back to the queue', run: (db) => void createOutboxStore(() => db).requeueInterrupted('2026-11-22T09:00:00.000Z') },
  { name: 'Start: the audit check from its checkpoint', run: (db) => void ChainCheck.begin(db, 'since-last-check', '2026-11-22T09:00:00.000Z').finish() },
  { name: 'Acknowledgements of one page of the chain', run: (db) => void acknowledgedHashes(db, 1000, 2999) },
  {
    name: 'Start: retention, with nothing old enough to remove',
    run: (db, clock) => {
      const audit = createAuditLog(db, clock, () => 'local');
      db.transaction(() => pruneExpired({ db, audit, installationId: 'i' }, clock.now(), 365))();
    },
  },
];

describe('query plans: each view and list reads a page through an index, not the whole history', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, () => {
      const { db, clock, captured } = database();
      scenario.run(captured.db, clock);
      const statements = captured.take().filter(({ sql }) => /^\s*(WITH|SELECT|UPDATE|DELETE)/i.test(sql));
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        const lines = plan(db, statement);
        expect(growingSteps(statement.sql, lines, scenario.sorts === true), `${statement.sql}\n${lines.join('\n')}`).toEqual([]);
      }
    });
  }

  it('names the index each hot query uses', () => {
    const { db, captured } = database();
    const plans = (run: () => void) => {
      run();
      return captured
        .take()
        .map((statement) => plan(db, statement).join(' | '))
        .join(' || ');
    };
    expect(plans(() => auditTimeline(captured.db, { limit: 100, type: 'file.downloaded', source: 'local' }))).toContain('USING INDEX audit_by_type_ts');
    expect(plans(() => auditTimeline(captured.db, { limit: 100, assignmentId: 'asg-1', source: 'local' }))).toContain('USING INDEX audit_by_assignment_ts');
    expect(plans(() => auditTimeline(captured.db, { limit: 100, source: 'local' }))).toContain('USING INDEX audit_by_ts');
    expect(plans(() => createNotificationStore(() => captured.db).unreadCount(owner))).toContain('notifications_unread');
    expect(plans(() => createNotificationStore(() => captured.db).list(owner, { filter: 'unread', limit: 50 }))).toContain('notifications_unread');
    expect(plans(() => createOutboxStore(() => captured.db).requeueInterrupted('2026-11-22T09:00:00.000Z'))).toContain('outbox_pending');
    expect(plans(() => createOutboxStore(() => captured.db).due(owner, 0, ['package'], 8, []))).toContain('USING INDEX outbox_pending');
    expect(plans(() => createNotificationStore(() => captured.db).list(owner, { filter: 'all', type: 'decision.made', limit: 50 }))).toContain('notifications_by_type');
    expect(plans(() => createSyncStore(() => captured.db).counts('asg-1'))).toContain('file_counts');
    expect(plans(() => acknowledgedHashes(captured.db, 1, 2000))).toContain('audit_acks_by_range');
    expect(plans(() => createOutboxStore(() => captured.db).list({ states: ['sent'], limit: 50 }))).toContain('outbox_history');
  });
});

describe('the per-assignment file counters', () => {
  it('agree with counting the files, after any sequence of changes a sync makes', () => {
    const { db } = database();
    const store = createSyncStore(() => db);
    db.prepare(
      `INSERT INTO assignments (id, server, tenant, user_id, name, status, role, permissions, manifest_version, file_count, total_size, project, reviewer_groups, updated_at)
       VALUES ('asg-1', 's', 't', 'u', 'n', 'active', 'annotator', '[]', '1', 0, 0, '{}', '[]', 'now'), ('asg-2', 's', 't', 'u', 'n', 'active', 'annotator', '[]', '1', 0, 0, '{}', '[]', 'now')`,
    ).run();
    const operation = fc.oneof(
      fc.record({ op: fc.constant('put' as const), assignment: fc.constantFrom('asg-1', 'asg-2'), file: fc.integer({ min: 1, max: 30 }), size: fc.integer({ min: 0, max: 5000 }) }),
      fc.record({ op: fc.constant('state' as const), assignment: fc.constantFrom('asg-1', 'asg-2'), file: fc.integer({ min: 1, max: 30 }), state: fc.constantFrom<FileState>('pending', 'done', 'error', 'rejected') }),
      fc.record({ op: fc.constant('remove' as const), assignment: fc.constantFrom('asg-1', 'asg-2'), file: fc.integer({ min: 1, max: 30 }) }),
      fc.record({ op: fc.constant('wipe' as const), assignment: fc.constantFrom('asg-1', 'asg-2') }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        db.exec('DELETE FROM files');
        for (const o of operations) {
          const id = 'file' in o ? `fil-${o.file}` : '';
          if (o.op === 'put') store.putPending(o.assignment, { id, path: `${id}.txt`, size: o.size, sha256: '0'.repeat(64), version_number: 1, mime_type: 'text/plain', modify_date: '2026-01-01T00:00:00Z', etag: '"x"' });
          else if (o.op === 'state' && o.state === 'done') store.markDone(o.assignment, id, 1, 1);
          else if (o.op === 'state') store.setState(o.assignment, id, o.state);
          else if (o.op === 'remove') store.removeFile(o.assignment, id);
          else store.removeAllFiles(o.assignment);
        }
        for (const assignment of ['asg-1', 'asg-2']) {
          const counted = Object.fromEntries(
            db
              .prepare<[string], { state: string; files: number; bytes: number }>('SELECT state, COUNT(*) AS files, SUM(size) AS bytes FROM files WHERE assignment_id = ? GROUP BY state')
              .all(assignment)
              .map((row) => [row.state, { files: row.files, bytes: row.bytes }]),
          );
          const kept = Object.fromEntries(Object.entries(store.counts(assignment)).filter(([, value]) => value.files > 0));
          expect(kept).toEqual(counted);
        }
      }),
      { numRuns: 150 },
    );
  });
});

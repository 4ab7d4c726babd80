import type Database from 'better-sqlite3';
import type { AuditFacets, AuditType, TimelineEntry, TimelineInput, TimelinePage } from '../../../shared/api/schemas/audit';
import { prepared } from '../db/statements';

type Query = Required<Pick<TimelineInput, 'limit'>> & Omit<TimelineInput, 'limit'>;

/** Both sources as one row shape; `key` is the local id as text, or File 360's id. */
interface TimelineRow {
  key: string;
  id: number | null;
  ts: string;
  type: string;
  name: string | null;
  actor: string;
  assignment_id: string | null;
  file_id: string | null;
  details: string;
  hash: string | null;
}

const filters = (type: string, ts: string) => `(@type IS NULL OR ${type} = @type) AND (@assignment IS NULL OR assignment_id = @assignment)
  AND (@from IS NULL OR ${ts} >= @from) AND (@to IS NULL OR ${ts} <= @to)`;

/*
 * Newest first by time; at the same time this computer's entries come before
 * File 360's, then by id, descending. The cursor is the last entry shown.
 */
const LOCAL = `SELECT CAST(id AS TEXT) AS key, id, ts, type, NULL AS name, actor, assignment_id, file_id, details, hash FROM audit
  WHERE ${filters('type', 'ts')}
    AND (@before_ts IS NULL OR ts < @before_ts OR (ts = @before_ts AND @before_source = 'local' AND id < CAST(@before_key AS INTEGER)))
  ORDER BY ts DESC, id DESC LIMIT @limit`;

const REMOTE = `SELECT remote_id AS key, NULL AS id, audit_date AS ts, event_type AS type, audit_name AS name,
    'user:' || COALESCE(user_id, agent_id, 'unknown') AS actor, assignment_id, file_id, details, NULL AS hash
  FROM audit_remote
  WHERE ${filters('event_type', 'audit_date')}
    AND (@before_ts IS NULL OR audit_date < @before_ts OR (audit_date = @before_ts AND (@before_source = 'local' OR remote_id < @before_key)))
  ORDER BY audit_date DESC, remote_id DESC LIMIT @limit`;

/** Details as stored; text someone broke by hand is shown as it is rather than hiding the whole log. */
function detailsOf(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { unreadable: text.slice(0, 1000) };
}

const toEntry = (source: TimelineEntry['source']) => (row: TimelineRow): TimelineEntry => ({
  source,
  key: row.key,
  id: row.id,
  ts: row.ts,
  type: row.type,
  name: row.name,
  actor: row.actor,
  assignmentId: row.assignment_id,
  fileId: row.file_id,
  details: detailsOf(row.details),
  hash: row.hash,
});

/** Ranks entries the way the queries order them: is `a` shown before `b`? */
function newerFirst(a: TimelineEntry, b: TimelineEntry): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? 1 : -1;
  if (a.source !== b.source) return a.source === 'local' ? -1 : 1;
  if (a.id !== null && b.id !== null) return b.id - a.id;
  return a.key < b.key ? 1 : -1;
}

/**
 * The local chain and File 360's history merged in time order, filtered, a
 * page at a time. Each side is read already ordered and limited, then merged,
 * so a page costs two index walks, not a sort of everything.
 */
export function auditTimeline(db: Database.Database, query: Query): TimelinePage {
  const params = {
    type: query.type ?? null,
    assignment: query.assignmentId ?? null,
    from: query.from ?? null,
    to: query.to ?? null,
    before_ts: query.before?.ts ?? null,
    before_source: query.before?.source ?? null,
    before_key: query.before?.key ?? null,
    limit: query.limit + 1,
  };
  const sides = [
    query.source === 'file360' ? [] : prepared<typeof params, TimelineRow>(db, LOCAL).all(params).map(toEntry('local')),
    query.source === 'local' ? [] : prepared<typeof params, TimelineRow>(db, REMOTE).all(params).map(toEntry('file360')),
  ];
  const merged = sides.flat().sort(newerFirst);
  const entries = merged.slice(0, query.limit);
  const last = entries.at(-1);
  return { entries, next: merged.length > query.limit && last ? { ts: last.ts, source: last.source, key: last.key } : null };
}

/** What the filters can offer: this app's event types, File 360's with its names, and every assignment either side mentions. */
export function auditFacets(db: Database.Database): AuditFacets {
  const types = prepared<[], { type: AuditType }>(db, 'SELECT DISTINCT type FROM audit ORDER BY type').all();
  const remoteTypes = prepared<[], { type: string; name: string }>(
    db,
    'SELECT event_type AS type, COALESCE(MAX(audit_name), event_type) AS name FROM audit_remote GROUP BY event_type ORDER BY name',
  ).all();
  const assignments = prepared<[], { id: string }>(
    db,
    `SELECT assignment_id AS id FROM audit WHERE assignment_id IS NOT NULL
     UNION SELECT assignment_id FROM audit_remote WHERE assignment_id IS NOT NULL ORDER BY id`,
  ).all();
  return { types: types.map((r) => r.type), remoteTypes, assignments: assignments.map((r) => r.id) };
}

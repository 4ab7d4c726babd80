import type Database from 'better-sqlite3';
import type { AuditFacets, AuditType, TimelineEntry, TimelineInput, TimelinePage } from '../../../shared/api/schemas/audit';
import { actorUserId, localNames, type LocalNames } from '../kernel/db/names';
import { prepared } from '../kernel/platform/statements';

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

/**
 * One side's query, with only the filters in use: a term like `(@type IS NULL
 * OR type = @type)` hides the index a filter could use, and a year of entries
 * is then read to fill a page. `ts <= @before_ts` beside the cursor's own test
 * lets the walk start at the cursor instead of at the newest entry.
 */
function sideQuery(side: 'local' | 'remote', query: Query): string {
  const local = side === 'local';
  const ts = local ? 'ts' : 'audit_date';
  const terms = [
    query.type !== undefined ? `${local ? 'type' : 'event_type'} = @type` : null,
    query.assignmentId !== undefined ? 'assignment_id = @assignment' : null,
    query.from !== undefined ? `${ts} >= @from` : null,
    query.to !== undefined ? `${ts} <= @to` : null,
    query.before
      ? local
        ? `ts <= @before_ts AND (ts < @before_ts OR (@before_source = 'local' AND id < CAST(@before_key AS INTEGER)))`
        : `audit_date <= @before_ts AND (audit_date < @before_ts OR @before_source = 'local' OR remote_id < @before_key)`
      : null,
  ].filter((term): term is string => term !== null);
  const where = terms.length > 0 ? `WHERE ${terms.join(' AND ')}` : '';
  // Newest first by time; at the same time this computer's entries come before File 360's, then by id, descending.
  return local
    ? `SELECT CAST(id AS TEXT) AS key, id, ts, type, NULL AS name, actor, assignment_id, file_id, details, hash FROM audit ${where} ORDER BY ts DESC, id DESC LIMIT @limit`
    : `SELECT remote_id AS key, NULL AS id, audit_date AS ts, event_type AS type, audit_name AS name,
         'user:' || COALESCE(user_id, agent_id, 'unknown') AS actor, assignment_id, file_id, details, NULL AS hash
       FROM audit_remote ${where} ORDER BY audit_date DESC, remote_id DESC LIMIT @limit`;
}

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

/** The string values among an entry's details, one level into lists: where ids of people, assignments and files sit. */
function detailValues(details: Record<string, unknown>): string[] {
  return Object.values(details).flatMap((value) => (Array.isArray(value) ? value : [value])).filter((value): value is string => typeof value === 'string');
}

const toEntry = (source: TimelineEntry['source'], names: LocalNames) => (row: TimelineRow): TimelineEntry => {
  const details = detailsOf(row.details);
  const user = actorUserId(row.actor);
  const named = (id: string) => names.person(id) ?? names.assignment(id) ?? (row.assignment_id === null ? null : names.file(row.assignment_id, id));
  return {
    source,
    key: row.key,
    id: row.id,
    ts: row.ts,
    type: row.type,
    name: row.name,
    actor: row.actor,
    actorName: user === null ? null : names.person(user),
    assignmentId: row.assignment_id,
    assignmentName: row.assignment_id === null ? null : names.assignment(row.assignment_id),
    fileId: row.file_id,
    fileName: row.assignment_id === null || row.file_id === null ? null : names.file(row.assignment_id, row.file_id),
    details,
    names: Object.fromEntries(detailValues(details).flatMap((value) => {
      const name = named(value);
      return name === null ? [] : [[value, name]];
    })),
    hash: row.hash,
  };
};

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
  const names = localNames(db);
  const read = (side: 'local' | 'remote') => {
    const sql = sideQuery(side, query);
    // Only the parameters this text names: better-sqlite3 refuses unused named ones.
    const used = Object.fromEntries(Object.entries(params).filter(([name]) => sql.includes(`@${name}`)));
    return prepared<Record<string, unknown>, TimelineRow>(db, sql).all(used).map(toEntry(side === 'local' ? 'local' : 'file360', names));
  };
  const sides = [query.source === 'file360' ? [] : read('local'), query.source === 'local' ? [] : read('remote')];
  const merged = sides.flat().sort(newerFirst);
  const entries = merged.slice(0, query.limit);
  const last = entries.at(-1);
  return { entries, next: merged.length > query.limit && last ? { ts: last.ts, source: last.source, key: last.key } : null };
}

/**
 * The distinct values of an indexed column, one index seek each (a skip
 * scan): what the filters offer costs the number of choices, not the number of entries.
 */
const distinct = (table: string, column: string) => `WITH RECURSIVE seen(value) AS (
    SELECT MIN(${column}) FROM ${table}
    UNION ALL SELECT (SELECT MIN(${column}) FROM ${table} WHERE ${column} > seen.value) FROM seen WHERE seen.value IS NOT NULL
  ) SELECT value FROM seen WHERE value IS NOT NULL`;

/** What the filters can offer: this app's event types, File 360's with its names, and every assignment either side mentions. */
export function auditFacets(db: Database.Database): AuditFacets {
  const values = (table: string, column: string) => prepared<[], { value: string }>(db, distinct(table, column)).all().map((row) => row.value);
  // File 360's current name for the type: its newest entry that has one.
  const remoteName = prepared<[string], { name: string }>(
    db,
    'SELECT audit_name AS name FROM audit_remote WHERE event_type = ? AND audit_name IS NOT NULL ORDER BY audit_date DESC LIMIT 1',
  );
  const remoteTypes = values('audit_remote', 'event_type')
    .map((type) => ({ type, name: remoteName.get(type)?.name ?? type }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = localNames(db);
  const assignments = [...new Set([...values('audit', 'assignment_id'), ...values('audit_remote', 'assignment_id')])]
    .map((id) => ({ id, name: names.assignment(id) }))
    .sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id));
  return { types: values('audit', 'type') as AuditType[], remoteTypes, assignments };
}

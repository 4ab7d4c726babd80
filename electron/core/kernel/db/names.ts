import type Database from 'better-sqlite3';
import { prepared } from '../platform/statements';

/**
 * The names this computer knows for File 360's ids, so lists can show people,
 * assignments and files as a person knows them (the id stays beside the name
 * for whoever needs it). Null when nothing here names the id.
 */
export interface LocalNames {
  person(id: string): string | null;
  assignment(id: string): string | null;
  /** A file's path in its assignment. */
  file(assignmentId: string, fileId: string): string | null;
}

/**
 * Everyone File 360 has named to this computer: who is signed in, who signed
 * in before (the log keeps their names), who shared an assignment, who
 * decided an escalation, who raised or claimed a review.
 */
const PEOPLE = `
  SELECT json_extract(sharer, '$.id') AS id, json_extract(sharer, '$.display_name') AS name FROM assignments WHERE sharer IS NOT NULL
  UNION ALL SELECT json_extract(decision, '$.actor.id'), json_extract(decision, '$.actor.display_name') FROM escalations WHERE decision IS NOT NULL
  UNION ALL SELECT json_extract(created_by, '$.id'), json_extract(created_by, '$.display_name') FROM reviews WHERE json_valid(created_by)
  UNION ALL SELECT json_extract(assignee, '$.id'), json_extract(assignee, '$.display_name') FROM reviews WHERE json_valid(assignee)
  UNION ALL SELECT json_extract(details, '$.userId'), json_extract(details, '$.displayName') FROM audit WHERE type = 'auth.signed_in'
  UNION ALL SELECT user_id, display_name FROM accounts`;

/**
 * Names for one list call: people are read once, on first need (a later row
 * wins, so a signed-in account's own name beats what others called them);
 * assignments and files by their keys.
 */
export function localNames(db: Database.Database): LocalNames {
  let people: Map<string, string> | null = null;
  const readPeople = () =>
    new Map(
      prepared<[], { id: unknown; name: unknown }>(db, PEOPLE)
        .all()
        .filter((row): row is { id: string; name: string } => typeof row.id === 'string' && typeof row.name === 'string' && row.name.trim() !== '')
        .map((row) => [row.id, row.name]),
    );
  return {
    person(id) {
      people ??= readPeople();
      return people.get(id) ?? null;
    },
    assignment: (id) => prepared<[string], { name: string }>(db, 'SELECT name FROM assignments WHERE id = ?').get(id)?.name ?? null,
    file: (assignmentId, fileId) => prepared<[string, string], { path: string }>(db, 'SELECT path FROM files WHERE assignment_id = ? AND id = ?').get(assignmentId, fileId)?.path ?? null,
  };
}

/** The user id in an audit actor (`user:u-ana`); null for `local`, when no one was signed in. */
export function actorUserId(actor: string): string | null {
  return actor.startsWith('user:') ? actor.slice('user:'.length) : null;
}

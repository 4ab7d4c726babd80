import type { ExportView } from '../../../../shared/api/schemas/exports';
import type { Example } from '../disputes/types';
import type { Account } from '../../remote/file360/accounts';
import type { AssignmentRow, FileRow } from '../assignments/store';
import { sessionNameFor } from '../prodigy/home';

/** Bumped when the record's shape changes; records already written keep theirs. */
export const LINEAGE_FORMAT = 1;

export interface PersonRef {
  id: string;
  display_name: string | null;
}

export interface SessionRun {
  started_at: string;
  ended_at: string | null;
}

/**
 * What a package was made from, frozen when it was built: the same in the
 * package's manifest.json and in the `lineage` table. Snake case: it is a file
 * format that outlives this app's code. Escalations and decisions come later
 * and are joined from the live tables when the lineage is shown.
 */
export interface LineageRecord {
  format: number;
  assignment: { id: string; name: string; server: string; tenant: string; sharer: PersonRef | null; manifest_version: string; synced_at: string | null };
  dataset: string;
  sources: Array<{ file_id: string; path: string; version: number | null; sha256: string; answers: number }>;
  sessions: Array<{
    session_id: string;
    dataset: string;
    annotator: PersonRef & { organisation: string | null };
    counts: { total: number; accept: number; reject: number; ignore: number; flagged: number };
    first_answer_at: string | null;
    last_answer_at: string | null;
    runs: SessionRun[];
  }>;
  export: { trigger: ExportView['trigger']; created_at: string; exported_by: string; app: { name: string; version: string } };
}

/** The record as the app keeps it: with the package itself, which its own manifest cannot hold (nor its checksum). */
export interface StoredLineage extends LineageRecord {
  package: { name: string; sha256: string; size: number };
}

export interface FreezeInput {
  assignment: AssignmentRow;
  account: Account | null;
  dataset: string;
  files: readonly FileRow[];
  /** Prodigy runs of this assignment, by the session id (`<dataset>-<name>`) they answered in. */
  runs: ReadonlyMap<string, SessionRun[]>;
  examples: readonly Example[];
  trigger: ExportView['trigger'];
  createdAt: Date;
  app: { name: string; version: string };
}

/** The domain of an e-mail address: the organisation a person works for, as far as this app can know. */
export function organisationOf(email: string | null | undefined): string | null {
  const at = email?.lastIndexOf('@') ?? -1;
  const domain = at > 0 ? email?.slice(at + 1).trim().toLowerCase() : '';
  return domain || null;
}

const SHA256 = /^[0-9a-f]{64}$/;
const metaOf = (example: Example) => (example.meta && typeof example.meta === 'object' ? (example.meta as Record<string, unknown>) : {});
const timeOf = (seconds: number | null) => (seconds === null ? null : new Date(seconds * 1000).toISOString());

function sources(input: FreezeInput): LineageRecord['sources'] {
  const byId = new Map(input.files.map((file) => [file.id, file]));
  const found = new Map<string, LineageRecord['sources'][number]>();
  for (const example of input.examples) {
    const meta = metaOf(example);
    if (typeof meta.file_id !== 'string') continue;
    const key = `${meta.file_id}\n${String(meta.sha256)}`;
    const known = found.get(key);
    if (known) {
      known.answers += 1;
      continue;
    }
    const file = byId.get(meta.file_id);
    const sha256 = typeof meta.sha256 === 'string' ? meta.sha256 : (file?.sha256 ?? '');
    // A source is named by the bytes it had; without them there is nothing to name.
    if (!SHA256.test(sha256)) continue;
    // The version is only File 360's for the bytes these answers were made on.
    found.set(key, { file_id: meta.file_id, path: typeof meta.path === 'string' ? meta.path : (file?.path ?? ''), version: file?.sha256 === sha256 ? file.version : null, sha256, answers: 1 });
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path) || a.sha256.localeCompare(b.sha256));
}

function sessions(input: FreezeInput): LineageRecord['sessions'] {
  const own = `${input.dataset}-${sessionNameFor(input.assignment.user_id)}`;
  const account = input.account?.userId === input.assignment.user_id ? input.account : null;
  const bySession = new Map<string, { examples: Example[]; annotatorId: string }>();
  for (const example of input.examples) {
    const id = typeof example._session_id === 'string' ? example._session_id : input.dataset;
    const entry = bySession.get(id) ?? { examples: [], annotatorId: typeof example._annotator_id === 'string' ? example._annotator_id : id };
    entry.examples.push(example);
    bySession.set(id, entry);
  }
  return [...bySession.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([sessionId, { examples, annotatorId }]) => {
      const counts = { total: examples.length, accept: 0, reject: 0, ignore: 0, flagged: 0 };
      let first: number | null = null;
      let last: number | null = null;
      for (const example of examples) {
        counts[example.answer] += 1;
        if (example.flagged === true) counts.flagged += 1;
        if (typeof example._timestamp === 'number') {
          first = Math.min(first ?? example._timestamp, example._timestamp);
          last = Math.max(last ?? example._timestamp, example._timestamp);
        }
      }
      // This app names the signed-in user's session after them; any other session came into the dataset from elsewhere.
      const annotator = sessionId === own
        ? { id: input.assignment.user_id, display_name: account?.displayName ?? null, organisation: organisationOf(account?.email) }
        : { id: annotatorId, display_name: null, organisation: null };
      return { session_id: sessionId, dataset: input.dataset, annotator, counts, first_answer_at: timeOf(first), last_answer_at: timeOf(last), runs: input.runs.get(sessionId) ?? [] };
    });
}

export function freezeLineage(input: FreezeInput): LineageRecord {
  const row = input.assignment;
  return {
    format: LINEAGE_FORMAT,
    assignment: {
      id: row.id,
      name: row.name,
      server: row.server,
      tenant: row.tenant,
      sharer: row.sharer ? personOf(JSON.parse(row.sharer) as { id: string; display_name?: string }) : null,
      manifest_version: row.synced_manifest_version ?? row.manifest_version,
      synced_at: row.last_synced_at,
    },
    dataset: input.dataset,
    sources: sources(input),
    sessions: sessions(input),
    export: { trigger: input.trigger, created_at: input.createdAt.toISOString(), exported_by: row.user_id, app: input.app },
  };
}

function personOf(person: { id: string; display_name?: string | null }): PersonRef {
  return { id: person.id, display_name: person.display_name ?? null };
}

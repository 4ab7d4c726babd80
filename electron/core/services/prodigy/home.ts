import path from 'node:path';
import { assignmentFolder } from '../assignments/layout';
import type { AssignmentRow } from '../assignments/store';

/** An assignment's PRODIGY_HOME: its prodigy.json, its source and Prodigy's database. */
export function prodigyHome(dataDir: string, assignmentId: string): string {
  return path.join(dataDir, 'prodigy', assignmentFolder(assignmentId));
}

/** Prodigy session names end up in dataset names and URLs: keep them plain. */
export function sessionNameFor(userId: string): string {
  return userId.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'annotator';
}

/** The dataset Prodigy links this person's own answers to in an assignment: `<dataset>-<session name>` (CONTRACTS §C). */
export function ownSessionDataset(row: AssignmentRow): string {
  return `${(JSON.parse(row.project) as { dataset: string }).dataset}-${sessionNameFor(row.user_id)}`;
}

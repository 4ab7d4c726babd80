import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { WIPE_REASON_WORDS, type WipeReason } from '../../../../shared/words';
import type { AssignmentRow } from './store';

/**
 * What a wipe removed, what reached File 360 before it and what could not, by
 * kind. Counts and kinds only: this goes into the audit log, which keeps its
 * chain for good and so must never hold task text.
 */
export interface WipeTally {
  removed: Record<string, number>;
  delivered: Record<string, number>;
  lost: Record<string, number>;
  /** Of the lost answers, how many were in packages that waited to be sent, and how many were never exported. */
  lostAnswers: { queued: number; unexported: number };
  /** Why what was lost could not be sent, in words ("File 360 could not be reached"); null when nothing was lost or no reason is known. */
  why: string | null;
}

export function emptyTally(): WipeTally {
  return { removed: {}, delivered: {}, lost: {}, lostAnswers: { queued: 0, unexported: 0 }, why: null };
}

/** Adds `n` to a kind's count; a zero is not recorded. */
export function count(into: Record<string, number>, kind: string, n: number): void {
  if (n > 0) into[kind] = (into[kind] ?? 0) + n;
}

/**
 * When a step settles and erases, in the order parts of a wipe depend on each
 * other: work on the assignment stops (every answer is in Prodigy's database),
 * what waits to leave gets its last call, exports count what arrived and what
 * did not, notifications are stripped of what they name, and then the rows
 * they named are removed.
 */
export const WIPE_STAGES = ['stop-work', 'last-call', 'count', 'strip', 'remove'] as const;
export type WipeStage = (typeof WIPE_STAGES)[number];

/**
 * One feature's part in a wipe. Features register their steps (like outbox
 * kinds): each knows what it keeps of an assignment. The engine runs every
 * `settle`, by stage, then removes every folder, then runs every `erase`, by
 * stage, in one transaction with the audit entry.
 */
export interface WipeStep {
  /** Names the step in the log when its settle fails. */
  readonly name: string;
  readonly stage: WipeStage;
  /**
   * Before anything is removed: stop work on the assignment (Prodigy), give
   * what can still leave one last chance, count what cannot. A failure is
   * logged and the wipe goes on: the files must go whatever else happens.
   */
  settle?(row: AssignmentRow, tally: WipeTally): Promise<void>;
  /** Folders (absolute) this feature keeps for the assignment, by the kind their files are counted as. */
  folders?(row: AssignmentRow): Array<{ kind: string; dir: string }>;
  /** Inside the wipe's transaction: remove, or strip of task text, the rows kept for the assignment, counting them. */
  erase?(row: AssignmentRow, db: Database.Database, tally: WipeTally): void;
}

/** Regular files under a folder, counted without reading them. */
export function filesIn(dir: string): number {
  try {
    return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
  } catch {
    return 0;
  }
}

/** Removes a folder and everything in it; throws when any of it is still there. */
export function removeFolder(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  if (fs.existsSync(dir)) throw new Error(`${path.basename(dir)} is still there after removing it`);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

function list(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** What was lost, in words: "3 answers (2 in a package waiting to be sent, 1 not yet exported) and 1 escalation". */
export function lostWords(tally: WipeTally): string | null {
  const parts: string[] = [];
  const answers = tally.lost.answers ?? 0;
  const packages = tally.lost.packages ?? 0;
  if (answers > 0) {
    const { queued, unexported } = tally.lostAnswers;
    const waiting = `in ${packages === 1 ? 'a package' : `${packages.toLocaleString('en')} packages`} waiting to be sent`;
    if (queued > 0 && unexported > 0) parts.push(`${plural(answers, 'answer')} (${queued.toLocaleString('en')} ${waiting}, ${unexported.toLocaleString('en')} not yet exported)`);
    else if (queued > 0) parts.push(`${plural(answers, 'answer')} ${waiting}`);
    else parts.push(`${plural(answers, 'answer')} not yet exported`);
  } else if (packages > 0) {
    parts.push(plural(packages, 'package'));
  }
  if ((tally.lost.escalations ?? 0) > 0) parts.push(plural(tally.lost.escalations ?? 0, 'escalation'));
  if ((tally.lost.decisions ?? 0) > 0) parts.push(plural(tally.lost.decisions ?? 0, 'review decision'));
  return parts.length > 0 ? list(parts) : null;
}

/** The sentence after "“Name” expired, so its files were deleted from this computer.": what reached File 360, or what did not. */
export function outcomeWords(tally: WipeTally): string | null {
  const lost = lostWords(tally);
  if (lost) return `${lost.charAt(0).toUpperCase()}${lost.slice(1)} could not be sent to File 360 before access ended${tally.why ? ` (${tally.why})` : ''} and ${lost.startsWith('1 ') && !lost.includes(' and ') ? 'was' : 'were'} deleted with the files.`;
  const delivered = tally.delivered.answers ?? 0;
  if (delivered === 1) return 'Your answer had reached File 360 before that.';
  if (delivered > 1) return `All ${plural(delivered, 'answer')} had reached File 360 before that.`;
  return null;
}

export function wipedBody(name: string, reason: WipeReason, tally: WipeTally): string {
  const outcome = outcomeWords(tally);
  return `“${name}” ${WIPE_REASON_WORDS[reason]}, so its files were deleted from this computer.${outcome ? ` ${outcome}` : ''}`.slice(0, 1000);
}

/** The steps in the order they run: by stage, and within a stage as registered. */
export function byStage(steps: readonly WipeStep[]): WipeStep[] {
  return [...steps].sort((a, b) => WIPE_STAGES.indexOf(a.stage) - WIPE_STAGES.indexOf(b.stage));
}

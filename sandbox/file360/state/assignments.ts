import type { SandboxClock } from '../clock';
import { ApiError, notFound } from '../errors';
import type { FixtureAssignment, Permission } from '../fixture';
import { sql, type Db } from './db';
import type { Files } from './files';

export type AssignmentStatus = 'active' | 'expired' | 'revoked';

export interface AssignmentRecord {
  id: string;
  name: string;
  role: 'annotator' | 'reviewer';
  permissions: Permission[];
  sharer: { id: string; display_name: string };
  sharing_date: string;
  due_date: string | null;
  expiration: string | null;
  revoked: boolean;
  manifest_version: number;
  project: Record<string, unknown>;
  reviewer_groups: string[];
}

interface Row extends Omit<AssignmentRecord, 'permissions' | 'sharer' | 'revoked' | 'project' | 'reviewer_groups'> {
  permissions: string;
  sharer: string;
  revoked: number;
  project: string;
  reviewer_groups: string;
}

const fromRow = (row: Row): AssignmentRecord => ({
  ...row,
  permissions: JSON.parse(row.permissions) as Permission[],
  sharer: JSON.parse(row.sharer) as AssignmentRecord['sharer'],
  revoked: row.revoked === 1,
  project: JSON.parse(row.project) as Record<string, unknown>,
  reviewer_groups: JSON.parse(row.reviewer_groups) as string[],
});

export class Assignments {
  constructor(
    private readonly db: Db,
    private readonly clock: SandboxClock,
    private readonly files: Files,
  ) {}

  insert(assignment: FixtureAssignment): void {
    this.db.transaction(() => {
      sql(
        this.db,
        `INSERT INTO assignments (id, name, role, permissions, sharer, sharing_date, due_date, expiration, project, reviewer_groups)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        assignment.id,
        assignment.name,
        assignment.role,
        JSON.stringify(assignment.permissions),
        JSON.stringify(assignment.sharer),
        assignment.sharing_date,
        assignment.due_date,
        assignment.expiration,
        JSON.stringify(assignment.project),
        JSON.stringify(assignment.reviewer_groups),
      );
      const share = sql(this.db, 'INSERT INTO assignment_users (assignment_id, user_id) VALUES (?, ?)');
      for (const userId of assignment.user_ids) share.run(assignment.id, userId);
      for (const file of assignment.files) this.files.add(assignment.id, file);
    })();
  }

  get(id: string): AssignmentRecord | undefined {
    const row = sql(this.db, 'SELECT * FROM assignments WHERE id = ?').get(id) as Row | undefined;
    return row && fromRow(row);
  }

  all(): AssignmentRecord[] {
    return (sql(this.db, 'SELECT * FROM assignments ORDER BY id').all() as Row[]).map(fromRow);
  }

  forUser(userId: string, offset: number, limit: number): AssignmentRecord[] {
    const shared = 'SELECT a.* FROM assignments a JOIN assignment_users u ON u.assignment_id = a.id WHERE u.user_id = ? ORDER BY a.id LIMIT ? OFFSET ?';
    const rows = sql(this.db, shared).all(userId, limit, offset) as Row[];
    return rows.map(fromRow);
  }

  countForUser(userId: string): number {
    return (sql(this.db, 'SELECT count(*) AS n FROM assignment_users WHERE user_id = ?').get(userId) as { n: number }).n;
  }

  userIds(id: string): string[] {
    return (sql(this.db, 'SELECT user_id FROM assignment_users WHERE assignment_id = ? ORDER BY user_id').all(id) as { user_id: string }[]).map((row) => row.user_id);
  }

  status(assignment: AssignmentRecord): AssignmentStatus {
    if (assignment.revoked) return 'revoked';
    if (assignment.expiration !== null && Date.parse(assignment.expiration) <= this.clock.now().getTime()) return 'expired';
    return 'active';
  }

  /**
   * file_count and total_size by manifest_version, which every change to a
   * listed file bumps: a list of fifty assignments with 200 000 files does not
   * add them all up again at every request, as no real server would.
   */
  private readonly totals = new Map<string, { version: number; totals: ReturnType<Files['totals']> }>();

  /** The assignment as CONTRACTS §A.5 shows it. */
  view(assignment: AssignmentRecord) {
    const { revoked: _revoked, ...fields } = assignment;
    let known = this.totals.get(assignment.id);
    if (known?.version !== assignment.manifest_version) {
      known = { version: assignment.manifest_version, totals: this.files.totals(assignment.id) };
      this.totals.set(assignment.id, known);
    }
    return { ...fields, status: this.status(assignment), ...known.totals };
  }

  /**
   * The assignment if this user may use it now: someone else's is "not found"
   * (its existence is not theirs to know), an ended one is 403 with the reason.
   */
  open(userId: string, id: string, permission?: Permission): AssignmentRecord {
    const assignment = this.get(id);
    const assigned = sql(this.db, 'SELECT 1 FROM assignment_users WHERE assignment_id = ? AND user_id = ?').get(id, userId);
    if (!assignment || !assigned) throw notFound(`Assignment ${id}`);
    const status = this.status(assignment);
    if (status === 'revoked') throw new ApiError(403, 'ASSIGNMENT_REVOKED', `Assignment ${id} was revoked by its owner.`);
    if (status === 'expired') throw new ApiError(403, 'ASSIGNMENT_EXPIRED', `Assignment ${id} expired at ${assignment.expiration}.`);
    if (permission && !assignment.permissions.includes(permission)) {
      throw new ApiError(403, 'FORBIDDEN', `Assignment ${id} does not give you the "${permission}" permission.`);
    }
    return assignment;
  }

  setExpiration(id: string, expiration: string | null): void {
    if (sql(this.db, 'UPDATE assignments SET expiration = ? WHERE id = ?').run(expiration, id).changes === 0) throw notFound(`Assignment ${id}`);
  }

  setRevoked(id: string, revoked: boolean): void {
    if (sql(this.db, 'UPDATE assignments SET revoked = ? WHERE id = ?').run(revoked ? 1 : 0, id).changes === 0) throw notFound(`Assignment ${id}`);
  }

  /** Takes the assignment away from a user: it leaves their list, unlike a revocation, which stays listed as "revoked". */
  unshare(id: string, userId: string): void {
    if (sql(this.db, 'DELETE FROM assignment_users WHERE assignment_id = ? AND user_id = ?').run(id, userId).changes === 0) throw notFound(`Assignment ${id} for ${userId}`);
  }
}

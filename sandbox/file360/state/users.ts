import type { FixtureUser } from '../fixture';
import { sql, type Db } from './db';

export interface User {
  id: string;
  username: string;
  display_name: string;
  email: string;
  roles: string[];
  groups: string[];
}

/** A user as tests and the CLI see them, password included (it is a sandbox). */
export type SandboxUser = User & { password: string };

interface Row {
  id: string;
  username: string;
  password: string;
  display_name: string;
  email: string;
  roles: string;
  groups_json: string;
}

const fromRow = (row: Row): SandboxUser => ({
  id: row.id,
  username: row.username,
  password: row.password,
  display_name: row.display_name,
  email: row.email,
  roles: JSON.parse(row.roles) as string[],
  groups: JSON.parse(row.groups_json) as string[],
});

export class Users {
  constructor(private readonly db: Db) {}

  insert(user: FixtureUser): void {
    const insert = sql(this.db, 'INSERT INTO users (id, username, password, display_name, email, roles, groups_json) VALUES (?, ?, ?, ?, ?, ?, ?)');
    insert.run(user.id, user.username, user.password, user.display_name, user.email, JSON.stringify(user.roles), JSON.stringify(user.groups));
  }

  all(): SandboxUser[] {
    return (sql(this.db, 'SELECT * FROM users ORDER BY username').all() as Row[]).map(fromRow);
  }

  byId(id: string): User | undefined {
    const row = sql(this.db, 'SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
    return row && withoutPassword(fromRow(row));
  }

  /** The user whose username and password these are, if any. */
  authenticate(username: string, password: string): User | undefined {
    const row = sql(this.db, 'SELECT * FROM users WHERE username = ?').get(username) as Row | undefined;
    return row && row.password === password ? withoutPassword(fromRow(row)) : undefined;
  }
}

function withoutPassword({ password: _password, ...user }: SandboxUser): User {
  return user;
}

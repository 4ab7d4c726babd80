import type Database from 'better-sqlite3';
import { prepared } from '../../kernel/platform/statements';
import type { Me } from './wire';

export interface Account {
  server: string;
  tenant: string;
  userId: string;
  displayName: string;
  email: string | null;
  roles: string[];
  groups: string[];
}

/**
 * What the account's roles (CONTRACTS §A.4) let it do here. Managers decide
 * escalations too (File 360 shows them every one), so they review.
 */
export function rolesOf(account: Pick<Account, 'roles'>): { reviews: boolean; annotates: boolean } {
  return { reviews: account.roles.includes('reviewer') || account.roles.includes('manager'), annotates: account.roles.includes('annotator') };
}

interface Row {
  server: string;
  tenant: string;
  user_id: string;
  display_name: string;
  email: string | null;
  roles: string;
  groups: string;
}

/** Who is signed in to which server; never a token. */
export function createAccountStore(db: () => Database.Database) {
  return {
    find(server: string, tenant: string): Account | null {
      const row = prepared<[string, string], Row>(db(), 'SELECT * FROM accounts WHERE server = ? AND tenant = ?').get(server, tenant);
      if (!row) return null;
      return {
        server: row.server,
        tenant: row.tenant,
        userId: row.user_id,
        displayName: row.display_name,
        email: row.email,
        roles: JSON.parse(row.roles) as string[],
        groups: JSON.parse(row.groups) as string[],
      };
    },
    save(server: string, tenant: string, me: Me, now: Date): Account {
      prepared(
        db(),
        `INSERT INTO accounts (server, tenant, user_id, display_name, email, roles, groups, signed_in_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (server, tenant) DO UPDATE SET user_id = excluded.user_id, display_name = excluded.display_name,
             email = excluded.email, roles = excluded.roles, groups = excluded.groups, signed_in_at = excluded.signed_in_at`,
      ).run(server, tenant, me.id, me.display_name, me.email ?? null, JSON.stringify(me.roles), JSON.stringify(me.groups), now.toISOString());
      return { server, tenant, userId: me.id, displayName: me.display_name, email: me.email ?? null, roles: me.roles, groups: me.groups };
    },
    remove(server: string, tenant: string): void {
      prepared(db(), 'DELETE FROM accounts WHERE server = ? AND tenant = ?').run(server, tenant);
    },
  };
}

export type AccountStore = ReturnType<typeof createAccountStore>;

import type { Context } from './context';
import type { Fixture } from './fixture';
import { getMeta, setMeta, type Db } from './state/db';

export interface Identity {
  tenant: string;
  clientId: string;
  seed: number;
}

/** What a data folder was seeded with, or undefined for a fresh one. */
export function storedIdentity(db: Db): Identity | undefined {
  const tenant = getMeta(db, 'tenant');
  const clientId = getMeta(db, 'client_id');
  const seed = getMeta(db, 'seed');
  return tenant && clientId && seed ? { tenant, clientId, seed: Number(seed) } : undefined;
}

/**
 * Loads a fixture into an empty database in one transaction, hashing each
 * generated file once; the identity is written last, so a seed cut short is
 * redone on the next start rather than half-used.
 */
export function seedFixture(ctx: Context, db: Db, fixture: Fixture): void {
  db.transaction(() => {
    for (const user of fixture.users) ctx.users.insert(user);
    for (const assignment of fixture.assignments) ctx.assignments.insert(assignment);
    setMeta(db, 'tenant', fixture.tenant);
    setMeta(db, 'client_id', ctx.clientId);
    setMeta(db, 'seed', String(fixture.seed));
  })();
}

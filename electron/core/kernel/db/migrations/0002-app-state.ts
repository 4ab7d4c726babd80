import type { Migration } from '../migrate';

/** Small facts about this installation (its id, first start), never secrets. */
export default {
  version: 2,
  name: 'app state',
  sql: `
    CREATE TABLE app_state (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) WITHOUT ROWID;
  `,
} satisfies Migration;

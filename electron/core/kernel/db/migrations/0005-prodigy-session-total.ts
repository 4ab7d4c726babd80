import type { Migration } from '../migrate';

/** How many tasks a run had, so a session that has ended still shows "3 of 40" rather than a bare count. */
export default {
  version: 5,
  name: 'prodigy session total',
  sql: `ALTER TABLE prodigy_sessions ADD COLUMN total INTEGER;`,
} satisfies Migration;

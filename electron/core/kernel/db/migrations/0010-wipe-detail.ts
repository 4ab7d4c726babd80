import type { Migration } from '../migrate';

/**
 * What a wipe delivered first and what it could not, in the words the user
 * was told (no task text), kept with the assignment so its page says it too.
 */
export default {
  version: 10,
  name: 'wipe detail',
  sql: `ALTER TABLE assignments ADD COLUMN wipe_detail TEXT;`,
} satisfies Migration;

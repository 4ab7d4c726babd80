import type { Migration } from '../migrate';

/**
 * outbox_pending (state, id) already serves "queued rows, oldest first": the
 * second index on the same rows only cost every enqueue and every change of
 * state an extra b-tree write (10–20 % of an enqueue in the outbox bench's
 * profile). The plan of the sender's query is checked in query-plans.test.ts.
 */
export default {
  version: 12,
  name: 'one index for the rows still to send',
  sql: `
    DROP INDEX outbox_queued;
  `,
} satisfies Migration;

import type { Migration } from '../migrate';

/**
 * Which Prodigy ran each session (as `prodigy stats` reported it), and the
 * inter-annotator agreement each export measured, so the assignment page can
 * show the latest without exporting again.
 */
export default {
  version: 9,
  name: 'prodigy version and export agreement',
  sql: `
    ALTER TABLE prodigy_sessions ADD COLUMN prodigy_version TEXT;
    ALTER TABLE exports ADD COLUMN agreement TEXT;
  `,
} satisfies Migration;

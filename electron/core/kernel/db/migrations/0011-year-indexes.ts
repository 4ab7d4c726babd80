import type { Migration } from '../migrate';

/**
 * What a year of work needs to stay as quick as the first day (issue 17):
 * each list and view reads a page through an index in its own order, never a
 * sort of everything kept. Each index is named for the query it serves; the
 * query plans are checked in test/integration/query-plans.test.ts.
 */
export default {
  version: 11,
  name: 'indexes and counters for a year of data',
  sql: `
    -- A check of the chain reads the acknowledgements of the page it is on, not all of them.
    CREATE INDEX audit_acks_by_range ON audit_acks (last_id, first_id);
    -- The Audit view, newest first by time, filtered by event or assignment.
    CREATE INDEX audit_by_type_ts ON audit (type, ts);
    CREATE INDEX audit_by_assignment_ts ON audit (assignment_id, ts);
    CREATE INDEX audit_remote_by_time ON audit_remote (audit_date);
    CREATE INDEX audit_remote_by_type ON audit_remote (event_type, audit_date);
    CREATE INDEX audit_remote_by_assignment ON audit_remote (assignment_id, audit_date);
    -- An assignment's files and bytes by state (the Assignments view), kept up by triggers: one row
    -- per state to read, not one per file.
    CREATE TABLE file_counts (
      assignment_id TEXT NOT NULL,
      state         TEXT NOT NULL,
      files         INTEGER NOT NULL,
      bytes         INTEGER NOT NULL,
      PRIMARY KEY (assignment_id, state)
    ) WITHOUT ROWID;
    INSERT INTO file_counts (assignment_id, state, files, bytes)
      SELECT assignment_id, state, COUNT(*), COALESCE(SUM(size), 0) FROM files GROUP BY assignment_id, state;
    CREATE TRIGGER files_counted_insert AFTER INSERT ON files BEGIN
      INSERT INTO file_counts (assignment_id, state, files, bytes) VALUES (NEW.assignment_id, NEW.state, 1, NEW.size)
        ON CONFLICT (assignment_id, state) DO UPDATE SET files = files + 1, bytes = bytes + excluded.bytes;
    END;
    CREATE TRIGGER files_counted_delete AFTER DELETE ON files BEGIN
      UPDATE file_counts SET files = files - 1, bytes = bytes - OLD.size WHERE assignment_id = OLD.assignment_id AND state = OLD.state;
      DELETE FROM file_counts WHERE assignment_id = OLD.assignment_id AND state = OLD.state AND files = 0;
    END;
    CREATE TRIGGER files_counted_update AFTER UPDATE OF assignment_id, state, size ON files BEGIN
      UPDATE file_counts SET files = files - 1, bytes = bytes - OLD.size WHERE assignment_id = OLD.assignment_id AND state = OLD.state;
      DELETE FROM file_counts WHERE assignment_id = OLD.assignment_id AND state = OLD.state AND files = 0;
      INSERT INTO file_counts (assignment_id, state, files, bytes) VALUES (NEW.assignment_id, NEW.state, 1, NEW.size)
        ON CONFLICT (assignment_id, state) DO UPDATE SET files = files + 1, bytes = bytes + excluded.bytes;
    END;
    -- A Prodigy session's answer counts, remembered with the state of Prodigy's database they were read at.
    ALTER TABLE prodigy_sessions ADD COLUMN counts TEXT;
    ALTER TABLE prodigy_sessions ADD COLUMN counts_stamp TEXT;
    -- The notification center's unread filter and badge, and its type filter.
    CREATE INDEX notifications_unread ON notifications (server, tenant, user_id, id DESC)
      WHERE cleared_ms IS NULL AND read_ms IS NULL AND delivery <> 'collapsed';
    CREATE INDEX notifications_by_type ON notifications (server, tenant, user_id, type, id DESC) WHERE cleared_ms IS NULL;
    -- Retention removes old notifications without reading the rest.
    CREATE INDEX notifications_by_received ON notifications (received_ms);
    -- The Outbox view's history, newest first, past the rows still to send.
    CREATE INDEX outbox_history ON outbox (id DESC) WHERE state IN ('sent', 'discarded');
  `,
} satisfies Migration;

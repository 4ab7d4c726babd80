import { prepared } from '../db/statements';
import { count, type WipeStep } from '../sync/wipe';
import { REMOVED_SUMMARY, strippedTitle } from './stripped';

/**
 * Notifications about a wiped assignment stay in the center as a record that
 * they came, but say no more than their kind and the assignment's name: Push
 * titles and summaries may quote a task (a review request does). Added before
 * the escalations' and reviews' steps, whose ids it uses to find the ones
 * about their items.
 */
export function notificationsWipeStep(): WipeStep {
  return {
    name: 'notifications',
    erase(row, db, tally) {
      const about = prepared<Record<string, string>, { id: number; type: string }>(
        db,
        `SELECT id, type FROM notifications
          WHERE (json_extract(data, '$.assignment_id') = @id OR topic = 'assignment.' || @id
                 OR json_extract(data, '$.escalation_id') IN (SELECT remote_id FROM escalations WHERE assignment_id = @id UNION SELECT id FROM reviews WHERE assignment_id = @id))
            AND summary <> @removed`,
      ).all({ id: row.id, removed: REMOVED_SUMMARY });
      const strip = prepared<[string, string, string, number]>(db, 'UPDATE notifications SET title = ?, summary = ?, data = ? WHERE id = ?');
      for (const n of about) strip.run(strippedTitle(n.type, row.name), REMOVED_SUMMARY, JSON.stringify({ assignment_id: row.id }), n.id);
      count(tally.removed, 'notificationTexts', about.length);
    },
  };
}

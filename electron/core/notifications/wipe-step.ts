import { prepared } from '../kernel/platform/statements';
import type { Clock } from '../kernel/ports';
import { count, type WipeStep } from '../services/assignments/wipe';
import { REMOVED_SUMMARY, strippedTitle } from './stripped';

/**
 * Notifications about a wiped assignment stay in the center as a record that
 * they came. Those from Push say no more than their kind and the assignment's
 * name, since their titles and summaries may quote a task (a review request
 * does); the app's own (reminders, sending ahead of the expiry) never quote
 * one and keep their words. All are marked read: nothing in them is left to
 * act on, and the wipe's own notification is the one to read. Added before
 * the escalations' and reviews' steps, whose ids it uses to find the ones
 * about their items.
 */
export function notificationsWipeStep(clock: Clock): WipeStep {
  return {
    name: 'notifications',
    stage: 'strip',
    erase(row, db, tally) {
      const about = prepared<Record<string, string>, { id: number; type: string; source: string }>(
        db,
        `SELECT id, type, source FROM notifications
          WHERE json_extract(data, '$.assignment_id') = @id OR topic = 'assignment.' || @id
             OR json_extract(data, '$.escalation_id') IN (SELECT remote_id FROM escalations WHERE assignment_id = @id UNION SELECT id FROM reviews WHERE assignment_id = @id)`,
      ).all({ id: row.id });
      const now = clock.now().getTime();
      const strip = prepared<[string, string, string, number]>(db, 'UPDATE notifications SET title = ?, summary = ?, data = ? WHERE id = ?');
      const read = prepared<[number, number]>(db, 'UPDATE notifications SET read_ms = COALESCE(read_ms, ?) WHERE id = ?');
      const quoting = about.filter((n) => n.source === 'push');
      for (const n of quoting) strip.run(strippedTitle(n.type, row.name), REMOVED_SUMMARY, JSON.stringify({ assignment_id: row.id }), n.id);
      for (const n of about) read.run(now, n.id);
      count(tally.removed, 'notificationTexts', quoting.length);
    },
  };
}

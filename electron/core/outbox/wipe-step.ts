import { prepared } from '../kernel/platform/statements';
import type { Clock } from '../kernel/ports';
import type { WipeStep } from '../services/assignments/wipe';
import { count } from '../services/assignments/wipe';
import type { Outbox } from '../services/outbox/outbox';
import type { OutboxKind } from '../services/outbox/store';

export interface OutboxWipeOptions {
  /** Whether someone is signed in, so the queue can send at all. */
  canSend(): boolean;
  clock: Clock;
  /** How long the last call may take before the wipe goes on without it. */
  timeoutMs: number;
}

/** Work of the user's own that is lost if it never leaves; announcements (push) are not counted as work. */
const WORK: Record<string, string> = { escalation: 'escalations', decision: 'decisions' };
/** Kinds whose rows quote tasks (an escalation's item, a corrected task, a review request's summary) in payload, label or answer. */
const QUOTING: readonly OutboxKind[] = ['escalation', 'decision', 'push'];
const POLL_MS = 50;

/**
 * The outbox's part in a wipe. First a last call: what the assignment still
 * has waiting is tried once more, now, and the wipe waits for it (bounded):
 * this computer's clock may run a little ahead of File 360's, an upload may be
 * half way, and File 360, not this app, says when it stops taking work. Then
 * whatever did not go is discarded with the reason in words (the packages
 * among it are counted by the exports' step), and the rows that stay as
 * history keep no task text.
 */
export function outboxWipeStep(outbox: Outbox, options: OutboxWipeOptions): WipeStep {
  return {
    name: 'outbox',
    stage: 'last-call',
    async settle(row) {
      if (!options.canSend()) return;
      const now = () => options.clock.now().toISOString();
      if (outbox.store.makeDue(row.id, now()) === 0 && outbox.store.goingNow(row.id) === 0) return;
      outbox.kick();
      const deadline = Date.now() + options.timeoutMs;
      while (outbox.store.goingNow(row.id) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    },
    erase(row, db, tally) {
      const now = options.clock.now().toISOString();
      const why = `Access to “${row.name}” ended before this could be sent, so it was deleted from this computer with the assignment’s files.`;
      for (const item of outbox.store.unsent(row.id, ['package', 'escalation', 'decision', 'push'])) {
        prepared<[string, string, number]>(db, "UPDATE outbox SET state = 'discarded', next_attempt_ms = NULL, last_error = ?, last_error_code = 'ASSIGNMENT_ENDED', updated_at = ? WHERE id = ?").run(why, now, item.id);
        const kind = WORK[item.kind];
        if (kind) count(tally.lost, kind, 1);
      }
      const stripped = prepared<[string, string, string]>(
        db,
        `UPDATE outbox SET payload = '{}', remote = NULL,
                label = CASE kind WHEN 'escalation' THEN 'Escalation' WHEN 'decision' THEN 'Review decision' ELSE 'Notification' END
                        || ' for “' || ? || '” (details removed with the assignment)'
          WHERE assignment_id = ? AND kind IN (SELECT value FROM json_each(?)) AND payload <> '{}'`,
      ).run(row.name, row.id, JSON.stringify(QUOTING)).changes;
      count(tally.removed, 'outboxItemTexts', stripped);
    },
  };
}

import type { LocalData } from '../kernel/db/local-data';
import { prepared } from '../kernel/platform/statements';
import type { Outbox } from '../services/outbox/outbox';
import type { Owner } from '../kernel/identity';

/** CONTRACTS §A.9 takes at most 1 000 events per request. */
const BATCH = 1000;

/**
 * Queues the audit entries written since the last batch for File 360, in
 * batches of 1 000, and moves the cursor in the same transaction. Entries about
 * another server's or tenant's assignments are not sent here: a vendor working
 * for two clients must not tell one about the other.
 */
export function queueAuditBatches(data: LocalData, outbox: Outbox, owner: Owner): number {
  const cursorKey = `audit_uploaded_through:${owner.server}|${owner.tenant}`;
  return data.transaction(({ db, installationId }) => {
    const cursor = Number(prepared<[string], { value: string }>(db, 'SELECT value FROM app_state WHERE key = ?').get(cursorKey)?.value ?? 0);
    const last = prepared<[], { id: number | null }>(db, 'SELECT MAX(id) AS id FROM audit').get()?.id ?? 0;
    if (last <= cursor) return 0;
    const ids = prepared<[number, number, string, string], { id: number }>(
      db,
      `SELECT id FROM audit WHERE id > ? AND id <= ?
         AND (assignment_id IS NULL OR assignment_id IN (SELECT id FROM assignments WHERE server = ? AND tenant = ?))
       ORDER BY id`,
    )
      .all(cursor, last, owner.server, owner.tenant)
      .map((row) => row.id);
    let batches = 0;
    for (let start = 0; start < ids.length; start += BATCH) {
      const chunk = ids.slice(start, start + BATCH);
      outbox.enqueue({ kind: 'audit', owner, label: `Audit trail: ${chunk.length} entr${chunk.length === 1 ? 'y' : 'ies'}`, payload: { installation_id: installationId, ids: chunk } });
      batches += 1;
    }
    prepared<[string, string]>(db, 'INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(cursorKey, String(last));
    return batches;
  });
}

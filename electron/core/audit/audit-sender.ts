import type Database from 'better-sqlite3';
import { z } from 'zod';
import { recordAck, type SentHash } from '../kernel/audit/acks';
import type { AuditRow } from '../kernel/audit/chain';
import { actorUserId } from '../kernel/db/names';
import { prepared } from '../kernel/platform/statements';
import { readPayload, type OutboxKindHandler } from '../services/outbox/kind';

export const AuditPayload = z.object({ installation_id: z.string(), ids: z.array(z.int()).min(1).max(1000) });
/** What send returns and the outbox keeps as the row's remote answer. */
const Accepted = z.object({ accepted: z.int().min(0) });

/** CONTRACTS §A.9: the local chain as it is, rows named by installation so ids stay unique across laptops. */
function auditEvent(row: AuditRow, installationId: string, userId: string): Record<string, unknown> {
  return {
    id: `${installationId}:${row.id}`,
    event_type: row.type,
    audit_date: row.ts,
    // Entries written before anyone signed in (app.started) belong to the account that uploads them.
    user_id: actorUserId(row.actor) ?? userId,
    ...(row.assignment_id ? { assignment_id: row.assignment_id } : {}),
    ...(row.file_id ? { file_id: row.file_id } : {}),
    // Exactly as chained, so File 360 can check each hash against its row.
    details: JSON.parse(row.details) as Record<string, unknown>,
    hash: row.hash,
    prev_hash: row.prev_hash,
  };
}

/**
 * Sends a batch, and once File 360 has acknowledged it, records the hashes it
 * carried. They are kept from the send to the acknowledgement (not read again)
 * so what is recorded is what left the machine.
 */
export function auditSender(db: () => Database.Database): OutboxKindHandler {
  const inFlight = new Map<number, SentHash[]>();
  return {
    async send(row, ctx) {
      const payload = readPayload(row, AuditPayload, 'batch of audit entries');
      const rows = prepared<[string], AuditRow>(db(), 'SELECT * FROM audit WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(JSON.stringify(payload.ids));
      inFlight.set(
        row.id,
        rows.map((audit) => [audit.id, audit.hash] as const),
      );
      if (rows.length === 0) return { accepted: 0 };
      const events = rows.map((audit) => auditEvent(audit, payload.installation_id, row.user_id));
      return { accepted: await ctx.client.postAuditEvents(row.idempotency_key, events) };
    },
    sent(row, remote, database) {
      recordAck(database, row.id, inFlight.get(row.id) ?? [], Accepted.parse(remote).accepted);
      inFlight.delete(row.id);
    },
    ended(row) {
      inFlight.delete(row.id);
    },
  };
}

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { prepared } from '../../db/statements';
import type { OutboxKindHandler } from '../kind';

export const AuditPayload = z.object({ installation_id: z.string(), ids: z.array(z.int()).min(1).max(1000) });

interface AuditRow {
  id: number;
  ts: string;
  type: string;
  actor: string;
  assignment_id: string | null;
  file_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** CONTRACTS §A.9: the local chain as it is, rows named by installation so ids stay unique across laptops. */
export function auditEvents(db: Database.Database, payload: z.infer<typeof AuditPayload>, userId: string): Array<Record<string, unknown>> {
  const rows = prepared<[string], AuditRow>(db, 'SELECT * FROM audit WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(JSON.stringify(payload.ids));
  return rows.map((row) => ({
    id: `${payload.installation_id}:${row.id}`,
    event_type: row.type,
    audit_date: row.ts,
    // Entries written before anyone signed in (app.started) belong to the account that uploads them.
    user_id: row.actor.startsWith('user:') ? row.actor.slice('user:'.length) : userId,
    ...(row.assignment_id ? { assignment_id: row.assignment_id } : {}),
    ...(row.file_id ? { file_id: row.file_id } : {}),
    // Exactly as chained, so File 360 can check each hash against its row.
    details: JSON.parse(row.details) as Record<string, unknown>,
    hash: row.hash,
    prev_hash: row.prev_hash,
  }));
}

export function auditSender(db: () => Database.Database): OutboxKindHandler {
  return {
    async send(row, ctx) {
      const events = auditEvents(db(), AuditPayload.parse(JSON.parse(row.payload)), row.user_id);
      if (events.length === 0) return { accepted: 0 };
      return { accepted: await ctx.client.postAuditEvents(row.idempotency_key, events) };
    },
  };
}

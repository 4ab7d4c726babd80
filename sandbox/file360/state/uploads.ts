import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { SandboxClock } from '../clock';
import { notFound } from '../errors';
import { sql, type Db } from './db';

export interface NewUpload {
  kind: 'export' | 'package' | 'escalation' | 'decision';
  name: string;
  size: number;
  sha256: string;
  mime_type: string;
  metadata: Record<string, unknown>;
}

export interface UploadRecord extends NewUpload {
  id: string;
  assignment_id: string;
  user_id: string;
  received: number;
  status: 'pending' | 'committed';
  file_id: string | null;
  created: string;
  updated: string;
}

type Row = Omit<UploadRecord, 'metadata'> & { metadata: string };

/** Staged uploads: their bytes live in `<dir>/<id>.part` until the commit moves them into the blob store. */
export class Uploads {
  constructor(
    private readonly db: Db,
    private readonly clock: SandboxClock,
    private readonly dir: string,
  ) {}

  partPath(id: string): string {
    return path.join(this.dir, `${id}.part`);
  }

  create(assignmentId: string, userId: string, upload: NewUpload): UploadRecord {
    const id = `upl-${randomUUID()}`;
    const now = this.clock.now().toISOString();
    sql(
      this.db,
      `INSERT INTO uploads (id, assignment_id, user_id, kind, name, size, sha256, mime_type, metadata, status, created, updated)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
    ).run(id, assignmentId, userId, upload.kind, upload.name, upload.size, upload.sha256, upload.mime_type, JSON.stringify(upload.metadata), now, now);
    return this.get(id);
  }

  get(id: string): UploadRecord {
    const row = sql(this.db, 'SELECT * FROM uploads WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw notFound(`Upload ${id}`);
    return { ...row, metadata: JSON.parse(row.metadata) as Record<string, unknown> };
  }

  setReceived(id: string, received: number): void {
    sql(this.db, 'UPDATE uploads SET received = ?, updated = ? WHERE id = ?').run(received, this.clock.now().toISOString(), id);
  }

  committed(id: string, fileId: string): void {
    sql(this.db, "UPDATE uploads SET status = 'committed', file_id = ?, updated = ? WHERE id = ?").run(fileId, this.clock.now().toISOString(), id);
  }

  all(): UploadRecord[] {
    return (sql(this.db, 'SELECT id FROM uploads ORDER BY created, id').all() as { id: string }[]).map((row) => this.get(row.id));
  }
}

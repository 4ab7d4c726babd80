import { sql, type Db } from '../../file360/state/db';

/** `GET /push/v1/jobs/{id}`: delivery is synchronous, so every job is complete by the time it has an id. */
export interface Job {
  job_id: string;
  state: 'completed';
  /** How many users it went to (each got a seq of their own). */
  recipients: number;
  /** Empty (min = max + 1) when nobody was to be told. */
  seq_assigned: { min: number; max: number };
  created: string;
}

interface Row {
  id: string;
  publisher: string;
  recipients: number;
  min_seq: number;
  max_seq: number;
  created: string;
}

export class Jobs {
  constructor(private readonly db: Db) {}

  insert(publisher: string, job: Job): void {
    sql(this.db, 'INSERT INTO push_jobs (id, publisher, recipients, min_seq, max_seq, created) VALUES (?, ?, ?, ?, ?, ?)').run(
      job.job_id,
      publisher,
      job.recipients,
      job.seq_assigned.min,
      job.seq_assigned.max,
      job.created,
    );
  }

  /** Only its publisher may see a job; for anyone else it does not exist. */
  get(id: string, publisher: string): Job | undefined {
    const row = sql(this.db, 'SELECT * FROM push_jobs WHERE id = ? AND publisher = ?').get(id, publisher) as Row | undefined;
    if (!row) return undefined;
    return { job_id: row.id, state: 'completed', recipients: row.recipients, seq_assigned: { min: row.min_seq, max: row.max_seq }, created: row.created };
  }
}

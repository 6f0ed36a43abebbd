// What the scheduler's claims tell about the jobs: when each last ran, on which gateway, and how
// long it took. Read for the Health page, so an SRE can see that automation runs, and where.

import type { Queryable } from '../audit/write-as.js';

export interface JobRun {
  job: string;
  /** host:pid of the gateway that claimed the tick. */
  ranBy: string;
  startedAt: number;
  /** null while it runs, or when the gateway died during it. */
  finishedAt: number | null;
  /** Ticks claimed in the last hour, by every gateway together. */
  lastHour: number;
}

export async function lastJobRuns(db: Queryable): Promise<JobRun[]> {
  const { rows } = await db.query<{ job: string; ran_by: string; started_at: Date; finished_at: Date | null; last_hour: string }>(
    `SELECT DISTINCT ON (job) job, ran_by, started_at, finished_at,
            (SELECT count(*) FROM job_runs r WHERE r.job = j.job AND r.started_at > now() - interval '1 hour')::text AS last_hour
     FROM job_runs j ORDER BY job, started_at DESC`,
  );
  return rows.map((row) => ({
    job: row.job,
    ranBy: row.ran_by,
    startedAt: row.started_at.getTime(),
    finishedAt: row.finished_at?.getTime() ?? null,
    lastHour: Number(row.last_hour),
  }));
}

// Runs the gateway's periodic jobs with node-cron, each tick once across every gateway on the
// database: a tick is claimed by inserting its key into job_runs, and only the insert that
// succeeds runs it. An advisory lock would only keep two runs apart in time; the key keeps a tick
// from running twice at all, even when one gateway's clock is a little behind another's.

import os from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../log.js';

export interface Job {
  /** Stable across releases: it is part of the key every gateway claims. */
  name: string;
  /** node-cron expression, with seconds, read in UTC. */
  schedule: string;
  /** `tick` is the scheduled moment, the same on every gateway. */
  run(tick: Date): Promise<unknown>;
  /** Ends work the job keeps going between ticks (e.g. webhook attempts in flight); called by stop(). */
  stop?(): Promise<void>;
}

export interface Scheduler {
  /** Runs one job now, outside its schedule and without claiming a tick (start-up, tests). */
  runNow(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface SchedulerDeps {
  pool: Pool;
  log: Logger;
  jobs: readonly Job[];
  /** Who claimed a tick, as job_runs shows it. */
  runner?: string;
}

export function createScheduler({ pool, log, jobs, runner = `${os.hostname()}:${process.pid}` }: SchedulerDeps): Scheduler {
  for (const job of jobs) {
    const check = cron.validateDetailed(job.schedule);
    if (!check.valid) throw new Error(`job ${job.name}: invalid schedule ${job.schedule}: ${check.errors.map((e) => e.message).join('; ')}`);
  }
  const coordinator = {
    async shouldRun(key: string): Promise<boolean> {
      const job = key.slice(0, key.indexOf(':'));
      const { rowCount } = await pool.query('INSERT INTO job_runs (key, job, ran_by) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING', [key, job, runner]);
      return rowCount === 1;
    },
    async onComplete(key: string): Promise<void> {
      await pool.query('UPDATE job_runs SET finished_at = now() WHERE key = $1', [key]);
    },
  };
  const cronLog = log.child({ module: 'jobs' });
  const logger = {
    info: (message: string) => cronLog.debug(message),
    warn: (message: string) => cronLog.warn(message),
    error: (message: string | Error, err?: Error) => cronLog.error({ err: err ?? message }, 'job failed'),
    debug: (message: string | Error) => cronLog.debug(String(message)),
  };
  const byName = new Map(jobs.map((job) => [job.name, job]));
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(job.schedule, function runJob(context) {
      return job.run(context.date);
    }, {
      name: job.name,
      timezone: 'UTC',
      // A slow run (a hanging receiver, a slow database) makes this gateway skip ticks, not stack them;
      // another gateway claims them instead.
      noOverlap: true,
      distributed: true,
      runCoordinator: coordinator,
      logger,
      suppressMissedWarning: true,
    }),
  );
  return {
    async runNow(name) {
      const job = byName.get(name);
      if (!job) throw new Error(`no job named ${name}`);
      await job.run(new Date());
    },
    async stop() {
      await Promise.all(tasks.map((task) => task.destroy()));
      await Promise.all(jobs.map((job) => job.stop?.()));
    },
  };
}

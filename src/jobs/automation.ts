// What runs on its own, on every gateway, each tick once across all of them: the windows'
// lifecycle, and the housekeeping of old rows. The other jobs (series, reminders, webhooks,
// health checks) are added here as they come.

import type { Config } from '../config/config.js';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../log.js';
import { writeAs } from '../audit/write-as.js';
import { healthcheckJobs } from '../health/check-job.js';
import { createSiteProbe } from '../health/site-upstreams.js';
import { expandSeries } from '../maintenance/series.js';
import { advanceLifecycle } from '../maintenance/window-lifecycle.js';
import { createMailer } from '../notify/email.js';
import { createReminderJob } from '../notify/reminder-job.js';
import { createWebhookJob } from '../notify/webhook-delivery.js';
import { pruneOldRows } from './retention.js';
import { createScheduler, type Job, type Scheduler } from './scheduler.js';

export interface AutomationDeps {
  config: Readonly<Config>;
  /** UPSTREAM_URL: where sites without an upstream of their own are checked. */
  upstream: URL;
  pool: Pool;
  log: Logger;
}

export const EVERY_SECOND = '* * * * * *';

export function createAutomation({ config, upstream, pool, log }: AutomationDeps): Scheduler {
  // Each site's upstream, asked for HEALTHCHECK_PATH, by the health checks and by verifying windows.
  const probe = createSiteProbe({ fallback: upstream, path: config.healthcheck.path, timeoutMs: config.healthcheck.timeoutMs });
  const jobLog = log.child({ module: 'jobs' });

  const jobs: Job[] = [
    {
      name: 'lifecycle',
      schedule: EVERY_SECOND,
      async run() {
        const steps = await advanceLifecycle(pool, { verifyTimeoutMs: config.verifyTimeoutMs, probe });
        if (steps.started.length + steps.verifying.length + steps.completed.length > 0) jobLog.info({ ...steps }, 'windows moved on');
      },
    },
    {
      name: 'series',
      // Creating or editing a series expands it at once; this only moves the horizon along.
      schedule: '0 */10 * * * *',
      async run() {
        const expansion = await writeAs(pool, 'system', 'series.expand', (client) => expandSeries(client, config.seriesHorizonDays), 'expanding recurring series');
        if (expansion.created > 0) jobLog.info({ created: expansion.created }, 'series expanded');
        for (const failure of expansion.failed) jobLog.warn(failure, 'series not expanded');
      },
    },
    {
      name: 'retention',
      // Daily, at a quiet minute, so that gateways started together do not all prune at midnight.
      schedule: '0 17 3 * * *',
      async run() {
        const pruned = await pruneOldRows(pool);
        jobLog.info(pruned, 'old rows pruned');
      },
    },
    ...healthcheckJobs({ config, pool, probe, log: jobLog }),
    createWebhookJob({ config, pool, log: jobLog }),
    createReminderJob({ config, pool, mailer: createMailer({ config, log }), log: jobLog }),
  ];
  return createScheduler({ pool, log, jobs: config.jobs ? jobs : [] });
}

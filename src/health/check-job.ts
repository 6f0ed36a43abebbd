// The active health check as a scheduled job: every HEALTHCHECK_INTERVAL_S, once across gateways,
// ask the upstream for HEALTHCHECK_PATH and record the answer. None when the interval is 0.

import type { Config } from '../config/config.js';
import type { Pool } from '../db/pool.js';
import type { Job } from '../jobs/scheduler.js';
import type { Logger } from '../log.js';
import type { UpstreamProbe } from '../ops/upstream-probe.js';
import { checkSchedule } from './judge.js';
import { recordCheck } from './upstream-health.js';

export interface HealthcheckJobDeps {
  config: Readonly<Pick<Config, 'healthcheck' | 'siteName'>>;
  pool: Pool;
  /** Asks for HEALTHCHECK_PATH within HEALTHCHECK_TIMEOUT_MS; never throws. */
  probe: UpstreamProbe;
  log: Logger;
}

export function healthcheckJobs({ config, pool, probe, log }: HealthcheckJobDeps): Job[] {
  const { intervalSeconds, downAfter, upAfter } = config.healthcheck;
  if (intervalSeconds === 0) return [];
  const options = { thresholds: { downAfter, upAfter }, defaultSiteName: config.siteName };
  return [
    {
      name: 'healthcheck',
      schedule: checkSchedule(intervalSeconds),
      async run() {
        const result = await probe();
        const outcome = await recordCheck(pool, result, options);
        if (outcome.flip === 'down') log.warn({ outageId: outcome.outageId, error: result.error, url: result.url }, 'upstream judged down');
        else if (outcome.flip === 'up') log.info({ url: result.url, latencyMs: result.latencyMs }, 'upstream judged back up');
      },
    },
  ];
}

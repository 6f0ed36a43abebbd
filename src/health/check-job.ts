// The active health check as a scheduled job: every HEALTHCHECK_INTERVAL_S, once across gateways,
// ask every site's upstream for HEALTHCHECK_PATH and record each answer in that site's row. None
// when the interval is 0.

import type { Config } from '../config/config.js';
import type { Pool } from '../db/pool.js';
import type { Job } from '../jobs/scheduler.js';
import type { Logger } from '../log.js';
import { listSites, type SiteRecord } from '../sites/sites.js';
import { checkSchedule } from './judge.js';
import { eachLimited, type SiteProbe } from './site-upstreams.js';
import { recordCheck } from './upstream-health.js';

// Sites checked at once. Each probe ends within HEALTHCHECK_TIMEOUT_MS, so a site that hangs holds
// one slot for that long and the others' checks go on in the rest.
export const CHECK_CONCURRENCY = 16;

export interface HealthcheckJobDeps {
  config: Readonly<Pick<Config, 'healthcheck' | 'siteName'>>;
  pool: Pool;
  /** Asks a site's upstream for HEALTHCHECK_PATH within HEALTHCHECK_TIMEOUT_MS; never throws. */
  probe: SiteProbe;
  log: Logger;
}

export function healthcheckJobs({ config, pool, probe, log }: HealthcheckJobDeps): Job[] {
  const { intervalSeconds, downAfter, upAfter } = config.healthcheck;
  if (intervalSeconds === 0) return [];
  const thresholds = { downAfter, upAfter };

  async function checkSite(site: SiteRecord): Promise<void> {
    const result = await probe(site.upstreamUrl);
    try {
      const outcome = await recordCheck(pool, site.id, result, { thresholds, siteName: config.siteName });
      if (outcome.flip === 'down') log.warn({ site: site.slug, outageId: outcome.outageId, error: result.error, url: result.url }, 'upstream judged down');
      else if (outcome.flip === 'up') log.info({ site: site.slug, url: result.url, latencyMs: result.latencyMs }, 'upstream judged back up');
    } catch (err) {
      // One site's failure (it was removed meanwhile, a lock timed out) must not stop the others' checks.
      log.error({ site: site.slug, err: (err as Error).message }, 'could not record the health check');
    }
  }

  return [
    {
      name: 'healthcheck',
      schedule: checkSchedule(intervalSeconds),
      async run() {
        // From the database, not a snapshot: the tick runs on whichever gateway claims it, and must
        // see every site, even one added a moment ago.
        const sites = await listSites(pool);
        await eachLimited(sites, CHECK_CONCURRENCY, checkSite);
      },
    },
  ];
}

// STATUS_PATH/api/uptime.json: the 90-day uptime of each of a site's components for tools, from the
// same data as the status page's bars (not part of the Statuspage API). Answered from memory, never
// a query: the follower reads every site's components at once, and each site lists its own.

import express from 'express';
import type { Follower } from '../snapshot/follower.js';
import { createMemo } from '../status/memo.js';
import { statusSiteOf } from '../status/site-path.js';
import { spanDates, uptimeBar, UPTIME_DAYS, uptimePercent, type UptimeData } from './uptime-days.js';

const minutes = (seconds: number): number => Math.round((seconds / 60) * 100) / 100;

function uptimeJson(data: UptimeData, components: readonly { id: string; name: string }[], now: number): string {
  const dates = spanDates(now);
  return JSON.stringify({
    generated_at: new Date(data.readAt).toISOString(),
    days: UPTIME_DAYS,
    // Statuspage's weighting; time under maintenance is not downtime.
    formula: '1 - (major_outage + 0.3 * partial_outage) / observed',
    components: components.map((c) => {
      const recorded = data.components.get(c.id) ?? [];
      const byDate = new Map(recorded.map((d) => [d.day, d]));
      const bar = uptimeBar(c.name, recorded, now);
      return {
        id: c.id,
        name: c.name,
        uptime_percent: bar.uptime === null ? null : uptimePercent(bar.uptime),
        days: dates.map((date, i) => {
          const day = byDate.get(date);
          return {
            date,
            state: bar.days[i]!.state,
            observed_minutes: minutes(day?.observed ?? 0),
            major_outage_minutes: minutes(day?.major ?? 0),
            partial_outage_minutes: minutes(day?.partial ?? 0),
            degraded_performance_minutes: minutes(day?.degraded ?? 0),
            maintenance_minutes: minutes(day?.maintenance ?? 0),
          };
        }),
      };
    }),
  });
}

export function createUptimeRouter(uptime: Follower<UptimeData>, now: () => number = Date.now): express.Router {
  const router = express.Router();
  // A few sites' documents at once; another costs a rebuild, never memory.
  const memo = createMemo<string>(16);

  router.get('/api/uptime.json', function uptimeJsonRoute(_req, res) {
    const data = uptime.current();
    res.set('Cache-Control', 'no-cache').set('Access-Control-Allow-Origin', '*');
    if (!data) {
      res.status(503).set('Retry-After', '30').json({ error: { code: 'GW_ERR_UPTIME_NOT_READY', message: 'Uptime has not been read from the database yet; try again shortly' } });
      return;
    }
    const { snapshot } = statusSiteOf(res);
    const at = now();
    const key = `${snapshot.site.id}|${uptime.version()}|${snapshot.version}|${Math.floor(at / 86_400_000)}`;
    res.type('json').send(memo.get(key, () => uptimeJson(data, snapshot.components, at)));
  });
  return router;
}

// The recurring series part of the admin area: a rule (cron, zone, duration) that makes windows
// ahead. Its own area rather than part of windows: it has its own list, form and API, while each
// occurrence it makes is an ordinary window, edited in the windows area.

import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';
import { createSeriesEndpoints } from './api.js';
import { createSeriesOperations } from './operations.js';
import { createSeriesPages } from './pages.js';

export function createSeriesArea(deps: AdminDeps): AdminArea {
  const ops = createSeriesOperations({ pool: deps.pool, now: deps.now, horizonDays: deps.config.seriesHorizonDays });
  return { pages: createSeriesPages(deps, ops), endpoints: createSeriesEndpoints(deps, ops) };
}

// The dashboard: the state at a glance, and the controls to start and end maintenance from it.

import express from 'express';
import { createSiteProbe } from '../../health/site-upstreams.js';
import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';
import { createWindowOperations } from '../windows/operations.js';
import { addDashboardPage } from './page.js';
import { addStartPages } from './start-pages.js';

// Long enough for a slow application to answer, short enough that the dashboard stays usable when it hangs.
const PROBE_TIMEOUT_MS = 2000;

export function createDashboardArea(deps: AdminDeps): AdminArea {
  const ops = createWindowOperations(deps);
  // Each site's own upstream (or UPSTREAM_URL), asked at its root as the single-site dashboard did.
  const probe = createSiteProbe({ fallback: deps.upstream, path: '', timeoutMs: PROBE_TIMEOUT_MS });
  const pages = express.Router();
  addDashboardPage(pages, deps, probe);
  addStartPages(pages, deps, ops);
  return { pages };
}

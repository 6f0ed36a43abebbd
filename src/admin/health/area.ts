// The health part of the admin area: the upstream as the health checks judge it, its outages, and
// what automation may do when it goes down, through a page and the API.

import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';
import { createHealthEndpoints } from './api.js';
import { createHealthOperations } from './operations.js';
import { createHealthPages } from './pages.js';

export function createHealthArea(deps: AdminDeps): AdminArea {
  const ops = createHealthOperations(deps);
  return { pages: createHealthPages(deps, ops), endpoints: createHealthEndpoints(deps, ops) };
}

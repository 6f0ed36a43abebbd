// The incidents part of the admin area: its pages and its API endpoints, both doing the same
// operations (operations.ts) with the same input schemas (input.ts).

import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';
import { createIncidentEndpoints } from './api.js';
import { createIncidentOperations } from './operations.js';
import { createIncidentPages } from './pages.js';

export function createIncidentsArea(deps: AdminDeps): AdminArea {
  const ops = createIncidentOperations(deps);
  return { pages: createIncidentPages(deps, ops), endpoints: createIncidentEndpoints(deps, ops) };
}

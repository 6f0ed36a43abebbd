// The components part of the admin area: components and their groups, in pages and API
// endpoints that do the same operations (operations.ts) with the same input schemas (input.ts).

import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';
import { createComponentEndpoints } from './api.js';
import { createGroupEndpoints } from './group-api.js';
import { createComponentOperations } from './operations.js';
import { createComponentPages } from './pages.js';

export function createComponentsArea(deps: AdminDeps): AdminArea {
  const ops = createComponentOperations(deps);
  return {
    pages: createComponentPages(deps, ops),
    endpoints: [...createComponentEndpoints(deps, ops), ...createGroupEndpoints(deps, ops)],
  };
}

// The windows part of the admin area: its pages and its API endpoints, both doing the same
// operations (operations.ts) with the same input schemas (input.ts).

import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';
import { createWindowEndpoints } from './api.js';
import { createWindowOperations } from './operations.js';
import { createWindowPages } from './pages.js';

export function createWindowsArea(deps: AdminDeps): AdminArea {
  const ops = createWindowOperations(deps);
  return { pages: createWindowPages(deps, ops), endpoints: createWindowEndpoints(deps, ops) };
}

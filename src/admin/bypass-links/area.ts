// The bypass links part of the admin area: secret, expiring, revocable links that let a teammate
// past maintenance (on every path, or only some), through pages and the API.

import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';
import { createBypassLinkEndpoints } from './api.js';
import { createBypassLinkOperations } from './operations.js';
import { createBypassLinkPages } from './pages.js';

export function createBypassLinksArea(deps: AdminDeps): AdminArea {
  const ops = createBypassLinkOperations(deps);
  return { pages: createBypassLinkPages(deps, ops), endpoints: createBypassLinkEndpoints(deps, ops) };
}

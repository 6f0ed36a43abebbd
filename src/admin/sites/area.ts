// The sites part of the admin area: global admins add, change and remove sites (pages and API);
// everyone reads the sites they work in through the API.

import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';
import { createSiteEndpoints } from './api.js';
import { createSiteOperations } from './operations.js';
import { createSitePages } from './pages.js';

export function createSitesArea(deps: AdminDeps): AdminArea {
  const ops = createSiteOperations(deps);
  return { globalPages: createSitePages(deps, ops), endpoints: createSiteEndpoints(deps, ops) };
}

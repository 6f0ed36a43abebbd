// The settings part of the admin area: what the status page shows about the site (name, support
// email, logo, brand colour, footer), through a page for admins and the API.

import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';
import { createSettingsEndpoints } from './api.js';
import { createSettingsOperations } from './operations.js';
import { createSettingsPages } from './pages.js';

export function createSettingsArea(deps: AdminDeps): AdminArea {
  const ops = createSettingsOperations(deps);
  return { pages: createSettingsPages(deps, ops), endpoints: createSettingsEndpoints(deps, ops) };
}

// The API tokens part of the admin area: admins create tokens for pipelines (shown once, stored
// hashed) and revoke them, from the pages and through the API, with the same operations.

import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';
import { createTokenEndpoints } from './api.js';
import { createTokenOperations } from './operations.js';
import { createTokenPages } from './pages.js';

export function createTokensArea(deps: AdminDeps): AdminArea {
  const ops = createTokenOperations(deps);
  return { pages: createTokenPages(deps, ops), endpoints: createTokenEndpoints(deps, ops) };
}

// The users part of the admin area: admins invite people and manage their roles (pages and API),
// and everyone has their own account page. Pages and API share operations.ts and input.ts.

import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';
import { createAccountOperations } from './account-operations.js';
import { addAccountPages } from './account-pages.js';
import { createUserEndpoints } from './api.js';
import { createUserOperations } from './operations.js';
import { createUserPages } from './pages.js';

export function createUsersArea(deps: AdminDeps): AdminArea {
  const ops = createUserOperations(deps);
  const pages = createUserPages(deps, ops);
  addAccountPages(pages, deps, createAccountOperations(deps));
  return { pages, endpoints: createUserEndpoints(deps, ops) };
}

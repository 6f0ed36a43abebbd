// The users part of the admin area: a site's admins invite people and manage their roles in the
// site (pages and API), global admins also users across sites, and everyone has their own account page. Pages and API share operations.ts and input.ts.

import express from 'express';
import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';
import { createAccountOperations } from './account-operations.js';
import { addAccountPages } from './account-pages.js';
import { createUserEndpoints } from './api.js';
import { createUserOperations } from './operations.js';
import { createUserPages } from './pages.js';

export function createUsersArea(deps: AdminDeps): AdminArea {
  const ops = createUserOperations(deps);
  // Your account is yours in every site: it lives outside any one of them.
  const globalPages = express.Router();
  addAccountPages(globalPages, deps, createAccountOperations(deps));
  return { pages: createUserPages(deps, ops), globalPages, endpoints: createUserEndpoints(deps, ops) };
}

// The audit log part of the admin area: every change (who, what, when, before and after),
// browsable on a page any signed-in user can read, and through the API.

import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';
import { createAuditEndpoints } from './api.js';
import { createAuditPages } from './pages.js';

export function createAuditArea(deps: AdminDeps): AdminArea {
  return { pages: createAuditPages(deps), endpoints: createAuditEndpoints(deps) };
}

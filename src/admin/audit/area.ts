// The audit part of the admin area. (Placeholder: its pages and endpoints come next.)

import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';

export function createAuditArea(_deps: AdminDeps): AdminArea {
  return {};
}

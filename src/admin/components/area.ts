// The components part of the admin area. (Placeholder: its pages and endpoints come next.)

import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';

export function createComponentsArea(_deps: AdminDeps): AdminArea {
  return {};
}

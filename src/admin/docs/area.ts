// The API reference. (Placeholder: the OpenAPI document and its page come next.)

import type { Endpoint } from '../api/endpoint.js';
import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';

export function createDocsArea(_deps: AdminDeps, _endpoints: Endpoint[]): AdminArea {
  return {};
}

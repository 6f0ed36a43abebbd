// The webhooks part of the admin area: admins manage the receivers of events (and when reminders go
// out); every role can see them and their deliveries, never a secret. Pages and API share the operations.

import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';
import { createWebhookEndpoints } from './api.js';
import { createWebhookOperations } from './operations.js';
import { createWebhookPages } from './pages.js';

export function createWebhooksArea(deps: AdminDeps): AdminArea {
  const ops = createWebhookOperations(deps);
  return { pages: createWebhookPages(deps, ops), endpoints: createWebhookEndpoints(deps, ops) };
}

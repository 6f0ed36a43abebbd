// The Health endpoints of the automation API: the upstream's state with the recent outages (any
// role), and what automation may do when it goes down (admins).

import { z } from 'zod';
import { getHealthSettings } from '../../health/health-settings.js';
import { listOutages } from '../../health/outages.js';
import { getUpstreamHealth } from '../../health/upstream-health.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { AdminDeps } from '../deps.js';
import { healthSettingsSchema } from './input.js';
import { healthJson, healthJsonSchema, healthSettingsJson, healthSettingsJsonSchema } from './json.js';
import type { HealthOperations } from './operations.js';

const TAG = 'Health';
const RECENT_OUTAGES = 50;

export function createHealthEndpoints({ pool, config }: AdminDeps, ops: HealthOperations): Endpoint[] {
  return [
    endpoint({
      method: 'get', path: '/health', tag: TAG, role: 'viewer',
      summary: "Read the upstream's health",
      description:
        'The application behind the gateway as the health checks judge it (up or down, since when, the last check), the thresholds in force, ' +
        `what automation does when it goes down, and the latest ${RECENT_OUTAGES} outages with the requests each held.`,
      response: healthJsonSchema,
      async handler({ site }) {
        const siteId = site.site.id;
        const [health, settings, outages] = await Promise.all([
          getUpstreamHealth(pool, siteId),
          getHealthSettings(pool, siteId),
          listOutages(pool, siteId, RECENT_OUTAGES),
        ]);
        return healthJson(health, settings, outages, config);
      },
    }),
    endpoint({
      method: 'patch', path: '/health/settings', tag: TAG, role: 'admin',
      summary: 'Change what happens when the upstream goes down',
      description:
        'auto_incidents: open an incident with an update, and set the linked component to major_outage, by itself (the customers get the trouble page either way). ' +
        'upstream_component_id: the component that stands for the application; null for none. Fields not given stay as they are.',
      body: healthSettingsSchema,
      response: healthSettingsJsonSchema.extend({ changed: z.boolean().describe('false when the values given were already saved') }),
      async handler({ body, actor, site }) {
        const { settings, changed } = await ops.updateSettings(actor, site.site.id, body);
        return { ...healthSettingsJson(settings), changed };
      },
    }),
  ];
}

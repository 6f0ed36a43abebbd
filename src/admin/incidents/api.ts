// The Incidents endpoints of the automation API: list, report, read with the timeline, edit, and
// post updates that move an incident through investigating, identified, monitoring and resolved.

import { z } from 'zod';
import { getIncidentTimeline, listIncidents } from '../../maintenance/incidents.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { AdminDeps } from '../deps.js';
import { createSchema, listQuery, postUpdateSchema, updateSchema } from './input.js';
import { incidentId, incidentJson, incidentJsonSchema, incidentUpdateJson, incidentUpdateJsonSchema, incidentWithUpdateSchema } from './json.js';
import type { IncidentOperations } from './operations.js';

const TAG = 'Incidents';
const LIFECYCLE =
  'An update moves the incident to its status (investigating, identified, monitoring, resolved; any may follow any other). ' +
  'issue_fixed: true is the same as status resolved. Resolving sets resolved_at; a later update with another status reopens it.';

export function createIncidentEndpoints({ pool }: AdminDeps, ops: IncidentOperations): Endpoint[] {
  return [
    endpoint({
      method: 'get', path: '/incidents', tag: TAG, role: 'viewer',
      summary: 'List incidents',
      description: 'Open incidents (newest first), then the recently resolved (latest resolved first, at most limit, default 20). `?state=open` or `?state=resolved` lists one kind.',
      query: listQuery,
      response: z.object({ incidents: z.array(incidentJsonSchema) }),
      async handler({ query, site }) {
        const incidents = await listIncidents(pool, site.site.id, { state: query.state, limit: query.limit });
        return { incidents: incidents.map(incidentJson) };
      },
    }),
    endpoint({
      method: 'post', path: '/incidents', tag: TAG, role: 'operator', status: 201,
      summary: 'Report an incident',
      description: `Creates the incident with its first update (body), in one step. impact defaults to minor, status to investigating. ${LIFECYCLE}`,
      body: createSchema,
      response: incidentWithUpdateSchema,
      async handler({ body, actor, site }) {
        const { incident, update } = await ops.create(actor, site.site.id, body);
        return { incident: incidentJson(incident), update: incidentUpdateJson(update) };
      },
    }),
    endpoint({
      method: 'get', path: '/incidents/:id', tag: TAG, role: 'viewer',
      summary: 'Read an incident with its timeline',
      description: 'The incident, and its updates oldest first, as the timeline reads.',
      response: incidentJsonSchema.extend({ updates: z.array(incidentUpdateJsonSchema) }),
      async handler({ params, site }) {
        const { incident, updates } = await getIncidentTimeline(pool, site.site.id, incidentId(params.id));
        return { ...incidentJson(incident), updates: updates.map(incidentUpdateJson) };
      },
    }),
    endpoint({
      method: 'patch', path: '/incidents/:id', tag: TAG, role: 'operator',
      summary: 'Change an incident',
      description: 'Changes the fields given: title, impact, component_ids (the whole list; [] for none). The status moves only through updates.',
      body: updateSchema,
      response: incidentJsonSchema,
      async handler({ params, body, actor, site }) {
        return incidentJson(await ops.update(actor, site.site.id, incidentId(params.id), body));
      },
    }),
    endpoint({
      method: 'get', path: '/incidents/:id/updates', tag: TAG, role: 'viewer',
      summary: "An incident's updates",
      description: 'Oldest first, as the timeline reads.',
      response: z.object({ updates: z.array(incidentUpdateJsonSchema) }),
      async handler({ params, site }) {
        const { updates } = await getIncidentTimeline(pool, site.site.id, incidentId(params.id));
        return { updates: updates.map(incidentUpdateJson) };
      },
    }),
    endpoint({
      method: 'post', path: '/incidents/:id/updates', tag: TAG, role: 'operator', status: 201,
      summary: 'Post an update to an incident',
      description: `Adds to the status page timeline. Without status (or issue_fixed) the incident keeps its status. ${LIFECYCLE}`,
      body: postUpdateSchema,
      response: incidentWithUpdateSchema,
      async handler({ params, body, actor, site }) {
        const { incident, update } = await ops.postUpdate(actor, site.site.id, incidentId(params.id), body);
        return { incident: incidentJson(incident), update: incidentUpdateJson(update) };
      },
    }),
  ];
}

// The Components endpoints of the automation API: list, read, create, change (status, name,
// group, position) and delete components. The same operations as the pages.

import { z } from 'zod';
import { getComponent, listComponents } from '../../maintenance/components.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { AdminDeps } from '../deps.js';
import { emptyBody } from '../validation.js';
import { createSchema, updateSchema } from './input.js';
import { componentId, componentJson, componentJsonSchema } from './json.js';
import type { ComponentOperations } from './operations.js';

const TAG = 'Components';
const STATUSES = 'Statuses: operational, degraded_performance, partial_outage, major_outage, under_maintenance.';

export function createComponentEndpoints({ pool }: AdminDeps, ops: ComponentOperations): Endpoint[] {
  return [
    endpoint({
      method: 'get', path: '/components', tag: TAG, role: 'viewer',
      summary: 'List components',
      description: 'In the status page\'s order: those in no group first, then group by group, each by position.',
      response: z.object({ components: z.array(componentJsonSchema) }),
      async handler({ site }) {
        return { components: (await listComponents(pool, site.site.id)).map(componentJson) };
      },
    }),
    endpoint({
      method: 'get', path: '/components/:id', tag: TAG, role: 'viewer',
      summary: 'Read a component',
      response: componentJsonSchema,
      async handler({ params, site }) {
        return componentJson(await getComponent(pool, site.site.id, componentId(params.id)));
      },
    }),
    endpoint({
      method: 'post', path: '/components', tag: TAG, role: 'operator', status: 201,
      summary: 'Create a component',
      description: `Adds a component at the end of its group (group_id; absent or null: in no group). The status defaults to operational. ${STATUSES} Names are unique.`,
      body: createSchema,
      response: componentJsonSchema,
      async handler({ body, actor, site }) {
        return componentJson(await ops.create(actor, site.site.id, body));
      },
    }),
    endpoint({
      method: 'patch', path: '/components/:id', tag: TAG, role: 'operator',
      summary: 'Change a component',
      description:
        `Changes the fields given: {"status": "major_outage"} sets its status. ${STATUSES} ` +
        'group_id moves it to the end of another group (null: out of any group); position (from 0, within its group) moves it there, and the others make room. ' +
        'A window in force still shows its components as under_maintenance on the status page until it ends.',
      body: updateSchema,
      response: componentJsonSchema,
      async handler({ params, body, actor, site }) {
        return componentJson(await ops.update(actor, site.site.id, componentId(params.id), body));
      },
    }),
    endpoint({
      method: 'delete', path: '/components/:id', tag: TAG, role: 'operator', status: 204,
      summary: 'Delete a component',
      description: 'Removes it from the status page, and from the windows and incidents that named it. Answers 204.',
      body: emptyBody,
      async handler({ params, actor, site }) {
        await ops.remove(actor, site.site.id, componentId(params.id));
        return undefined;
      },
    }),
  ];
}

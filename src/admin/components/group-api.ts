// The Component groups endpoints of the automation API: list, read, create, rename or reorder, and
// delete the headings components are listed under on the status page.

import { z } from 'zod';
import { getGroup, listGroups } from '../../maintenance/component-groups.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { AdminDeps } from '../deps.js';
import { emptyBody } from '../validation.js';
import { createGroupSchema, updateGroupSchema } from './input.js';
import { groupId, groupJson, groupJsonSchema } from './json.js';
import type { ComponentOperations } from './operations.js';

const TAG = 'Component groups';

export function createGroupEndpoints({ pool }: AdminDeps, ops: ComponentOperations): Endpoint[] {
  return [
    endpoint({
      method: 'get', path: '/component-groups', tag: TAG, role: 'viewer',
      summary: 'List component groups',
      description: 'In order, each with its components\' ids in order. Components in no group are listed before the groups on the status page.',
      response: z.object({ groups: z.array(groupJsonSchema) }),
      async handler({ site }) {
        return { groups: (await listGroups(pool, site.site.id)).map(groupJson) };
      },
    }),
    endpoint({
      method: 'get', path: '/component-groups/:id', tag: TAG, role: 'viewer',
      summary: 'Read a component group',
      response: groupJsonSchema,
      async handler({ params, site }) {
        return groupJson(await getGroup(pool, site.site.id, groupId(params.id)));
      },
    }),
    endpoint({
      method: 'post', path: '/component-groups', tag: TAG, role: 'operator', status: 201,
      summary: 'Create a component group',
      description: 'Adds a group after the others. Names are unique. Put components in it with PATCH /components/{id} {"group_id": ...}.',
      body: createGroupSchema,
      response: groupJsonSchema,
      async handler({ body, actor, site }) {
        return groupJson(await ops.createGroup(actor, site.site.id, body));
      },
    }),
    endpoint({
      method: 'patch', path: '/component-groups/:id', tag: TAG, role: 'operator',
      summary: 'Rename or move a component group',
      description: 'Changes the fields given: name, or position (from 0, among groups; the others make room).',
      body: updateGroupSchema,
      response: groupJsonSchema,
      async handler({ params, body, actor, site }) {
        return groupJson(await ops.updateGroup(actor, site.site.id, groupId(params.id), body));
      },
    }),
    endpoint({
      method: 'delete', path: '/component-groups/:id', tag: TAG, role: 'operator', status: 204,
      summary: 'Delete a component group',
      description: 'Its components stay, in no group, after those already there. Answers 204.',
      body: emptyBody,
      async handler({ params, actor, site }) {
        await ops.removeGroup(actor, site.site.id, groupId(params.id));
        return undefined;
      },
    }),
  ];
}

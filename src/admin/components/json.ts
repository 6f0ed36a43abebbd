// How components and groups read in the API: snake_case, ISO 8601 times in UTC, and the zod
// schemas of those shapes for the reference. Also the ids taken from paths.

import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import type { ComponentGroupRecord } from '../../maintenance/component-groups.js';
import type { ComponentRecord } from '../../maintenance/components.js';
import { COMPONENT_STATUSES } from '../../snapshot/types.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export const componentJsonSchema = z.object({
  id: z.string().describe('the component id (digits)'),
  name: z.string(),
  description: z.string(),
  status: z.enum(COMPONENT_STATUSES).describe('as set; a window in force shows its components as under_maintenance on the status page until it ends'),
  group_id: z.string().nullable().describe('null: in no group'),
  position: z.number().int().describe('from 0, within its group'),
  created_at: z.string(),
  updated_at: z.string(),
});

export const groupJsonSchema = z.object({
  id: z.string().describe('the group id (digits)'),
  name: z.string(),
  position: z.number().int().describe('from 0, among groups'),
  component_ids: z.array(z.string()).describe('its components, in order'),
  created_at: z.string(),
  updated_at: z.string(),
});

export function componentJson(component: ComponentRecord): z.infer<typeof componentJsonSchema> {
  return {
    id: component.id,
    name: component.name,
    description: component.description,
    status: component.status,
    group_id: component.groupId,
    position: component.position,
    created_at: iso(component.createdAt),
    updated_at: iso(component.updatedAt),
  };
}

export function groupJson(group: ComponentGroupRecord): z.infer<typeof groupJsonSchema> {
  return {
    id: group.id,
    name: group.name,
    position: group.position,
    component_ids: group.componentIds,
    created_at: iso(group.createdAt),
    updated_at: iso(group.updatedAt),
  };
}

/** A component id from a path: anything but digits names no component. */
export function componentId(raw: unknown): string {
  if (typeof raw !== 'string' || !/^\d{1,18}$/.test(raw)) throw new NotFoundError(`there is no component #${String(raw).slice(0, 40)}`);
  return raw;
}

export function groupId(raw: unknown): string {
  if (typeof raw !== 'string' || !/^\d{1,18}$/.test(raw)) throw new NotFoundError(`there is no component group #${String(raw).slice(0, 40)}`);
  return raw;
}

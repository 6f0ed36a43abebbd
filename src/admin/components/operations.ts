// What can be done to components and groups, for the pages and the API alike: each operation is
// one audited transaction in the request's site, recorded under the action that says what it was.

import type { Actor } from '../../accounts/roles.js';
import { writeAs } from '../../audit/write-as.js';
import type { Pool } from '../../db/pool.js';
import { componentOrder, groupOrder, stepFrom, type Direction } from '../../maintenance/component-order.js';
import {
  createGroup,
  deleteGroup,
  getGroup,
  updateGroup,
  type ComponentGroupRecord,
  type GroupChanges,
} from '../../maintenance/component-groups.js';
import {
  createComponent,
  deleteComponent,
  getComponent,
  updateComponent,
  type ComponentChanges,
  type ComponentRecord,
  type NewComponent,
} from '../../maintenance/components.js';
import type { ComponentStatus } from '../../snapshot/types.js';

export interface ComponentOperations {
  create(actor: Actor, siteId: string, input: NewComponent): Promise<ComponentRecord>;
  /** Changes only what differs; nothing different, nothing written. */
  update(actor: Actor, siteId: string, id: string, changes: ComponentChanges): Promise<ComponentRecord>;
  setStatus(actor: Actor, siteId: string, id: string, status: ComponentStatus): Promise<ComponentRecord>;
  /** One step up or down within its group; at the end already, nothing changes. */
  move(actor: Actor, siteId: string, id: string, direction: Direction): Promise<ComponentRecord>;
  remove(actor: Actor, siteId: string, id: string): Promise<ComponentRecord>;
  createGroup(actor: Actor, siteId: string, input: { name: string }): Promise<ComponentGroupRecord>;
  updateGroup(actor: Actor, siteId: string, id: string, changes: GroupChanges): Promise<ComponentGroupRecord>;
  moveGroup(actor: Actor, siteId: string, id: string, direction: Direction): Promise<ComponentGroupRecord>;
  /** Deletes a group; its components stay, in no group. */
  removeGroup(actor: Actor, siteId: string, id: string): Promise<ComponentGroupRecord>;
}

/** The changes that would change something, judged against the component as read. */
function differing(current: ComponentRecord, changes: ComponentChanges): ComponentChanges {
  const result: ComponentChanges = {};
  if (changes.name !== undefined && changes.name !== current.name) result.name = changes.name;
  if (changes.description !== undefined && changes.description !== current.description) result.description = changes.description;
  if (changes.status !== undefined && changes.status !== current.status) result.status = changes.status;
  if (changes.groupId !== undefined && changes.groupId !== current.groupId) result.groupId = changes.groupId;
  // A position is relative to the group: with a new group it always matters.
  if (changes.position !== undefined && (result.groupId !== undefined || changes.position !== current.position)) result.position = changes.position;
  return result;
}

/** The audit action of a change: a status or a move alone say so; anything more is an update. */
function componentAction(changes: ComponentChanges): string {
  const given = Object.keys(changes);
  if (given.length === 1 && given[0] === 'status') return 'component.status';
  if (given.length === 1 && given[0] === 'position') return 'component.reorder';
  return 'component.update';
}

function groupAction(changes: GroupChanges): string {
  if (changes.name !== undefined && changes.position !== undefined) return 'component_group.update';
  return changes.name !== undefined ? 'component_group.rename' : 'component_group.reorder';
}

export function createComponentOperations({ pool }: { pool: Pool }): ComponentOperations {
  // Read outside the transaction only to drop what would not change and to name the action: the
  // write itself locks the row and applies what is left, so a race cannot lose a change.
  async function update(actor: Actor, siteId: string, id: string, changes: ComponentChanges): Promise<ComponentRecord> {
    const current = await getComponent(pool, siteId, id);
    const effective = differing(current, changes);
    if (Object.keys(effective).length === 0) return current;
    return writeAs(pool, actor.label, componentAction(effective), (client) => updateComponent(client, siteId, id, effective), 'changing the component');
  }

  async function changeGroup(actor: Actor, siteId: string, id: string, changes: GroupChanges): Promise<ComponentGroupRecord> {
    const current = await getGroup(pool, siteId, id);
    const effective: GroupChanges = {};
    if (changes.name !== undefined && changes.name !== current.name) effective.name = changes.name;
    if (changes.position !== undefined && changes.position !== current.position) effective.position = changes.position;
    if (Object.keys(effective).length === 0) return current;
    return writeAs(pool, actor.label, groupAction(effective), (client) => updateGroup(client, siteId, id, effective), 'changing the component group');
  }

  return {
    create(actor, siteId, input) {
      return writeAs(pool, actor.label, 'component.create', (client) => createComponent(client, siteId, input), 'creating the component');
    },

    update,

    setStatus(actor, siteId, id, status) {
      return update(actor, siteId, id, { status });
    },

    async move(actor, siteId, id, direction) {
      const current = await getComponent(pool, siteId, id);
      const order = await componentOrder(pool, siteId, current.groupId);
      return update(actor, siteId, id, { position: stepFrom(order, id, direction) });
    },

    remove(actor, siteId, id) {
      return writeAs(pool, actor.label, 'component.delete', (client) => deleteComponent(client, siteId, id), 'deleting the component');
    },

    createGroup(actor, siteId, input) {
      return writeAs(pool, actor.label, 'component_group.create', (client) => createGroup(client, siteId, input), 'creating the component group');
    },

    updateGroup: changeGroup,

    async moveGroup(actor, siteId, id, direction) {
      await getGroup(pool, siteId, id);
      return changeGroup(actor, siteId, id, { position: stepFrom(await groupOrder(pool, siteId), id, direction) });
    },

    removeGroup(actor, siteId, id) {
      return writeAs(pool, actor.label, 'component_group.delete', (client) => deleteGroup(client, siteId, id), 'deleting the component group');
    },
  };
}

// What can be done to components and groups, for the pages and the API alike: each operation is
// one audited transaction, recorded under the action that says what it was.

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
  create(actor: Actor, input: NewComponent): Promise<ComponentRecord>;
  /** Changes only what differs; nothing different, nothing written. */
  update(actor: Actor, id: string, changes: ComponentChanges): Promise<ComponentRecord>;
  setStatus(actor: Actor, id: string, status: ComponentStatus): Promise<ComponentRecord>;
  /** One step up or down within its group; at the end already, nothing changes. */
  move(actor: Actor, id: string, direction: Direction): Promise<ComponentRecord>;
  remove(actor: Actor, id: string): Promise<ComponentRecord>;
  createGroup(actor: Actor, input: { name: string }): Promise<ComponentGroupRecord>;
  updateGroup(actor: Actor, id: string, changes: GroupChanges): Promise<ComponentGroupRecord>;
  moveGroup(actor: Actor, id: string, direction: Direction): Promise<ComponentGroupRecord>;
  /** Deletes a group; its components stay, in no group. */
  removeGroup(actor: Actor, id: string): Promise<ComponentGroupRecord>;
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
  async function update(actor: Actor, id: string, changes: ComponentChanges): Promise<ComponentRecord> {
    const current = await getComponent(pool, id);
    const effective = differing(current, changes);
    if (Object.keys(effective).length === 0) return current;
    return writeAs(pool, actor.label, componentAction(effective), (client) => updateComponent(client, id, effective), 'changing the component');
  }

  async function changeGroup(actor: Actor, id: string, changes: GroupChanges): Promise<ComponentGroupRecord> {
    const current = await getGroup(pool, id);
    const effective: GroupChanges = {};
    if (changes.name !== undefined && changes.name !== current.name) effective.name = changes.name;
    if (changes.position !== undefined && changes.position !== current.position) effective.position = changes.position;
    if (Object.keys(effective).length === 0) return current;
    return writeAs(pool, actor.label, groupAction(effective), (client) => updateGroup(client, id, effective), 'changing the component group');
  }

  return {
    create(actor, input) {
      return writeAs(pool, actor.label, 'component.create', (client) => createComponent(client, input), 'creating the component');
    },

    update,

    setStatus(actor, id, status) {
      return update(actor, id, { status });
    },

    async move(actor, id, direction) {
      const current = await getComponent(pool, id);
      const order = await componentOrder(pool, current.groupId);
      return update(actor, id, { position: stepFrom(order, id, direction) });
    },

    remove(actor, id) {
      return writeAs(pool, actor.label, 'component.delete', (client) => deleteComponent(client, id), 'deleting the component');
    },

    createGroup(actor, input) {
      return writeAs(pool, actor.label, 'component_group.create', (client) => createGroup(client, input), 'creating the component group');
    },

    updateGroup: changeGroup,

    async moveGroup(actor, id, direction) {
      await getGroup(pool, id);
      return changeGroup(actor, id, { position: stepFrom(await groupOrder(pool), id, direction) });
    },

    removeGroup(actor, id) {
      return writeAs(pool, actor.label, 'component_group.delete', (client) => deleteGroup(client, id), 'deleting the component group');
    },
  };
}

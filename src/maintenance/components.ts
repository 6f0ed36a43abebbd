// The SQL of status page components: list them in order, read one, create, change, move and
// delete. Groups live in component-groups.ts; a component's position counts within its group.
// Components belong to a site: every function acts in one, and another site's component (or
// group) is not found.

import type { Queryable } from '../audit/write-as.js';
import { fromDatabaseError, NotFoundError, ValidationError, type GatewayError } from '../errors.js';
import type { ComponentStatus } from '../snapshot/types.js';
import { componentOrder, lockOrder, placeAt, writeOrder } from './component-order.js';
import { EFFECTIVE_END_SQL, NOT_CANCELLED_SQL } from './windows.js';

export interface ComponentRecord {
  id: string;
  name: string;
  description: string;
  status: ComponentStatus;
  /** null: in no group. */
  groupId: string | null;
  /** From 0, within its group. */
  position: number;
  createdAt: number;
  updatedAt: number;
}

export interface NewComponent {
  name: string;
  description: string;
  status: ComponentStatus;
  groupId: string | null;
}

/** Fields left undefined stay as they are; groupId null takes the component out of its group. */
export interface ComponentChanges {
  name?: string;
  description?: string;
  status?: ComponentStatus;
  groupId?: string | null;
  /** Where to put it within its (new) group, from 0; past the end is last. */
  position?: number;
}

/** What refers to a component: deleting it takes it out of these. */
export interface ComponentUsage {
  /** Windows in force or upcoming that name it. */
  windows: number;
  openIncidents: number;
}

interface ComponentRow {
  id: string;
  name: string;
  description: string;
  status: ComponentStatus;
  group_id: string | null;
  position: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id::text, name, description, status, group_id::text, position, created_at, updated_at';

function toRecord(row: ComponentRow): ComponentRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    groupId: row.group_id,
    position: row.position,
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
  };
}

/** A taken name is the person's to fix, so it names the field rather than the constraint. */
function friendly(err: unknown, what: string, name: string | undefined): GatewayError {
  const pgErr = err as { code?: string; constraint?: string };
  if (pgErr?.code === '23505' && pgErr.constraint === 'components_name_unique') {
    return new ValidationError(`name “${name}” is taken: another component has that name, choose another`, 'name', { cause: err });
  }
  return fromDatabaseError(err, what);
}

/** Refuses a group id that names no group of the site, with a message naming it (a foreign key error would not). */
export async function checkGroup(db: Queryable, siteId: string, groupId: string | null): Promise<void> {
  if (groupId === null) return;
  const { rowCount } = await db.query('SELECT 1 FROM component_groups WHERE id = $1::bigint AND site_id = $2::bigint', [groupId, siteId]);
  if (!rowCount) throw new ValidationError(`group_id ${groupId}: there is no component group #${groupId}`, 'group_id');
}

/** Every component as the status page lists it: those in no group first, then group by group, each in order. */
export async function listComponents(db: Queryable, siteId: string): Promise<ComponentRecord[]> {
  try {
    const { rows } = await db.query<ComponentRow>(
      `SELECT ${COLUMNS} FROM components WHERE site_id = $1::bigint
       ORDER BY (SELECT g.position FROM component_groups g WHERE g.id = components.group_id) NULLS FIRST,
                group_id NULLS FIRST, position, id`,
      [siteId],
    );
    return rows.map(toRecord);
  } catch (err) {
    throw fromDatabaseError(err, 'reading components');
  }
}

/** One component; with `lock`, its row stays locked until the transaction ends. */
export async function getComponent(db: Queryable, siteId: string, id: string, { lock = false } = {}): Promise<ComponentRecord> {
  let rows: ComponentRow[];
  try {
    ({ rows } = await db.query<ComponentRow>(
      `SELECT ${COLUMNS} FROM components WHERE id = $1::bigint AND site_id = $2::bigint${lock ? ' FOR UPDATE' : ''}`,
      [id, siteId],
    ));
  } catch (err) {
    throw fromDatabaseError(err, 'reading the component');
  }
  if (!rows[0]) throw new NotFoundError(`there is no component #${id}`);
  return toRecord(rows[0]);
}

/** Adds a component at the end of its group. */
export async function createComponent(db: Queryable, siteId: string, input: NewComponent): Promise<ComponentRecord> {
  try {
    await lockOrder(db);
    await checkGroup(db, siteId, input.groupId);
    const position = (await componentOrder(db, siteId, input.groupId)).length;
    const { rows } = await db.query<ComponentRow>(
      `INSERT INTO components (name, description, status, group_id, position, site_id) VALUES ($1, $2, $3, $4::bigint, $5, $6::bigint) RETURNING ${COLUMNS}`,
      [input.name, input.description, input.status, input.groupId, position, siteId],
    );
    return toRecord(rows[0]!);
  } catch (err) {
    throw friendly(err, 'creating the component', input.name);
  }
}

/**
 * Changes what is given. A component moved to another group goes last there (or to position),
 * and the group it left closes the gap.
 */
export async function updateComponent(db: Queryable, siteId: string, id: string, changes: ComponentChanges): Promise<ComponentRecord> {
  try {
    await lockOrder(db);
    const current = await getComponent(db, siteId, id, { lock: true });
    const groupId = changes.groupId === undefined ? current.groupId : changes.groupId;
    const moved = groupId !== current.groupId;
    if (moved) await checkGroup(db, siteId, groupId);
    const siblings = await componentOrder(db, siteId, groupId);
    const index = changes.position ?? (moved ? siblings.length : siblings.indexOf(id));
    const order = placeAt(siblings, id, index);
    const { rows } = await db.query<ComponentRow>(
      `UPDATE components SET name = $2, description = $3, status = $4, group_id = $5::bigint, position = $6, updated_at = now()
       WHERE id = $1::bigint AND site_id = $7::bigint RETURNING ${COLUMNS}`,
      [id, changes.name ?? current.name, changes.description ?? current.description, changes.status ?? current.status, groupId, order.indexOf(id), siteId],
    );
    await writeOrder(db, siteId, 'components', order);
    if (moved) await writeOrder(db, siteId, 'components', await componentOrder(db, siteId, current.groupId));
    return toRecord(rows[0]!);
  } catch (err) {
    throw friendly(err, 'changing the component', changes.name);
  }
}

/** Deletes a component; windows and incidents that named it no longer do. Returns it as it was. */
export async function deleteComponent(db: Queryable, siteId: string, id: string): Promise<ComponentRecord> {
  try {
    await lockOrder(db);
    const { rows } = await db.query<ComponentRow>(`DELETE FROM components WHERE id = $1::bigint AND site_id = $2::bigint RETURNING ${COLUMNS}`, [id, siteId]);
    if (!rows[0]) throw new NotFoundError(`there is no component #${id}`);
    const deleted = toRecord(rows[0]);
    await writeOrder(db, siteId, 'components', await componentOrder(db, siteId, deleted.groupId));
    return deleted;
  } catch (err) {
    throw fromDatabaseError(err, 'deleting the component');
  }
}

/** What of the site names the component now, for the warning before it is deleted. */
export async function componentUsage(db: Queryable, siteId: string, id: string): Promise<ComponentUsage> {
  try {
    const { rows } = await db.query<{ windows: number; incidents: number }>(
      `SELECT
         (SELECT count(*) FROM window_components wc JOIN windows ON windows.id = wc.window_id
           WHERE wc.component_id = $1::bigint AND windows.site_id = $2::bigint AND ${EFFECTIVE_END_SQL} > now() AND ${NOT_CANCELLED_SQL})::int AS windows,
         (SELECT count(*) FROM incident_components ic JOIN incidents i ON i.id = ic.incident_id
           WHERE ic.component_id = $1::bigint AND i.site_id = $2::bigint AND i.resolved_at IS NULL)::int AS incidents`,
      [id, siteId],
    );
    return { windows: rows[0]!.windows, openIncidents: rows[0]!.incidents };
  } catch (err) {
    throw fromDatabaseError(err, 'reading what names the component');
  }
}

// The SQL of component groups: headings the status page lists components under. Create, rename,
// reorder, delete (its components stay, in no group). Groups belong to a site, as components do.

import type { Queryable } from '../audit/write-as.js';
import { fromDatabaseError, NotFoundError, ValidationError, type GatewayError } from '../errors.js';
import { componentOrder, groupOrder, lockOrder, placeAt, writeOrder } from './component-order.js';

export interface ComponentGroupRecord {
  id: string;
  name: string;
  /** From 0, among groups. */
  position: number;
  /** Its components, in order. */
  componentIds: string[];
  createdAt: number;
  updatedAt: number;
}

export interface GroupChanges {
  name?: string;
  /** Where to put it among groups, from 0; past the end is last. */
  position?: number;
}

interface GroupRow {
  id: string;
  name: string;
  position: number;
  component_ids: string[];
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id::text, name, position,
  ARRAY(SELECT c.id::text FROM components c WHERE c.group_id = component_groups.id ORDER BY c.position, c.id) AS component_ids,
  created_at, updated_at`;

function toRecord(row: GroupRow): ComponentGroupRecord {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    componentIds: row.component_ids,
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
  };
}

function friendly(err: unknown, what: string, name: string | undefined): GatewayError {
  const pgErr = err as { code?: string; constraint?: string };
  if (pgErr?.code === '23505' && pgErr.constraint === 'component_groups_name_unique') {
    return new ValidationError(`name “${name}” is taken: another group has that name, choose another`, 'name', { cause: err });
  }
  return fromDatabaseError(err, what);
}

export async function listGroups(db: Queryable, siteId: string): Promise<ComponentGroupRecord[]> {
  try {
    const { rows } = await db.query<GroupRow>(`SELECT ${COLUMNS} FROM component_groups WHERE site_id = $1::bigint ORDER BY position, id`, [siteId]);
    return rows.map(toRecord);
  } catch (err) {
    throw fromDatabaseError(err, 'reading component groups');
  }
}

/** One group of the site; NotFoundError when there is none (or it is another site's). */
export async function getGroup(db: Queryable, siteId: string, id: string, { lock = false } = {}): Promise<ComponentGroupRecord> {
  let rows: GroupRow[];
  try {
    ({ rows } = await db.query<GroupRow>(
      `SELECT ${COLUMNS} FROM component_groups WHERE id = $1::bigint AND site_id = $2::bigint${lock ? ' FOR UPDATE' : ''}`,
      [id, siteId],
    ));
  } catch (err) {
    throw fromDatabaseError(err, 'reading the component group');
  }
  if (!rows[0]) throw new NotFoundError(`there is no component group #${id}`);
  return toRecord(rows[0]);
}

/** Adds a group after the others. */
export async function createGroup(db: Queryable, siteId: string, input: { name: string }): Promise<ComponentGroupRecord> {
  try {
    await lockOrder(db);
    const position = (await groupOrder(db, siteId)).length;
    const { rows } = await db.query<GroupRow>(
      `INSERT INTO component_groups (name, position, site_id) VALUES ($1, $2, $3::bigint) RETURNING ${COLUMNS}`,
      [input.name, position, siteId],
    );
    return toRecord(rows[0]!);
  } catch (err) {
    throw friendly(err, 'creating the component group', input.name);
  }
}

export async function updateGroup(db: Queryable, siteId: string, id: string, changes: GroupChanges): Promise<ComponentGroupRecord> {
  try {
    await lockOrder(db);
    const current = await getGroup(db, siteId, id, { lock: true });
    const groups = await groupOrder(db, siteId);
    const order = placeAt(groups, id, changes.position ?? groups.indexOf(id));
    await db.query('UPDATE component_groups SET name = $2, position = $3, updated_at = now() WHERE id = $1::bigint AND site_id = $4::bigint', [
      id,
      changes.name ?? current.name,
      order.indexOf(id),
      siteId,
    ]);
    await writeOrder(db, siteId, 'component_groups', order);
    return await getGroup(db, siteId, id);
  } catch (err) {
    throw friendly(err, 'changing the component group', changes.name);
  }
}

/**
 * Deletes a group. Its components stay on the status page, after those already in no group, in
 * the order they had. Returns the group as it was.
 */
export async function deleteGroup(db: Queryable, siteId: string, id: string): Promise<ComponentGroupRecord> {
  try {
    await lockOrder(db);
    const group = await getGroup(db, siteId, id, { lock: true });
    const ungrouped = await componentOrder(db, siteId, null);
    // Set here rather than left to ON DELETE SET NULL, so each component keeps a place in the order.
    await db.query(
      `UPDATE components AS c SET group_id = NULL, position = $2 + o.ord - 1, updated_at = now()
       FROM unnest($1::bigint[]) WITH ORDINALITY AS o(id, ord) WHERE c.id = o.id AND c.site_id = $3::bigint`,
      [group.componentIds, ungrouped.length, siteId],
    );
    await writeOrder(db, siteId, 'components', [...ungrouped, ...group.componentIds]);
    await db.query('DELETE FROM component_groups WHERE id = $1::bigint AND site_id = $2::bigint', [id, siteId]);
    await writeOrder(db, siteId, 'component_groups', await groupOrder(db, siteId));
    return group;
  } catch (err) {
    throw fromDatabaseError(err, 'deleting the component group');
  }
}
